"""E-mail through a real SMTP server and webhooks to a real HTTP server: what arrives, its
signature, and every failure recorded on the alert."""

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from gisioc.alerts import delivery
from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.alerts.models import Alert, Notification
from gisioc.cameras.models import Camera, Outage
from tests.alerts.conftest import Hook, Inbox, free_port, rule_make

NOW = dt.datetime(2026, 11, 4, 5, 0, tzinfo=dt.UTC)
SECRET = "bí-mật-webhook-123"


def _down(camera: Camera, minutes: int = 45) -> None:
    since = NOW - dt.timedelta(minutes=minutes)
    Camera.objects.filter(pk=camera.pk).update(status="offline", status_since=since)
    Outage.objects.create(camera=camera, started_at=since)


@pytest.mark.django_db
def test_the_alert_is_mailed_to_the_rule_s_addresses_and_its_roles_users(
    cameras: list[Camera], staff: dict[str, User], smtp: Inbox, settings: Any
) -> None:
    settings.CONFIG = settings.CONFIG.model_copy(update={"site_url": "https://ioc.duyxuyen.vn/"})
    _down(cameras[0])
    rule_make(
        emails=["Truc.Ban@duyxuyen.vn", "leader@duyxuyen.vn"], email_roles=True, level="critical"
    )
    alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    assert (alert.email_status, alert.email_to, alert.email_error) == ("sent", 3, "")
    to = sorted(r for rcpts, _ in smtp.mails for r in rcpts)
    # The rule's addresses (once each) and the notified users': the leader, the officer in scope.
    assert to == ["commune_officer@duyxuyen.vn", "leader@duyxuyen.vn", "truc.ban@duyxuyen.vn"]
    _, message = smtp.mails[0]
    assert message["Subject"].strip() == f"[Khẩn cấp / Critical] {alert.title_vi}"
    assert message["From"] == "ioc@duyxuyen.vn"
    text = message.get_content()
    link = f"https://ioc.duyxuyen.vn/?map=16/{alert.geom.y:.5f}/{alert.geom.x:.5f}"
    assert f"{link}&sel=facility:{cameras[0].facility_id}" in text
    assert text.index(alert.title_vi) < text.index(alert.title_en)  # Vietnamese first
    assert "Giá trị: 45 (ngưỡng 30)" in text and "12:00 04/11/2026" in text


@pytest.mark.django_db
def test_without_an_smtp_server_no_mail_is_sent_and_the_alert_says_so(
    cameras: list[Camera],
    staff: dict[str, User],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "_warned", False)
    _down(cameras[0])
    _down(cameras[1])
    rule_make(emails=["trucban@duyxuyen.vn"])
    alerts_evaluate(NOW, wait=True)
    assert {a.email_status for a in Alert.objects.all()} == {"skipped"}
    assert "no SMTP server configured" in Alert.objects.first().email_error
    assert Notification.objects.count() == 4  # the bell still rings
    # Logged once, not per alert.
    assert [r.message for r in caplog.records].count(
        "alerts: GISIOC_SMTP_HOST is not set, so no alert is e-mailed"
    ) == 1


@pytest.mark.django_db
def test_an_smtp_server_that_is_down_is_a_recorded_failure(
    cameras: list[Camera], settings: Any
) -> None:
    settings.CONFIG = settings.CONFIG.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": free_port(8170), "smtp_timeout": 2}
    )
    _down(cameras[0])
    rule_make(emails=["trucban@duyxuyen.vn"])
    alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    assert alert.email_status == "failed" and "ConnectionRefusedError" in alert.email_error
    assert "trucban" not in alert.email_error


@pytest.mark.django_db
def test_the_webhook_receives_the_alert_signed(cameras: list[Camera], hook: Hook) -> None:
    _down(cameras[0])
    rule = rule_make(webhook_url=hook.url, webhook_secret=SECRET)
    alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    assert (alert.webhook_status, alert.webhook_attempts, alert.webhook_code) == ("sent", 1, 200)
    [(headers, body)] = hook.got
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-gisioc-signature"] == f"sha256={expected}"
    assert headers["content-type"] == "application/json" and headers["x-gisioc-event"] == "alert"
    sent = json.loads(body)
    assert sent["id"] == alert.id and sent["rule"]["id"] == rule.id
    assert sent["title"] == {"vi": alert.title_vi, "en": alert.title_en}
    assert sent["link"].endswith(alert.link) and sent["key"] == f"camera:{cameras[0].id}"
    assert sent["point"] == {"lon": alert.geom.x, "lat": alert.geom.y}


@pytest.mark.django_db
def test_a_failing_webhook_is_tried_again_and_its_failure_recorded(
    cameras: list[Camera], hook: Hook
) -> None:
    hook.status = 503
    _down(cameras[0])
    rule_make(webhook_url=hook.url)
    alerts_evaluate(NOW, wait=True)
    alert = Alert.objects.get()
    assert len(hook.got) == 3
    assert "x-gisioc-signature" not in hook.got[0][0]  # no secret, no signature
    assert (alert.webhook_status, alert.webhook_attempts, alert.webhook_code) == ("failed", 3, 503)
    assert alert.webhook_error == "HTTP 503"


@pytest.mark.django_db
def test_a_refused_webhook_is_not_tried_again_and_a_dead_one_is_recorded(
    cameras: list[Camera], hook: Hook
) -> None:
    hook.status = 401
    _down(cameras[0])
    _down(cameras[1])
    rule_make(webhook_url=hook.url)
    dead = rule_make(webhook_url=f"http://127.0.0.1:{free_port(8180)}/none")
    alerts_evaluate(NOW, wait=True)
    refused = Alert.objects.filter(rule__webhook_url=hook.url)
    assert {(a.webhook_status, a.webhook_attempts, a.webhook_code) for a in refused} == {
        ("failed", 1, 401)
    }
    failed = Alert.objects.filter(rule=dead)
    assert {(a.webhook_status, a.webhook_attempts) for a in failed} == {("failed", 3)}
    assert all("Connection refused" in a.webhook_error for a in failed)


@pytest.mark.django_db(transaction=True)
def test_a_slow_webhook_does_not_hold_the_evaluator(cameras: list[Camera], hook: Hook) -> None:
    """Deliveries go to the background after the commit: the receiver still holds the
    request when the evaluation has returned; then it is recorded as sent."""
    hook.gate.clear()
    _down(cameras[0])
    rule_make(webhook_url=hook.url)
    outcome = alerts_evaluate(NOW)
    alert = Alert.objects.get(pk=outcome.fired[0])
    assert alert.webhook_status == "pending"
    hook.gate.set()
    delivery.deliveries_wait()
    alert.refresh_from_db()
    assert (alert.webhook_status, len(hook.got)) == ("sent", 1)


@pytest.mark.django_db
def test_a_delivery_cut_off_is_retried_by_a_later_evaluation(
    cameras: list[Camera], hook: Hook
) -> None:
    _down(cameras[0])
    rule = rule_make(webhook_url=hook.url)
    alert = Alert.objects.create(
        rule=rule,
        kind=rule.kind,
        key="camera:0",
        level="warning",
        fired_at=NOW - dt.timedelta(minutes=10),
        value=40,
        threshold=30,
        title_vi="t",
        title_en="t",
        link="/",
        email_status="pending",
        webhook_status="pending",
    )
    alerts_evaluate(NOW, wait=True)
    alert.refresh_from_db()
    assert (alert.email_status, alert.webhook_status) == ("skipped", "sent")
    assert {json.loads(b)["id"] for _, b in hook.got} >= {alert.id}
