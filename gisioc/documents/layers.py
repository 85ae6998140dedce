"""Layers of documents: agencies sized by open documents, coloured by the overdue share."""

from gisioc.geo.layers import FACILITY
from gisioc.texts import Text
from layers.registry import Layer, register
from layers.styles import proportional_circles

OVERDUE_COLOURS = (  # share of open incoming documents already past their due day, %
    (0, "#fdd49e", Text("Dưới 5%", "Under 5%")),
    (5, "#fc8d59", Text("5–15%", "5–15%")),
    (15, "#d7301f", Text("15–30%", "15–30%")),
    (30, "#7f0000", Text("Từ 30%", "30% or more")),
)
# By area: the radius grows with the square root of the count.
AGENCIES = proportional_circles(
    size="open_documents",
    sqrt_of=30,
    radius=30,
    share="overdue_pct",
    bands=OVERDUE_COLOURS,
    none=("#9e9e9e", Text("Không có văn bản đang xử lý", "No open documents")),
    stroke=("#37474f", 1),
)

register(
    Layer(
        id="agencies-open-documents",
        system="documents",
        title=Text("Văn bản đang xử lý theo cơ quan", "Open documents per agency"),
        description=Text(
            "Cơ quan (UBND huyện, xã): vòng tròn theo số văn bản đến đang xử lý, màu theo tỷ "
            "lệ văn bản đã quá hạn xử lý (hạn trước ngày hôm nay).",
            "Agencies (district and commune People's Committees): circles sized by open "
            "incoming documents, coloured by the share already past their due day (due "
            "before today).",
        ),
        source="documents.DocumentAgencyStats",
        geometry="point",
        record=FACILITY,  # a feature is the agency itself; its documents are in the profile
        properties=("code", "name", "open_documents", "overdue_documents", "overdue_pct"),
        unit_field="unit",
        labels="name",
        today=True,  # overdue is counted against gisioc_today()
        style=AGENCIES[0],
        legend=AGENCIES[1],
        visible=False,
        order=60,
    ),
)
