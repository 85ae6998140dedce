"""The demo's four rules: loaded again unchanged, and each evaluates on the real views."""

import datetime as dt

import pytest

from gisioc.alerts.demo import RULES, alerts_demo_load
from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.alerts.models import Rule

pytestmark = pytest.mark.django_db


def test_the_demo_rules_load_idempotently_and_evaluate(geo: None) -> None:
    first = alerts_demo_load()
    Rule.objects.filter(pk=first[0].pk).update(threshold=99, enabled=False)
    again = alerts_demo_load()
    assert [r.pk for r in again] == [r.pk for r in first] and Rule.objects.count() == 4
    assert {r.kind for r in again} == {"kpi", "indicator_trend", "event_cluster", "camera_offline"}
    assert Rule.objects.get(pk=first[0].pk).threshold == RULES[0]["threshold"]
    outcome = alerts_evaluate(dt.datetime(2026, 11, 4, 5, 0, tzinfo=dt.UTC), wait=True)
    assert outcome.failed == [] and outcome.fired == []  # no records: nothing fires
    assert all(r.evaluated_at and not r.error for r in Rule.objects.all())
