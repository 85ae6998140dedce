"""The example system's KPIs: inspections in the period, how many failed, the pass rate."""

from django.db.models import Q

from gisioc.kpis import Counted, Group, KpiSet, Rate, register_kpis
from gisioc.texts import Text
from tests.example_system.models import Inspection

Result = Inspection.Result

KPIS = register_kpis(
    KpiSet(
        record="inspection",
        model=Inspection,
        received="inspected_at",
        figures=(
            Counted(
                id="inspections",
                title=Text("Lượt kiểm tra", "Inspections"),
                when=lambda b: b.within("inspected_at"),
            ),
            Counted(
                id="failed",
                title=Text("Không đạt", "Failed"),
                when=lambda b: b.within("inspected_at") & Q(result=Result.FAILED),
            ),
            Counted(
                id="passed",
                title=Text("Đạt", "Passed"),
                when=lambda b: b.within("inspected_at") & Q(result=Result.PASSED),
                profile=False,
            ),
            Rate(
                id="pass_rate",
                title=Text("Tỷ lệ đạt", "Pass rate"),
                part=("passed",),
                whole="inspections",
            ),
        ),
        groups={"unit": Group("unit_id", "unit__name")},
        keep=("inspections",),
        fields=("id", "name", "source", "school_code", "school_name", "inspected_at", "result"),
        name_field="external_id",
        related={"school_name": "school.name"},
    )
)
