"""Six hand-counted reports of February 2026 around Tết (offices shut 14–22/2), made through
the workflow services, for the KPI, layer and search tests.

Drainage (thoat_nuoc) is due in 7 working days, waste (moi_truong) in 5:

- R1 drainage, web, Nam Phước: received 10/2 9:00, due 26/2; resolved 26/2 16:00 (on time,
  the due day itself), published, closed; rated satisfied 27/2
- R2 drainage, hotline, Nam Phước: received 10/2 10:00, due 26/2; resolved 27/2 8:00 (late),
  published; rated not satisfied 28/2
- R3 drainage, Zalo, Thu Bồn: received 11/2 9:00, due 27/2; forwarded, in progress: open and
  overdue ever since
- R4 waste, web, Nam Phước: received 12/2, rejected as spam the same day
- R5 waste, Facebook, Thu Bồn: received 25/2 9:00, due 4/3; resolved 3/3 (on time, March)
- R6 drainage, web, Thu Bồn: received 12/2 11:00, merged into R3 on 13/2

Agency A handles R1–R3, agency B R5 (two of the demo's agencies, which have a place).
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from gisioc.feedback import services
from gisioc.feedback.models import Report
from gisioc.geo.models import AdminUnit, Facility
from gisioc.periods import VIETNAM
from tests.health.fixtures_kpis import communes, population_set

POPULATION = {"NP": 20_000, "TB": 15_000}  # Duy Xuyên and Đông Nam: none (no rate)
PHONE = "0905 123 456"
REPORTER = {
    "reporter_name": "Trần Thị Bích Ngọc",
    "reporter_phone": "0905123456",
    "reporter_email": "ngoc.tran@example.vn",
    "address": "Số 12 đường Hùng Vương, tổ 3, khối phố Long Xuyên",
}


def vn(month: int, day: int, hour: float = 9) -> dt.datetime:
    """A Vietnam time in 2026."""
    return dt.datetime(2026, month, day, tzinfo=VIETNAM) + dt.timedelta(hours=hour)


def _receive(n: int, category: str, channel: str, unit: AdminUnit, at: dt.datetime) -> Report:
    return services.report_receive(
        category=category,
        description=f"Phản ánh số {n}: cống bị tắc, gọi {PHONE} để chỉ chỗ.",
        channel=channel,
        point=unit.geom.point_on_surface,
        received_at=at,
        **REPORTER,
    )


def _resolve(report: Report, officer: User, agency: Facility, at: dt.datetime) -> Report:
    report = services.report_verify(report=report, actor=officer, at=at - dt.timedelta(days=1))
    report = services.report_assign(
        report=report, agency=agency, actor=officer, at=at - dt.timedelta(hours=20)
    )
    report = services.report_start(report=report, actor=officer, at=at - dt.timedelta(hours=2))
    return services.report_resolve(report=report, result="Đã xử lý.", actor=officer, at=at)


@pytest.fixture
def february(geo: None) -> dict[str, object]:
    """The six reports by name, the two agencies, the communes; populations set."""
    units = communes()
    population_set(POPULATION)
    officer = User.objects.create_user("canbo-read")
    agencies = Facility.objects.filter(kind=Facility.Kind.AGENCY, geom__isnull=False)
    a, b = agencies.order_by("code")[:2]
    np_, tb = units["NP"], units["TB"]
    r1 = _resolve(_receive(1, "thoat_nuoc", "web", np_, vn(2, 10)), officer, a, vn(2, 26, 16))
    r1 = services.report_publish(report=r1, actor=officer, at=vn(2, 26, 17))
    r1 = services.report_close(report=r1, actor=officer, at=vn(2, 27, 8))
    r1 = services.report_rate(report=r1, satisfied=True, at=vn(2, 27, 10))
    r2 = _resolve(
        _receive(2, "thoat_nuoc", "hotline", np_, vn(2, 10, 10)), officer, a, vn(2, 27, 8)
    )
    r2 = services.report_publish(report=r2, actor=officer, at=vn(2, 27, 9))
    r2 = services.report_rate(report=r2, satisfied=False, at=vn(2, 28, 9))
    r3 = _receive(3, "thoat_nuoc", "zalo", tb, vn(2, 11))
    r3 = services.report_verify(report=r3, actor=officer, at=vn(2, 11, 10))
    r3 = services.report_assign(report=r3, agency=a, actor=officer, at=vn(2, 11, 11))
    r3 = services.report_start(report=r3, actor=officer, at=vn(2, 12))
    r4 = _receive(4, "moi_truong", "web", np_, vn(2, 12))
    r4 = services.report_reject(report=r4, reason="spam", actor=officer, at=vn(2, 12, 10))
    r5 = _resolve(_receive(5, "moi_truong", "facebook", tb, vn(2, 25)), officer, b, vn(3, 3))
    r6 = _receive(6, "thoat_nuoc", "web", tb, vn(2, 12, 11))
    r6 = services.report_verify(report=r6, actor=officer, at=vn(2, 12, 12))
    r6 = services.report_merge(report=r6, into=r3, actor=officer, at=vn(2, 13))
    return {
        "R1": r1, "R2": r2, "R3": r3, "R4": r4, "R5": r5, "R6": r6,
        "A": a, "B": b, "NP": np_, "TB": tb, "units": units,
    }  # fmt: skip
