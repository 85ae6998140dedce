"""The camera demo's history, drawn deterministically: each camera's events day by day at
the rates of `demo_catalog` (rush hours, evenings and weekends, the flood season, nights),
and its outages, during which it saw nothing."""

import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from gisioc.cameras import demo_catalog as c
from gisioc.periods import VIETNAM


@dataclass(frozen=True)
class Drawn:
    """One demo event before it is stored."""

    external_id: str
    camera: str  # the camera's code
    kind: str
    occurred_at: dt.datetime
    ended_at: dt.datetime
    confidence: float
    label: str
    variant: int  # which of the kind's demo pictures
    status: str


@dataclass(frozen=True)
class Stretch:
    """An outage: offline from `started_at` to `ended_at` (None: still offline)."""

    camera: str
    started_at: dt.datetime
    ended_at: dt.datetime | None


def days(first: dt.date = c.START, last: dt.date | None = None) -> Iterator[dt.date]:
    """Vietnam days from `first` to `last` (the snapshot's day) inclusive."""
    last = last or c.SNAPSHOT.date()
    for n in range((last - first).days + 1):
        yield first + dt.timedelta(days=n)


def in_flood(day: dt.date) -> bool:
    """True on a day of a flood episode."""
    return any(first <= day <= last for first, last in c.FLOODS)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's; means here are small)."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def rates(spec: c.CameraSpec, day: dt.date) -> dict[str, float]:
    """Expected events of each kind at a camera on a day."""
    out = dict(c.RATES[spec.kind])
    if spec.market:
        out["encroachment"] = c.MARKET_ENCROACHMENT
    weekend = day.weekday() >= 5
    for kind in out:
        if weekend:
            out[kind] *= c.WEEKEND.get(kind, 1.0)
        if kind == "fire_smoke" and day.month in c.DRY_MONTHS:
            out[kind] *= 3.0
    if spec.low_road or spec.kind == c.FLOOD_GAUGE:
        if in_flood(day):
            key = c.FLOOD_GAUGE if spec.kind == c.FLOOD_GAUGE else "low_road"
            out["flooding"] = c.FLOODING_IN_FLOOD[key]
        elif day.month in c.RAINY_MONTHS:
            out["flooding"] = out.get("flooding", 0.0) + c.FLOODING_RAINY
    return out


def _half_hour_weights(kind: str) -> list[float]:
    weights = []
    for half in range(48):
        weight = c.HOURS[kind][half // 2]
        start = half * 30
        if kind in c.RUSH_KINDS and any(a <= start < b for a, b in c.RUSH):
            weight *= c.TRAFFIC_RUSH
        weights.append(weight)
    return list(itertools.accumulate(weights))


_CUMULATIVE = {kind: _half_hour_weights(kind) for kind in c.HOURS}


def moment(rng: random.Random, kind: str, day: dt.date) -> dt.datetime:
    """A moment of the day for an event of the kind, by its hours' weights."""
    cumulative = _CUMULATIVE[kind]
    half = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    seconds = min(half, 47) * 1800 + rng.randrange(1800)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=VIETNAM)
    return midnight + dt.timedelta(seconds=seconds)


