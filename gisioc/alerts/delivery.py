"""An alert's e-mail (Django's SMTP backend, the server GISIOC_SMTP_* names) and webhook
(JSON, signed with HMAC-SHA256, short timeouts, a few tries). Each outcome is recorded on the
alert; the evaluator hands them to a small pool of threads, so a slow server never holds it."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection

from gisioc.alerts.models import Alert
from gisioc.periods import VIETNAM

log = logging.getLogger(__name__)
SIGNATURE = "X-Gisioc-Signature"
STALE = dt.timedelta(minutes=5)  # a delivery still pending this long was cut off: retried
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="alert-delivery")
_pending: set[Future] = set()
_lock = threading.Lock()
_warned = False


def site_url() -> str:
    """The app's address for absolute links."""
    config = settings.CONFIG
    if config.site_url:
        return config.site_url.rstrip("/")
    host = config.host.replace("0.0.0.0", "127.0.0.1")
    return f"http://{host}:{config.port}"


def _closing(alert_id: int) -> None:
    try:
        alert_deliver(alert_id)
    except Exception:
        log.exception("alert %s: delivery failed", alert_id)
    finally:
        connection.close()  # this thread's own connection


def deliver_later(alert_id: int) -> None:
    """Deliver in the background (after the alert's commit)."""
    future = _pool.submit(_closing, alert_id)
    with _lock:
        _pending.add(future)
    future.add_done_callback(lambda f: _pending.discard(f))


def deliveries_wait(timeout: float = 60) -> None:
    """Wait for the background deliveries under way (tests, a command before it exits)."""
    with _lock:
        pending = set(_pending)
    futures_wait(pending, timeout=timeout)


def alert_deliver(alert_id: int) -> None:
    """Send the alert's e-mail and webhook, recording how each went."""
    alert = Alert.objects.select_related("rule").get(pk=alert_id)
    if alert.email_status == Alert.Delivery.PENDING:
        Alert.objects.filter(pk=alert.pk).update(**email_send(alert))
    if alert.webhook_status == Alert.Delivery.PENDING:
        Alert.objects.filter(pk=alert.pk).update(**webhook_send(alert))


def stale_retry(now: dt.datetime, *, wait: bool = False) -> None:
    """Deliveries left pending by a process that stopped are tried again (within a day)."""
    stale = Alert.objects.filter(
        fired_at__lt=now - STALE, fired_at__gte=now - dt.timedelta(days=1)
    ).filter(email_status=Alert.Delivery.PENDING) | Alert.objects.filter(
        fired_at__lt=now - STALE,
        fired_at__gte=now - dt.timedelta(days=1),
        webhook_status=Alert.Delivery.PENDING,
    )
    for alert_id in stale.values_list("id", flat=True)[:50]:
        if wait:
            alert_deliver(alert_id)
        else:
            deliver_later(alert_id)


def email_addresses(alert: Alert) -> list[str]:
    """The rule's addresses, and its notified users' when the rule says so (once each)."""
    rule = alert.rule
    if rule is None:
        return []
    found = list(rule.emails)
    if rule.email_roles:
        emails = alert.notifications.exclude(user__email="").values_list("user__email", flat=True)
        found += list(emails.order_by("user_id"))
    return list(dict.fromkeys(a.strip().lower() for a in found if a and a.strip()))


def _when(alert: Alert) -> str:
    return alert.fired_at.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def email_message(alert: Alert, to: str) -> EmailMessage:
    """The alert's e-mail, Vietnamese first, then English, with the link to the map."""
    link = site_url() + alert.link
    level = Alert._meta.get_field("level").choices
    vi, _, en = str(dict(level).get(alert.level, alert.level)).partition(" / ")
    body = (
        f"{alert.title_vi}\n\nGiá trị: {alert.value:g} (ngưỡng {alert.threshold:g}) — "
        f"lúc {_when(alert)}\nXem trên bản đồ: {link}\n\n— English —\n{alert.title_en}\n\n"
        f"Value: {alert.value:g} (threshold {alert.threshold:g}) — at {_when(alert)} "
        f"(Vietnam time)\nOn the map: {link}\n"
    )
    return EmailMessage(
        subject=f"[{vi} / {en}] {alert.title_vi}",
        body=body,
        from_email=settings.CONFIG.smtp_from,
        to=[to],
    )


