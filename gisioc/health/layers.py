"""Layers of health: facilities by visits coloured by a chosen measure, visits per 1,000
residents, a facility's catchment, and the notifiable-disease watch by week.

The first three are public: their views hold counts of 1–4 back (NULL, `suppressed`), so
no tile, legend or table (CSV) shows one. The watch is for signed-in staff, exact.
"""

from gisioc.geo.layers import FACILITY
from gisioc.geo.models import Role
from gisioc.texts import Text
from layers.registry import Classification, Layer, LayerFilter, LegendItem, register
from layers.styles import PERIOD

FACILITIES = "health-facilities"
NO_VALUE = "#9e9e9e"
# Quartiles of the chosen measure among the district's facilities in the period.
LEVELS = (
    (1, "#fee5d9", Text("Thấp nhất (25% cơ sở)", "Lowest quarter of facilities")),
    (2, "#fcae91", Text("Dưới trung vị", "Below the median")),
    (3, "#fb6a4a", Text("Trên trung vị", "Above the median")),
    (4, "#cb181d", Text("Cao nhất (25% cơ sở)", "Highest quarter of facilities")),
)
MEASURES = {
    "visits": Text("Lượt khám chữa bệnh", "Visits"),
    "inpatient_share": Text("Tỷ lệ điều trị nội trú (%)", "Inpatient share (%)"),
    "emergency": Text("Lượt cấp cứu", "Emergency visits"),
    "referral_rate": Text("Tỷ lệ chuyển tuyến (%)", "Referral rate (%)"),
    "insured_share": Text("Tỷ lệ có BHYT (%)", "Insured share (%)"),
}
MEASURE = LayerFilter(
    "measure",
    "measure",
    "choice",
    Text("Tô màu theo", "Coloured by"),
    choices=tuple(MEASURES),
    default="visits",
    labels=MEASURES,
)
FLAGGED = "#b71c1c"
SMALL_NOTE = Text(
    "Số dưới 5 không công bố (ẩn, không phải 0).",
    "Counts under 5 are not published (hidden, not 0).",
)


def _facility_style() -> tuple[dict, ...]:
    """Circles by area of visits (a held-back count draws the smallest), coloured by level."""
    level = ["step", ["coalesce", ["get", "level"], 0], NO_VALUE]
    for n, colour, _ in LEVELS:
        level += [n, colour]
    return (
        {
            "type": "circle",
            "paint": {
                "circle-color": level,
                "circle-opacity": 0.85,
                "circle-radius": [
                    "interpolate",
                    ["linear"],
                    ["sqrt", ["coalesce", ["get", "visits"], 0]],
                    0,
                    4,
                    200,
                    30,
                ],
                "circle-stroke-color": "#263238",
                "circle-stroke-width": 1,
            },
        },
    )