def outages(spec: c.CameraSpec) -> list[Stretch]:
    """The camera's outages over the demo: a few a year, longer in the floods, more at the
    flaky camera; the broken gauge's last one lasts past the snapshot."""
    rng = random.Random(f"gisioc-demo-camera-outages:{spec.code}")
    count = rng.randint(1, 4) + (8 if spec.code == c.FLAKY else 0)
    span = (c.SNAPSHOT - dt.datetime.combine(c.START, dt.time(), tzinfo=VIETNAM)).total_seconds()
    found = []
    for _ in range(count):
        start = dt.datetime.combine(c.START, dt.time(), tzinfo=VIETNAM) + dt.timedelta(
            seconds=rng.uniform(0, span - 3 * 86400)
        )
        hours = rng.choice((0.4, 0.8, 1.5, 3, 6, 20, 40))
        if spec.code == c.FLAKY:
            hours = min(hours, 1.5)
        found.append(Stretch(spec.code, _second(start), _second(start + dt.timedelta(hours=hours))))
    if spec.code == c.BROKEN:
        found.append(Stretch(spec.code, dt.datetime(2026, 10, 29, 3, 12, 40, tzinfo=VIETNAM), None))
    found.sort(key=lambda s: s.started_at)
    merged: list[Stretch] = []
    for stretch in found:  # overlapping draws become one outage
        last = merged[-1] if merged else None
        if last and last.ended_at is not None and stretch.started_at <= last.ended_at:
            end = None if stretch.ended_at is None else max(last.ended_at, stretch.ended_at)
            merged[-1] = Stretch(spec.code, last.started_at, end)
        else:
            merged.append(stretch)
    return merged


def _second(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


def _offline(at: dt.datetime, stretches: list[Stretch]) -> bool:
    return any(s.started_at <= at and (s.ended_at is None or at < s.ended_at) for s in stretches)


def _status(rng: random.Random, confidence: float, at: dt.datetime, as_of: dt.datetime) -> str:
    """Staff look at most events within days; a few recent ones are still new. Always two
    draws, so the day's later events do not depend on `as_of`."""
    age = (as_of - at).total_seconds() / 86400
    fresh, dismiss = rng.random(), rng.random()
    if (age < 2 and fresh < 0.7) or (age >= 2 and fresh < 0.015):
        return "new"
    return "dismissed" if dismiss < (0.45 if confidence < 0.65 else 0.12) else "acknowledged"


def camera_events(
    spec: c.CameraSpec,
    stretches: list[Stretch],
    *,
    after: dt.datetime | None = None,
    until: dt.datetime = c.SNAPSHOT,
) -> Iterator[Drawn]:
    """The camera's events after `after` (default: from the start) up to `until` (default:
    the snapshot), in order of time, none while it was offline; a day's events are the same
    whatever the bounds."""
    first = after.astimezone(VIETNAM).date() if after else c.START
    for day in days(first, until.astimezone(VIETNAM).date()):
        rng = random.Random(f"gisioc-demo-camera-day:{spec.code}:{day.isoformat()}")
        drawn = []
        for kind, mean in sorted(rates(spec, day).items()):
            for _ in range(poisson(rng, mean)):
                at = moment(rng, kind, day)
                low, high = c.CONFIDENCE[kind]
                confidence = round(rng.triangular(low, high, high - 0.05), 3)
                last = rng.randint(*c.DURATION[kind])
                label = rng.choice(c.LABELS[kind])
                variant = rng.randrange(3)
                status = _status(rng, confidence, at, until)
                drawn.append((at, kind, confidence, last, label, variant, status))
        drawn.sort(key=lambda d: (d[0], d[1]))
        for number, (at, kind, confidence, last, label, variant, status) in enumerate(drawn):
            if at > until or (after and at <= after) or _offline(at, stretches):
                continue
            yield Drawn(
                f"{spec.code}-{at:%Y%m%d}-{number:03d}",
                spec.code,
                kind,
                at,
                min(at + dt.timedelta(seconds=last), until),
                confidence,
                label,
                variant,
                status,
            )


def demo_history() -> tuple[list[Drawn], list[Stretch]]:
    """Every demo event and outage, identical on every call."""
    events: list[Drawn] = []
    stretches: list[Stretch] = []
    for spec in c.CAMERAS:
        own = outages(spec)
        stretches += own
        events += camera_events(spec, own)
    return events, stretches


def events_after_snapshot(until: dt.datetime) -> list[Drawn]:
    """The events the demo's cameras would have seen from the snapshot up to `until` (the
    demo caught up to a later day: `demo.load`); the same rows for the same `until`."""
    events: list[Drawn] = []
    for spec in c.CAMERAS:
        events += camera_events(spec, outages(spec), after=c.SNAPSHOT, until=until)
    return events