def email_send(alert: Alert) -> dict[str, Any]:
    """Send the e-mails; the alert's fields that record how it went."""
    global _warned
    config = settings.CONFIG
    to = email_addresses(alert)
    if not to:
        return {
            "email_status": Alert.Delivery.SKIPPED,
            "email_error": "Không có người nhận — no recipients",
        }
    if not config.smtp_host:
        if not _warned:
            log.warning("alerts: GISIOC_SMTP_HOST is not set, so no alert is e-mailed")
            _warned = True
        return {
            "email_status": Alert.Delivery.SKIPPED,
            "email_error": "Chưa cấu hình máy chủ SMTP — no SMTP server configured",
        }
    mailer = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=config.smtp_host,
        port=config.smtp_port,
        username=config.smtp_user or None,
        password=config.smtp_password.get_secret_value() or None,
        use_tls=config.smtp_tls,
        use_ssl=config.smtp_ssl,
        timeout=config.smtp_timeout,
        fail_silently=False,
    )
    try:
        sent = mailer.send_messages([email_message(alert, address) for address in to])
    except Exception as exc:
        log.warning("alert %s: e-mail failed (%s)", alert.pk, type(exc).__name__)
        return {
            "email_status": Alert.Delivery.FAILED,
            "email_to": len(to),
            "email_error": f"{type(exc).__name__}: {exc}"[:500],
        }
    return {"email_status": Alert.Delivery.SENT, "email_to": sent or 0, "email_error": ""}


def webhook_body(alert: Alert) -> bytes:
    """What the webhook receives (JSON, UTF-8; nothing personal)."""
    point = {"lon": alert.geom.x, "lat": alert.geom.y} if alert.geom else None
    return json.dumps(
        {
            "id": alert.id,
            "rule": {
                "id": alert.rule_id,
                "name": {"vi": alert.rule.name_vi, "en": alert.rule.name_en},
            },
            "kind": alert.kind,
            "key": alert.key,
            "level": alert.level,
            "title": {"vi": alert.title_vi, "en": alert.title_en},
            "value": alert.value,
            "threshold": alert.threshold,
            "fired_at": alert.fired_at.isoformat(),
            "point": point,
            "unit_id": alert.unit_id,
            "link": site_url() + alert.link,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: sha256=<hex HMAC-SHA256 of the body under the secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_send(alert: Alert) -> dict[str, Any]:
    """POST the alert, a few tries with short pauses; the alert's fields that record it."""
    rule = alert.rule
    config = settings.CONFIG
    body = webhook_body(alert)
    headers = {"Content-Type": "application/json", "User-Agent": "gisioc-alerts"}
    headers["X-Gisioc-Event"] = "alert"
    headers["X-Gisioc-Delivery"] = str(alert.id)
    if rule.webhook_secret:
        headers[SIGNATURE] = signature(rule.webhook_secret, body)
    error, code = "", None
    for attempt in range(1, config.webhook_tries + 1):
        request = urllib.request.Request(
            rule.webhook_url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=config.webhook_timeout) as answer:
                code = answer.status
            return {
                "webhook_status": Alert.Delivery.SENT,
                "webhook_attempts": attempt,
                "webhook_code": code,
                "webhook_error": "",
            }
        except urllib.error.HTTPError as exc:
            code, error = exc.code, f"HTTP {exc.code}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                break  # the receiver refuses it: another try would be refused alike
        except Exception as exc:  # timeouts, refused connections, bad addresses
            error = f"{type(exc).__name__}: {exc}"
        if attempt < config.webhook_tries:
            time.sleep(0.5 * 2 ** (attempt - 1))
    log.warning("alert %s: webhook failed after %s tries (%s)", alert.pk, attempt, error[:80])
    return {
        "webhook_status": Alert.Delivery.FAILED,
        "webhook_attempts": attempt,
        "webhook_code": code,
        "webhook_error": error[:500],
    }