register(
    Layer(
        id=FACILITIES,
        system="health",
        title=Text("Cơ sở y tế theo lượt khám", "Health facilities by visits"),
        description=Text(
            "Cơ sở khám chữa bệnh: vòng tròn theo số lượt khám trong kỳ, màu theo chỉ số chọn "
            "(lượt khám, tỷ lệ nội trú, cấp cứu, tỷ lệ chuyển tuyến, tỷ lệ có BHYT), chia 4 mức "
            "so với các cơ sở khác trong kỳ. " + SMALL_NOTE.vi,
            "Health facilities: circles sized by visits in the period, coloured by the chosen "
            "measure (visits, inpatient share, emergency, referral rate, insured share) in "
            "quartiles among the facilities in the period. " + SMALL_NOTE.en,
        ),
        source="health.FacilityHealthStats",
        geometry="point",
        record=FACILITY,
        properties=(
            "code",
            "name",
            "subtype",
            "period",
            "measure",
            "visits",
            "value",
            "level",
            "suppressed",
        ),
        unit_field="unit",
        filters=(PERIOD, MEASURE),
        labels="name",
        style=_facility_style(),
        legend=(
            *(LegendItem(label, colour, str(n)) for n, colour, label in LEVELS),
            LegendItem(Text("Không có số liệu hoặc dưới 5", "No data, or under 5"), NO_VALUE),
        ),
        visible=False,
        order=80,
    ),
    Layer(
        id="health-visits-per-1000",
        system="health",
        title=Text("Lượt khám trên 1.000 dân theo xã", "Visits per 1,000 residents per commune"),
        description=Text(
            "Bản đồ chuyên đề: lượt khám chữa bệnh trong kỳ của người dân cư trú tại xã, trên "
            "1.000 dân (dân số từ hệ thống chỉ tiêu); xã chưa có dân số để trống. Người cư trú "
            "ở xã cũ được tính cho xã mới. " + SMALL_NOTE.vi,
            "Thematic map: visits in the period by the commune's residents per 1,000 residents "
            "(population from the indicators); communes without a population are left blank. "
            "Residents of former communes count towards the new one. " + SMALL_NOTE.en,
        ),
        source="health.ResidenceHealthStats",
        geometry="polygon",
        properties=(
            "code",
            "name",
            "period",
            "version",
            "approximate",
            "visits",
            "inpatient",
            "population",
            "per_1000",
            "suppressed",
        ),
        unit_field="unit",
        filters=(PERIOD,),
        approximate_field="approximate",
        labels="name",
        classification=Classification(
            indicator="per_1000",
            title=Text("Lượt khám / 1.000 dân", "Visits per 1,000 residents"),
            indicators=(
                ("visits", Text("Lượt khám", "Visits")),
                ("inpatient", Text("Điều trị nội trú", "Inpatients")),
            ),
            method="quantile",
            classes=5,
        ),
        style=({"type": "fill", "paint": {"fill-opacity": 0.75}},),
        visible=False,
        order=81,
    ),
    Layer(
        id="health-catchment",
        system="health",
        title=Text("Nơi cư trú của người bệnh một cơ sở", "A facility's catchment"),
        description=Text(
            "Chọn một cơ sở y tế trên bản đồ: các xã nơi người bệnh đến khám tại cơ sở đó cư "
            "trú, theo số lượt khám trong kỳ. Chưa chọn cơ sở thì lớp không vẽ gì. "
            + SMALL_NOTE.vi,
            "Pick a health facility on the map: the communes its patients live in, by visits "
            "in the period. Without a facility the layer draws nothing. " + SMALL_NOTE.en,
        ),
        source="health.HealthCatchment",
        geometry="polygon",
        properties=(
            "facility_code",
            "code",
            "name",
            "period",
            "version",
            "approximate",
            "visits",
            "share_pct",
            "suppressed",
        ),
        unit_field="unit",
        filters=(
            PERIOD,
            LayerFilter(
                "facility",
                "facility",
                "int",
                Text("Cơ sở y tế (chọn trên bản đồ)", "Health facility (pick on the map)"),
                default="0",  # none: no row, nothing drawn
                selected=FACILITIES,
            ),
        ),
        approximate_field="approximate",
        labels="name",
        classification=Classification(
            indicator="visits",
            title=Text("Lượt khám tại cơ sở", "Visits to the facility"),
            indicators=(("share_pct", Text("% lượt khám của cơ sở", "% of its visits")),),
            method="quantile",
            classes=5,
        ),
        style=({"type": "fill", "paint": {"fill-opacity": 0.7}},),
        visible=False,
        order=82,
    ),
    Layer(
        id="health-disease-watch",
        system="health",
        title=Text("Giám sát bệnh truyền nhiễm theo tuần", "Notifiable-disease watch by week"),
        description=Text(
            "Ca mắc sốt xuất huyết, tay chân miệng, sởi, cúm, tả và tiêu chảy theo xã cư trú "
            "trong một tuần (mặc định: tuần đầy đủ gần nhất); viền đỏ: vượt ngưỡng (từ 3 ca và "
            "gấp đôi trung bình 4 tuần trước, hoặc ca sởi, tả đầu tiên). Chỉ cán bộ xem.",
            "Dengue, hand-foot-mouth, measles, influenza, cholera and diarrhoea cases by "
            "commune of residence in a week (default: the latest complete week); red outline: "
            "over the threshold (3 cases or more and twice the mean of the 4 weeks before, or a "
            "first measles or cholera case). Staff only.",
        ),
        source="health.DiseaseWatchMap",
        geometry="polygon",
        properties=(
            "code",
            "name",
            "week",
            "version",
            "approximate",
            "cases",
            "flagged",
            "flagged_diseases",
            "dengue",
            "hfmd",
            "measles",
            "influenza",
            "cholera",
            "diarrhoea",
        ),
        unit_field="unit",
        filters=(
            LayerFilter(
                "week",
                "week_key",
                "text",
                Text("Tuần (2026-W40; mặc định: tuần đầy đủ gần nhất)", "Week (2026-W40)"),
                default="",
            ),
        ),
        approximate_field="approximate",
        labels="name",
        roles=frozenset(Role.values),
        today=True,  # the default week is the one before today's
        classification=Classification(
            indicator="cases",
            title=Text("Ca mắc trong tuần", "Cases in the week"),
            indicators=(
                ("dengue", Text("Sốt xuất huyết", "Dengue")),
                ("hfmd", Text("Tay chân miệng", "Hand, foot and mouth")),
                ("influenza", Text("Cúm", "Influenza")),
                ("diarrhoea", Text("Tiêu chảy", "Diarrhoea")),
            ),
            method="quantile",
            classes=4,
        ),
        style=(
            {"type": "fill", "paint": {"fill-opacity": 0.7}},
            {
                "type": "line",
                "filter": ["==", ["get", "flagged"], True],
                "paint": {"line-color": FLAGGED, "line-width": 3},
            },
        ),
        legend=(
            LegendItem(Text("Vượt ngưỡng cảnh báo", "Over the threshold"), FLAGGED, "flagged"),
        ),
        visible=False,
        order=83,
    ),
)
