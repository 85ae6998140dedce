"""Layers of public services: on-time rate per commune, offices by load, overdue dossiers."""

from gisioc.geo.layers import FACILITY
from gisioc.geo.models import Role
from gisioc.texts import Text
from layers.registry import Classification, Layer, LegendItem, RecordLink, register
from layers.styles import PERIOD, cluster_styles, proportional_circles

LATE_COLOURS = (  # share of finished dossiers that were late, %: green → red
    (0, "#1a9850", Text("Dưới 2%", "Under 2%")),
    (2, "#fee08b", Text("2–5%", "2–5%")),
    (5, "#fc8d59", Text("5–10%", "5–10%")),
    (10, "#d73027", Text("Từ 10%", "10% or more")),
)
OVERDUE = "#b71c1c"
OFFICES = proportional_circles(
    size="received",
    sqrt_of=100,
    radius=28,
    share="late_pct",
    bands=LATE_COLOURS,
    none=("#9e9e9e", Text("Chưa có hồ sơ giải quyết", "Nothing finished")),
)

register(
    Layer(
        id="dossiers-on-time-per-commune",
        system="public_services",
        title=Text("Hồ sơ đúng hạn theo xã", "On-time dossiers per commune"),
        description=Text(
            "Bản đồ chuyên đề: tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn (cả trước "
            "hạn) trong kỳ, theo xã của người nộp; hồ sơ của xã cũ được tính cho xã mới.",
            "Thematic map: share of administrative dossiers finished on time (or early) in "
            "the period, by the applicant's commune; former communes' dossiers count towards "
            "the new one.",
        ),
        source="public_services.DossierUnitStats",
        geometry="polygon",
        properties=(
            "code",
            "name",
            "period",
            "version",
            "approximate",
            "received",
            "finished",
            "on_time",
            "late",
            "on_time_pct",
            "online_pct",
        ),
        unit_field="unit",
        filters=(PERIOD,),
        approximate_field="approximate",
        labels="name",
        classification=Classification(
            indicator="on_time_pct",
            title=Text("Đúng hạn (%)", "On time (%)"),
            indicators=(
                ("online_pct", Text("Nộp trực tuyến (%)", "Received online (%)")),
                ("received", Text("Hồ sơ tiếp nhận", "Dossiers received")),
                ("late", Text("Hồ sơ quá hạn", "Dossiers finished late")),
            ),
            method="quantile",
            classes=4,
        ),
        style=({"type": "fill", "paint": {"fill-opacity": 0.75}},),
        visible=False,
        order=50,
    ),
    Layer(
        id="one-stop-offices",
        system="public_services",
        title=Text("Bộ phận một cửa", "One-stop offices"),
        description=Text(
            "Bộ phận một cửa: vòng tròn theo số hồ sơ tiếp nhận trong kỳ, màu theo tỷ lệ hồ "
            "sơ giải quyết quá hạn.",
            "One-stop offices: circles sized by dossiers received in the period, coloured by "
            "the share of dossiers finished late.",
        ),
        source="public_services.DossierOfficeStats",
        geometry="point",
        record=FACILITY,
        properties=("code", "name", "period", "received", "finished", "late", "late_pct"),
        unit_field="unit",
        filters=(PERIOD,),
        labels="name",
        style=OFFICES[0],
        legend=OFFICES[1],
        visible=False,
        order=51,
    ),
    Layer(
        id="dossiers-overdue",
        system="public_services",
        title=Text("Hồ sơ quá hạn", "Overdue dossiers"),
        description=Text(
            "Hồ sơ đang giải quyết đã quá ngày hẹn trả (tính đến đầu ngày hôm nay), đặt tại "
            "bộ phận một cửa tiếp nhận; gộp nhóm khi thu nhỏ.",
            "Open dossiers past their due day (as of the start of today), at the one-stop "
            "office that received them; grouped when zoomed out.",
        ),
        source="public_services.OverdueDossier",
        geometry="point",
        record=RecordLink("dossier", "/api/public-services/dossiers/{id}/"),
        properties=(
            "dossier_code",
            "procedure_code",
            "procedure_name",
            "field",
            "office_name",
            "status",
            "received_on",
            "due_on",
            "days_overdue",
        ),
        unit_field="unit",
        roles=frozenset(Role.values),
        today=True,
        cluster_below=15,
        maxzoom=15,  # its first zoom of single dossiers
        style=(
            *cluster_styles(OVERDUE),
            {
                "type": "circle",
                "filter": ["!", ["has", "count"]],
                "paint": {
                    "circle-color": OVERDUE,
                    "circle-radius": 5,
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 1,
                },
            },
        ),
        legend=(LegendItem(Text("Hồ sơ quá hạn", "Overdue dossier"), OVERDUE),),
        visible=False,
        order=52,
    ),
)
