"""The example system's adapter: its fields on the stock helpers, one rule, placed at a school."""

from typing import Any

from gisioc.geo.models import Facility
from gisioc.ingest.fields import field, received_check, words
from gisioc.ingest.locate import AtFacility
from gisioc.ingest.systems import FieldError, System, register_system
from gisioc.texts import Text
from tests.example_system.models import Inspection
from tests.example_system.system import SYSTEM

RESULTS = words(
    pending=("cho ket luan", "dang kiem tra"),
    passed=("dat", "pass"),
    failed=("khong dat", "fail"),
)
FIELDS = (
    field("external_id", "text", "Mã biên bản", "Record id", "ma bien ban", max_length=120),
    field("school_code", "text", "Trường", "School", "truong", "ma truong", max_length=40),
    field("inspected_at", "datetime", "Ngày kiểm tra", "Inspected", "ngay kiem tra",
          required=True),
    field("result", "choice", "Kết quả", "Result", "ket qua", "trang thai", choices=RESULTS,
          required=True),
)  # fmt: skip


def inspection_rules(values: dict[str, Any]) -> list[FieldError]:
    """An inspection dated after 2000 and no later than tomorrow."""
    return received_check(values, title=Text("ngày kiểm tra", "inspected"), name="inspected_at")


# Placed at the school `school_code` names (filling `school_id`), in its commune on the day.
inspection_locate = AtFacility(
    Facility.Kind.SCHOOL, "school_code", Text("trường", "school"), day="inspected_at"
)
ADAPTER = register_system(
    System(SYSTEM.name, FIELDS, inspection_rules, inspection_locate, Inspection)
)
