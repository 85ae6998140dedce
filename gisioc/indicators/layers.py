"""The indicator choropleth: any indicator of the catalogue, period and boundary version."""

from gisioc.texts import Text
from layers.registry import Classification, Layer, LayerFilter, LegendItem, register

CONVERTED = "#6a3d9a"  # the outline of values converted from former communes

register(
    Layer(
        id="indicator-map",
        system="indicators",
        title=Text("Chỉ tiêu kinh tế – xã hội theo xã", "Socio-economic indicators per commune"),
        description=Text(
            "Bản đồ chuyên đề một chỉ tiêu theo xã trong một kỳ: giá trị, theo dân số, thay đổi "
            "so với kỳ khác hoặc % kế hoạch. Số liệu báo cáo trên các xã cũ được quy đổi sang "
            "xã mới (cộng theo tỷ lệ diện tích, bình quân theo dân số) và viền tím.",
            "Thematic map of one indicator per commune in a period: value, per capita, change "
            "from another period or % of target. Values reported on former communes are "
            "converted to the new ones (summed by area share, means weighted by population) "
            "and outlined in purple.",
        ),
        source="indicators.IndicatorMap",
        geometry="polygon",
        properties=(
            "code",
            "name",
            "version",
            "approximate",
            "indicator",
            "period",
            "value",
            "status",
            "converted",
            "per_capita",
            "base",
            "base_value",
            "change",
            "change_pct",
            "avg7",
            "avg7_per_capita",
            "target",
            "achieved",
            "standing",
        ),
        unit_field="unit",
        filters=(
            LayerFilter(
                "indicator_code",
                "indicator",
                "text",
                Text("Chỉ tiêu", "Indicator"),
                default="population",
            ),
            LayerFilter(
                "indicator_period",
                "period_key",
                "text",
                Text("Kỳ (mặc định: kỳ mới nhất)", "Period (default: the latest)"),
                default="",
            ),
            LayerFilter(
                "base", "base", "text", Text("So sánh với kỳ", "Compared with period"), default=""
            ),
            LayerFilter(
                "version",
                "version_key",
                "text",
                Text(
                    "Phiên bản ranh giới (mặc định: hiện hành)",
                    "Boundary version (default: in force)",
                ),
                default="",
            ),
        ),
        approximate_field="approximate",
        labels="name",
        classification=Classification(
            indicator="value",
            title=Text("Giá trị", "Value"),
            indicators=(
                ("per_capita", Text("Theo dân số", "Per capita")),
                ("change", Text("Thay đổi so với kỳ so sánh", "Change from the base period")),
                ("change_pct", Text("Thay đổi (%)", "Change (%)")),
                ("achieved", Text("% kế hoạch", "% of target")),
                ("avg7", Text("Trung bình 7 ngày", "7-day average")),
                (
                    "avg7_per_capita",
                    Text("Trung bình 7 ngày theo dân số", "7-day average per capita"),
                ),
            ),
            method="quantile",
            classes=5,
        ),
        style=(
            {"type": "fill", "paint": {"fill-opacity": 0.75}},
            {
                "type": "line",
                "filter": ["==", ["get", "converted"], True],
                "paint": {"line-color": CONVERTED, "line-width": 2, "line-dasharray": [2, 1]},
            },
        ),
        legend=(
            LegendItem(
                Text("Quy đổi từ xã cũ", "Converted from former communes"), CONVERTED, "converted"
            ),
        ),
        visible=False,
        order=70,
    ),
)
