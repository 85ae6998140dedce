"""Layers of citizen feedback: public reports as points coloured by status (overdue as of today),
reports per 1,000 residents per commune, and agencies by their overdue reports.

All three are public: their views (gisioc/feedback/sql/) carry no description, no address as
given and nothing of the reporter; a report shows only once verified, and never when rejected
or merged into another.
"""

from gisioc.feedback.categories import CATEGORIES
from gisioc.feedback.models import Report
from gisioc.feedback.services import PUBLIC
from gisioc.geo.layers import FACILITY
from gisioc.texts import Text
from layers.registry import Classification, Layer, LayerFilter, LegendItem, RecordLink, register
from layers.styles import PERIOD, cluster_styles, proportional_circles

Status = Report.Status
OVERDUE = "#b71c1c"
# A report's colour by its `state`: its status, or 'overdue' (open, due before today).
STATES = (
    ("overdue", OVERDUE, Text("Quá hạn xử lý", "Overdue")),
    (Status.VERIFIED, "#ffb300", Text("Đã xác minh, chờ chuyển", "Verified, to forward")),
    (Status.ASSIGNED, "#fb8c00", Text("Đã chuyển cơ quan xử lý", "Forwarded")),
    (Status.IN_PROGRESS, "#1e88e5", Text("Đang xử lý", "In progress")),
    (Status.RESOLVED, "#66bb6a", Text("Đã xử lý", "Resolved")),
    (Status.PUBLISHED, "#2e7d32", Text("Đã công khai kết quả", "Result published")),
    (Status.CLOSED, "#78909c", Text("Đã đóng", "Closed")),
)
PUBLIC_STATUSES = tuple(s for s in Status.values if s in PUBLIC)
CATEGORY = LayerFilter(
    "category",
    "category",
    "choice",
    Text("Lĩnh vực", "Category"),
    choices=tuple(c.code for c in CATEGORIES),
    labels={c.code: c.title for c in CATEGORIES},
)
STATUS = LayerFilter(
    "status",
    "status",
    "choice",
    Text("Trạng thái", "Status"),
    choices=PUBLIC_STATUSES,
    labels={str(s): label for s, _, label in STATES if s in PUBLIC_STATUSES},
)
# Share of an agency's open reports already past their due day, %. Reports are handled in
# days, so most of what stays open is late: quarters tell agencies apart where documents'
# 5/15/30 % would paint them all dark.
OVERDUE_COLOURS = (
    (0, "#fdd49e", Text("Dưới 25%", "Under 25%")),
    (25, "#fc8d59", Text("25–50%", "25–50%")),
    (50, "#d7301f", Text("50–75%", "50–75%")),
    (75, "#7f0000", Text("Từ 75%", "75% or more")),
)
AGENCIES = proportional_circles(
    size="open_reports",
    sqrt_of=20,
    radius=26,
    share="overdue_pct",
    bands=OVERDUE_COLOURS,
    none=("#9e9e9e", Text("Không có phản ánh đang xử lý", "No open reports")),
    stroke=("#37474f", 1),
)


def _report_style() -> tuple[dict, ...]:
    """Grid clusters when zoomed out; each report a circle in its state's colour."""
    colour: list = ["match", ["get", "state"]]
    for state, hex_colour, _ in STATES:
        colour += [str(state), hex_colour]
    colour.append("#9e9e9e")
    return (
        *cluster_styles("#5c6bc0"),
        {
            "type": "circle",
            "filter": ["!", ["has", "count"]],
            "paint": {
                "circle-color": colour,
                "circle-radius": 6,
                "circle-stroke-color": "#ffffff",
                "circle-stroke-width": 1.5,
            },
        },
    )


register(
    Layer(
        id="feedback-reports",
        system="feedback",
        title=Text("Phản ánh của người dân", "Citizen reports"),
        description=Text(
            "Phản ánh đã xác minh, tô màu theo trạng thái xử lý; đỏ là đang quá hạn (hạn xử "
            "lý trước ngày hôm nay). Gộp nhóm khi thu nhỏ. Không hiển thị thông tin người phản "
            "ánh.",
            "Verified reports coloured by where their handling stands; red ones are past their "
            "due day (due before today). Grouped when zoomed out. Nothing of the reporter is "
            "shown.",
        ),
        source="feedback.ReportPoint",
        geometry="point",
        # A point is the report itself: staff open its record (and their panel) from the map;
        # the public reads the report's tracking page by its ticket.
        record=RecordLink("report", "/api/feedback/reports/{id}/"),
        properties=(
            "ticket",
            "category",
            "status",
            "state",
            "overdue",
            "received_on",
            "due_on",
            "agency_name",
            "public_text",
            "followers",
            "period",
        ),
        unit_field="unit",
        filters=(PERIOD, CATEGORY, STATUS),
        today=True,  # overdue is counted against gisioc_today()
        cluster_below=14,
        style=_report_style(),
        legend=(
            *(LegendItem(label, colour, str(state)) for state, colour, label in STATES),
            LegendItem(Text("Nhóm phản ánh (số lượng)", "Group of reports (count)"), "#5c6bc0"),
        ),
        visible=False,
        order=110,
    ),
    Layer(
        id="feedback-per-1000",
        system="feedback",
        title=Text("Phản ánh trên 1.000 dân theo xã", "Reports per 1,000 residents per commune"),
        description=Text(
            "Bản đồ chuyên đề: số phản ánh tiếp nhận trong kỳ tại xã (không tính phản ánh bị "
            "từ chối hay gộp), trên 1.000 dân (dân số từ hệ thống chỉ tiêu); xã chưa có dân số "
            "để trống. Phản ánh ở xã cũ được tính cho xã mới.",
            "Thematic map: reports received in the period in the commune (rejected and merged "
            "ones left out) per 1,000 residents (population from the indicators); communes "
            "without a population are left blank. Former communes' reports count towards the "
            "new one.",
        ),
        source="feedback.ReportUnitStats",
        geometry="polygon",
        properties=(
            "code",
            "name",
            "period",
            "version",
            "approximate",
            "reports",
            "open",
            "overdue",
            "population",
            "per_1000",
        ),
        unit_field="unit",
        filters=(PERIOD,),
        approximate_field="approximate",
        labels="name",
        today=True,  # open and overdue are as of today
        classification=Classification(
            indicator="per_1000",
            title=Text("Phản ánh / 1.000 dân", "Reports per 1,000 residents"),
            indicators=(
                ("reports", Text("Số phản ánh", "Reports")),
                ("overdue", Text("Đang quá hạn", "Open past due")),
            ),
            method="quantile",
            classes=5,
        ),
        style=({"type": "fill", "paint": {"fill-opacity": 0.75}},),
        visible=False,
        order=111,
    ),
    Layer(
        id="feedback-agencies-overdue",
        system="feedback",
        title=Text("Phản ánh quá hạn theo cơ quan", "Overdue reports per agency"),
        description=Text(
            "Cơ quan xử lý phản ánh: vòng tròn theo số phản ánh đang xử lý, màu theo tỷ lệ đã "
            "quá hạn (hạn trước ngày hôm nay).",
            "Agencies handling reports: circles sized by open reports, coloured by the share "
            "already past their due day (due before today).",
        ),
        source="feedback.ReportAgencyStats",
        geometry="point",
        record=FACILITY,
        properties=("code", "name", "open_reports", "overdue_reports", "overdue_pct"),
        unit_field="unit",
        labels="name",
        today=True,
        style=AGENCIES[0],
        legend=AGENCIES[1],
        visible=False,
        order=112,
    ),
)
