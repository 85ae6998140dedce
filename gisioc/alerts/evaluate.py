"""Evaluating the rules: a key whose condition became true fires one alert (history,
notifications, the live bus, then e-mail and webhook); while it stays true nothing more; once
false the alert is resolved, and the key may fire again."""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gisioc.alerts import delivery
from gisioc.alerts.kinds import FINDERS, Finding, params_check
from gisioc.alerts.models import Alert, AlertState, Notification, Rule
from gisioc.errors import GisiocError
from gisioc.geo.access import scope_unit_ids
from gisioc.geo.models import Role
from gisioc.live.bus import event_publish

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one evaluation did."""

    fired: list[int] = field(default_factory=list)  # the new alerts' ids
    resolved: int = 0
    active: int = 0
    failed: list[str] = field(default_factory=list)  # rules that could not be evaluated


def alert_link(finding: Finding) -> str:
    """The map at the place (and the selected commune or camera)."""
    if finding.lat is None or finding.lon is None:
        return "/"
    link = f"/?map={finding.zoom:g}/{finding.lat:.5f}/{finding.lon:.5f}"
    return f"{link}&sel={finding.sel}" if finding.sel else link


def recipients(rule: Rule, unit_id: int | None) -> list:
    """Active users of the rule's roles (superusers when administrators are named); a commune
    officer only when the alert's commune is in their scope."""
    users = get_user_model().objects.filter(is_active=True)
    chosen = Q(access__role__in=rule.roles)
    if Role.ADMIN in rule.roles:
        chosen |= Q(is_superuser=True)
    found = []
    for user in users.filter(chosen).select_related("access").distinct().order_by("id"):
        role = getattr(getattr(user, "access", None), "role", None)
        if role == Role.COMMUNE_OFFICER and not user.is_superuser:
            scope = scope_unit_ids(user) or frozenset()
            if unit_id is None or unit_id not in scope:
                continue
        found.append(user)
    return found


def _fire(rule: Rule, finding: Finding, now: dt.datetime) -> Alert:
    point = Point(finding.lon, finding.lat, srid=4326) if finding.lat is not None else None
    alert = Alert.objects.create(
        rule=rule,
        kind=rule.kind,
        key=finding.key,
        level=rule.level,
        fired_at=now,
        value=finding.value,
        threshold=rule.threshold,
        title_vi=finding.title_vi[:400],
        title_en=finding.title_en[:400],
        geom=point,
        unit_id=finding.unit_id,
        link=alert_link(finding),
        roles=sorted(set(rule.roles)),
        email_status=Alert.Delivery.PENDING,
        webhook_status=Alert.Delivery.PENDING if rule.webhook_url else Alert.Delivery.NONE,
    )
    Notification.objects.bulk_create(
        Notification(user=user, alert=alert, created_at=now)
        for user in recipients(rule, finding.unit_id)
    )
    event_publish(
        kind="alert",
        data={
            "id": alert.id,
            "rule": rule.id,
            "title": {"vi": alert.title_vi, "en": alert.title_en},
            "level": alert.level,
            "link": alert.link,
        },
        unit_id=finding.unit_id,
        point=point,
        roles=alert.roles,
        at=now,
    )
    return alert


def rule_evaluate(rule: Rule, now: dt.datetime, outcome: Outcome, *, wait: bool = False) -> None:
    """Evaluate one rule in its own transaction (the rule's row locked: one evaluator at a
    time); its new alerts are delivered after the commit, in the background unless `wait`."""
    with transaction.atomic():
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
        states = {s.key: s for s in AlertState.objects.filter(rule=rule)}
        try:
            with transaction.atomic():
                rule.params = params_check(rule.kind, rule.params)
                findings = FINDERS[rule.kind](rule, now, states)
        except Exception as exc:  # a rule's data or parameters, never the other rules
            log.exception("alert rule %s could not be evaluated", rule.pk)
            error = f"{exc.vi} — {exc.en}" if isinstance(exc, GisiocError) else repr(exc)
            Rule.objects.filter(pk=rule.pk).update(evaluated_at=now, error=error[:500])
            outcome.failed.append(str(rule.pk))
            return
        new: list[int] = []
        seen = set()
        for finding in findings:
            if finding.key in seen:
                continue
            seen.add(finding.key)
            point = Point(finding.lon, finding.lat, srid=4326) if finding.lat is not None else None
            state = states.get(finding.key)
            if state is not None:
                state.value, state.checked_at = finding.value, now
                state.point = point or state.point
                state.save(update_fields=["value", "checked_at", "point"])
                continue
            alert = _fire(rule, finding, now)
            AlertState.objects.create(
                rule=rule,
                key=finding.key,
                since=now,
                checked_at=now,
                value=finding.value,
                point=point,
                alert=alert,
            )
            new.append(alert.id)
        gone = [s for key, s in states.items() if key not in seen]
        Alert.objects.filter(id__in=[s.alert_id for s in gone if s.alert_id]).update(
            resolved_at=now
        )
        AlertState.objects.filter(id__in=[s.id for s in gone]).delete()
        Rule.objects.filter(pk=rule.pk).update(evaluated_at=now, error="")
        outcome.fired += new
        outcome.resolved += len(gone)
        outcome.active += len(seen)
        if not wait:
            for alert_id in new:
                transaction.on_commit(lambda a=alert_id: delivery.deliver_later(a))
    if wait:
        for alert_id in outcome.fired[len(outcome.fired) - len(new) :]:
            delivery.alert_deliver(alert_id)


def alerts_evaluate(now: dt.datetime | None = None, *, wait: bool = False) -> Outcome:
    """Evaluate every enabled rule as of `now`; `wait`: return only once the new alerts'
    e-mails and webhooks are done (a one-off command), else they go in the background."""
    now = now or timezone.now()
    outcome = Outcome()
    for rule in Rule.objects.filter(enabled=True).order_by("id"):
        rule_evaluate(rule, now, outcome, wait=wait)
    delivery.stale_retry(now, wait=wait)
    return outcome
