"""Layers of public services: on-time dossiers per applicant's commune (a choropleth)."""

from layers.registry import Classification, Layer, Text, register

register(
    Layer(
        id="dossiers-on-time-per-commune",
        system="public_services",
        title=Text("Hồ sơ đúng hạn theo xã", "On-time dossiers per commune"),
        description=Text(
            "Bản đồ chuyên đề: tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn (cả trước "
            "hạn) theo xã của người nộp; hồ sơ của xã cũ được tính cho xã mới.",
            "Thematic map: share of administrative dossiers finished on time (or early) by "
            "the applicant's commune; former communes' dossiers count towards the new one.",
        ),
        source="public_services.DossierUnitStats",
        geometry="polygon",
        properties=(
            "code",
            "name",
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
)
