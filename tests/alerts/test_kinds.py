"""Each kind of rule fires on hand-made data when its condition holds, and not below it."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.alerts.kinds import duration_words
from gisioc.alerts.models import Alert
from gisioc.cameras.models import Camera, CameraEvent, Outage
from gisioc.geo.models import AdminUnit
from gisioc.health.models import Encounter
from gisioc.public_services.models import Dossier
from tests.alerts.conftest import rule_make

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 4, 5, 0, tzinfo=dt.UTC)  # a Wednesday, 12:00 in Vietnam


def _communes() -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(version__slug="danang-2025", level="commune").order_by("code")[:2]
    )


def _dossiers(unit: AdminUnit, n: int, start: int) -> None:
    for i in range(n):
        Dossier.objects.create(
            source="t",
            external_id=f"d{start + i}",
            dossier_code=f"HS-{start + i}",
            procedure_code="1.001",
            received_at=NOW - dt.timedelta(days=30),
            due_at=NOW - dt.timedelta(days=2),
            status=Dossier.Status.IN_PROGRESS,
            unit=unit,
            geom=unit.geom.point_on_surface,
            locate_method="point",
        )


def test_a_kpi_rule_fires_for_communes_over_the_threshold(geo: None) -> None:
    a, b = _communes()
    _dossiers(a, 11, 0)
    _dossiers(b, 10, 100)  # 10 is not > 10
    rule = rule_make(
        name_vi="Hồ sơ quá hạn",
        name_en="Overdue dossiers",
        kind="kpi",
        params={"record": "dossier", "figure": "in_progress_past_due", "period": "year"},
        threshold=10,
    )
    outcome = alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    assert outcome.fired == [alert.id]
    assert (alert.rule, alert.key, alert.value, alert.unit_id) == (rule, f"unit:{a.id}", 11, a.id)
    assert a.name in alert.title_vi and "Đang giải quyết quá hạn" in alert.title_vi
    assert "In progress, past due" in alert.title_en
    assert alert.link.startswith("/?map=13/") and alert.link.endswith(f"&sel=unit:{a.id}")
    assert a.geom.contains(alert.geom)


def _cases(unit: AdminUnit, when: dt.datetime, n: int, tag: str, code: str = "A90") -> None:
    for i in range(n):
        Encounter.objects.create(
            source="t",
            external_id=f"{tag}{i}",
            facility_code="TYT",
            patient_key=f"{tag}{i}".ljust(64, "0"),
            key_id=1,
            care="outpatient",
            diagnosis=code,
            admitted_at=when + dt.timedelta(minutes=i),
            residence=unit,
        )


@pytest.mark.parametrize(
    ("this_week", "factor", "fires"),
    [(4, 2, True), (3, 2, True), (2, 2, False), (4, 3, False)],
)
def test_a_trend_rule_fires_at_factor_times_the_previous_weeks_mean(
    geo: None, this_week: int, factor: float, fires: bool
) -> None:
    a, b = _communes()
    monday = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 Monday in Vietnam
    for week in range(1, 5):  # 2, 1, 2, 1 cases: a mean of 1.5 over the 4 weeks before
        _cases(a, monday - dt.timedelta(weeks=week), 2 if week % 2 else 1, f"p{week}-")
    _cases(a, monday, this_week, "now-")
    _cases(b, monday, 5, "other-", code="J10")  # influenza: not the rule's disease
    _cases(a, NOW + dt.timedelta(hours=1), 5, "later-")  # after `now`: not counted yet
    rule_make(
        name_vi="Sốt xuất huyết tăng",
        name_en="Dengue rising",
        kind="indicator_trend",
        params={"disease": "dengue", "weeks": 4, "factor": factor},
        comparison="ge",
        threshold=3,  # and at least 3 cases
    )
    alerts_evaluate(NOW, wait=True)
    alerts = list(Alert.objects.all())
    assert len(alerts) == (1 if fires else 0)
    if fires:
        assert alerts[0].key == f"unit:{a.id}" and alerts[0].value == this_week
        assert "2026-W45" in alerts[0].title_vi and "1.5" in alerts[0].title_en


def _events(camera: Camera, points: list[tuple[float, float]], at: dt.datetime, tag: str) -> None:
    for i, (lon, lat) in enumerate(points):
        CameraEvent.objects.create(
            source="t",
            external_id=f"{tag}{i}",
            camera=camera,
            kind="flooding",
            confidence=0.9,
            occurred_at=at + dt.timedelta(minutes=i),
            geom=Point(lon, lat, srid=4326),
            unit=camera.facility.unit,
            locate_method="facility",
        )


def _cluster_rule() -> None:
    rule_make(
        name_vi="Ngập tập trung",
        name_en="Flooding cluster",
        kind="event_cluster",
        params={"event_kind": "flooding", "radius_m": 1000, "minutes": 60},
        comparison="ge",
        threshold=3,
    )


def test_an_event_cluster_rule_fires_for_three_events_within_a_kilometre_in_an_hour(
    cameras: list[Camera],
) -> None:
    near = [(108.2500, 15.8200), (108.2540, 15.8210), (108.2520, 15.8240)]  # ≤ 500 m apart
    _events(cameras[0], near, NOW - dt.timedelta(minutes=30), "near-")
    far = [(108.30, 15.85), (108.34, 15.87), (108.38, 15.89)]  # 4+ km apart
    _events(cameras[1], far, NOW - dt.timedelta(minutes=30), "far-")
    _events(cameras[1], [(108.3, 15.85)] * 3, NOW - dt.timedelta(minutes=90), "old-")
    _cluster_rule()
    alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    assert alert.value == 3 and alert.key.startswith("flooding@")
    assert abs(alert.geom.x - 108.252) < 0.001 and abs(alert.geom.y - 15.8217) < 0.001
    assert "3 sự kiện ngập nước trong 1000 m, 60 phút" in alert.title_vi
    assert alert.link.startswith("/?map=15/15.82") and "sel=" not in alert.link


def test_two_events_are_no_cluster_of_three(cameras: list[Camera]) -> None:
    _events(cameras[0], [(108.25, 15.82), (108.251, 15.821)], NOW - dt.timedelta(minutes=5), "x")
    _cluster_rule()
    assert alerts_evaluate(NOW, wait=True).fired == []


def _offline(camera: Camera, minutes: int) -> None:
    since = NOW - dt.timedelta(minutes=minutes)
    Camera.objects.filter(pk=camera.pk).update(status="offline", status_since=since)
    Outage.objects.create(camera=camera, started_at=since)


def test_a_camera_offline_rule_fires_past_its_minutes(cameras: list[Camera]) -> None:
    _offline(cameras[0], 45)
    _offline(cameras[1], 30)  # 30 is not > 30
    rule_make()
    alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    facility = cameras[0].facility
    assert (alert.key, alert.value, alert.unit_id) == (
        f"camera:{cameras[0].id}",
        45,
        facility.unit_id,
    )
    assert alert.title_vi == f"Camera mất kết nối: {facility.name} mất kết nối 45 phút"
    assert alert.link.endswith(f"&sel=facility:{facility.id}")


def test_long_outages_are_said_in_hours_and_days() -> None:
    assert duration_words(45) == ("45 phút", "45 min")
    assert duration_words(312) == ("5 giờ 12 phút", "5 h 12 min")
    assert duration_words(54479) == ("37 ngày 19 giờ", "37 days 19 h")


def test_a_rule_that_cannot_be_evaluated_is_recorded_and_the_others_run(
    cameras: list[Camera],
) -> None:
    broken = rule_make(kind="kpi", params={"record": "nothing", "figure": "x", "period": "year"})
    _offline(cameras[0], 45)
    rule_make()
    outcome = alerts_evaluate(NOW, wait=True)
    broken.refresh_from_db()
    assert outcome.failed == [str(broken.id)] and broken.error and broken.evaluated_at == NOW
    assert len(outcome.fired) == 1
