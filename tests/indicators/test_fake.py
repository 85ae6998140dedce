"""The statistics portal's fake: the year-end report's estimates, then the official figures
on 31 March, which replace the estimates when pulled."""

import datetime as dt

import pytest

from gisioc.indicators.fake import FakeStatistics
from gisioc.indicators.models import IndicatorValue
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.periods import VIETNAM

pytestmark = pytest.mark.django_db


def test_the_official_figures_replace_the_estimates(geo: None) -> None:
    fake = FakeStatistics(as_of=dt.datetime(2026, 12, 5, tzinfo=VIETNAM))
    estimates = fake.records()
    assert estimates and {r["TrangThai"] for r in estimates} == {"estimated"}
    assert {r["KyBaoCao"] for r in estimates} <= {"2026", "2026-2027"}
    with fake_serving(fake) as url:
        pull_source_add(system="indicators", source="portal", url=url, every_minutes=1)
        first = pull_run(source="portal", timeout=30.0, progress=lambda _: None)
        assert (first.status, first.rejected, first.created) == ("done", 0, len(estimates))
        stored = IndicatorValue.objects.filter(source="portal")
        assert set(stored.values_list("status", flat=True)) == {"estimated"}
        before = {v.external_id: v.value for v in stored}
        assert fake.catch_up(dt.datetime(2027, 3, 31, 8, tzinfo=VIETNAM))
        second = pull_run(source="portal", timeout=30.0, progress=lambda _: None)
    assert (second.status, second.rejected, second.created) == ("done", 0, 0)
    assert second.updated == len(estimates)
    after = {v.external_id: v for v in IndicatorValue.objects.filter(source="portal")}
    assert {v.status for v in after.values()} == {"reported"}
    # Revised within 1.5 %, give or take the rounding to the indicator's decimals.
    changes = [abs(after[k].value - before[k]) for k in before]
    assert all(c <= 0.015 * abs(before[k]) + 0.5 for c, k in zip(changes, before, strict=True))
    assert any(changes)
