"""The health section's disease-watch table (added to the section the kit builds from the
KPI set): communes over the threshold in the latest complete week, within the profile."""

import datetime as dt

from gisioc.geo.selectors import vietnam_today
from gisioc.health import selectors
from gisioc.profiles.registry import ProfileScope, Section
from gisioc.texts import Text

COLUMNS = [
    ("name", Text("Xã cư trú", "Commune of residence")),
    ("disease_title", Text("Bệnh", "Disease")),
    ("cases", Text("Ca mắc trong tuần", "Cases in the week")),
    ("previous_mean", Text("Trung bình 4 tuần trước", "Mean of the 4 weeks before")),
]
NOTE = Text(
    "Ngưỡng: từ 3 ca và gấp đôi trung bình 4 tuần trước, hoặc ca sởi, tả đầu tiên. Số dưới 5 "
    "chỉ lãnh đạo, chuyên viên phân tích và quản trị xem được.",
    "Threshold: 3 cases or more and twice the mean of the 4 weeks before, or a first measles "
    "or cholera case. Counts under 5 are shown to leaders, planners and administrators only.",
)


def watch_table(section: Section, scope: ProfileScope, public: bool) -> None:
    """Add the watch of the latest complete week for the scope's communes."""
    week = selectors.week_label(vietnam_today() - dt.timedelta(days=7))
    units = scope.unit_ids if scope.unit is not None else None
    rows = selectors.watch_rows(week=week, units=units)
    rows = selectors.watch_public(rows) if public else selectors.watch_titled(rows)
    section.table(
        "health_watch",
        Text(f"Cảnh báo dịch bệnh tuần {week}", f"Disease watch, week {week}"),
        columns=COLUMNS,
        rows=rows,
        note=NOTE,
    )
