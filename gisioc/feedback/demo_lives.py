"""The feedback demo's reports, drawn once each with their whole handling (`Life`): seeded,
no clock. What happens after the snapshot is cut off when the demo is written."""

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point

from gisioc import workdays
from gisioc.feedback import demo_catalog as c
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.demo_world import NEW, OLD, Commune
from gisioc.feedback.services import OPEN, due_compute
from gisioc.geo.demo_facilities import NEW_COMMITTEE
from gisioc.geo.text import fold
from gisioc.periods import VIETNAM, vietnam_date

FIRST_DAY, LAST_DAY = dt.date(2025, 5, 1), dt.date(2026, 10, 31)
REFORM_AT = dt.datetime(2025, 7, 1, 8, 0, tzinfo=VIETNAM)  # the new bodies' first morning
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 30, tzinfo=VIETNAM)
HOUR = dt.timedelta(hours=1)
# Hours of the day reports come in at (0–23), weighted: mornings and early evenings.
HOURS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4.5, 4.5, 4, 3.2, 2, 2.5, 3.5, 3.6, 3.4, 3, 2.6,
         2.8, 2.4, 1.6, 0.8, 0.4]  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One move of the workflow: the service's action, when, and what it is given."""

    action: str  # verify reject merge assign start extend resolve publish rate close
    at: dt.datetime
    note: str = ""
    value: Any = None  # rejection reason, merge target id, extension days, satisfied


@dataclass(frozen=True)
class Life:
    """A report from its receipt on: the intake values and every step it will take."""

    values: dict[str, Any] = field(repr=False)  # as the adapter's rows (see ingest.py)
    steps: tuple[Step, ...]
    due_on: dt.date  # its deadline, extensions included
    before_photo: bool = False
    after_photo: bool = False

    @property
    def code(self) -> str:
        """The sender's id."""
        return str(self.values["external_id"])

    @property
    def received(self) -> dt.datetime:
        """When it came in."""
        return self.values["received_at"]

    def settled_by(self, moment: dt.datetime) -> bool:
        """Nothing more of it changes at its sender after `moment`: a report is sent once,
        its handling is ours (the fake intake feed's view)."""
        return self.received <= moment

    def steps_by(self, moment: dt.datetime) -> tuple[Step, ...]:
        """The steps taken by `moment`."""
        return tuple(s for s in self.steps if s.at <= moment)

    def status(self, moment: dt.datetime) -> str:
        """Its status at `moment` (the last step's)."""
        status = "received"
        for step in self.steps_by(moment):
            status = TO.get(step.action, status)
        return status

    def overdue(self, moment: dt.datetime) -> bool:
        """Open past its deadline at `moment` (Vietnam day)."""
        return self.status(moment) in OPEN and vietnam_date(moment) > self.due_on


TO = {"verify": "verified", "reject": "rejected", "merge": "merged", "assign": "assigned",
      "start": "in_progress", "resolve": "resolved", "publish": "published",
      "close": "closed"}  # fmt: skip


def _at(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), VIETNAM) + dt.timedelta(hours=hour)


def office_time(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """The moment, or the next office hour (7:30–17:00 on a working day) after it."""
    local = moment.astimezone(VIETNAM)
    day, hour = local.date(), local.hour + local.minute / 60
    if workdays.is_working(day) and 7.5 <= hour < 17:
        return moment.replace(microsecond=0)
    if not workdays.is_working(day) or hour >= 17:
        day = workdays.after(day + dt.timedelta(days=1), 0)
    return _at(day, rng.uniform(7.5, 9.5)).replace(microsecond=0)


class Generator:
    """The demo's reports, day by day, from one seeded random stream."""

    def __init__(self, communes: dict[str, list[Commune]], seed: str = "gisioc-demo-feedback"):
        self.rng = random.Random(seed)
        self.communes = communes
        self.weights = {
            slug: list(itertools.accumulate(x.weight for x in found))
            for slug, found in communes.items()
        }
        self.channels = [name for name, _ in c.CHANNELS]
        self.channel_weights = list(itertools.accumulate(w for _, w in c.CHANNELS))
        self.count = 0
        self.recent: dict[tuple[str, str], list[tuple[dt.datetime, str]]] = {}

    def lives(self, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> Iterator[Life]:
        """Every report received from `first` to `last`, in order of receipt."""
        day = first
        while day <= last:
            todays = []
            for category, monthly in c.MONTHLY.items():
                mean = monthly * c.SEASON.get(category, {}).get(day.month, 1.0) * 12 / 365
                mean *= c.WEEKEND if day.weekday() >= 5 else 1.0
                for _ in range(self._poisson(mean)):
                    todays.append((self._received(day), category))
            for received, category in sorted(todays):
                yield self.life(received, category)
            day += dt.timedelta(days=1)

    def _poisson(self, mean: float) -> int:
        count, threshold, product = 0, pow(2.718281828459045, -mean), self.rng.random()
        while product > threshold:
            count += 1
            product *= self.rng.random()
        return count

    def _received(self, day: dt.date) -> dt.datetime:
        hour = self.rng.choices(range(24), weights=HOURS)[0]
        return _at(day, hour + self.rng.random()).replace(microsecond=0)

    def life(self, received: dt.datetime, category: str) -> Life:
        """One report and its handling."""
        rng = self.rng
        self.count += 1
        channel = rng.choices(self.channels, cum_weights=self.channel_weights)[0]
        slug = OLD if vietnam_date(received) < c.REFORM else NEW
        commune = rng.choices(self.communes[slug], cum_weights=self.weights[slug])[0]
        lon, lat = commune.point(rng)
        values = self._intake(received, category, channel, commune, lon, lat)
        due = due_compute(category=category, received_at=received)
        steps, due, merged_or_rejected = self._steps(received, category, due, commune.code)
        if slug == OLD and category in c.HANDED_OVER:
            steps = self._handover(steps, category, lon, lat)
        if not merged_or_rejected:
            self.recent.setdefault((category, commune.code), []).append(
                (received, values["external_id"])
            )
            del self.recent[(category, commune.code)][:-5]
        published = any(s.action == "publish" for s in steps)
        return Life(
            values,
            tuple(steps),
            due,
            before_photo=rng.random() < c.BEFORE_PHOTO,
            after_photo=published and rng.random() < c.AFTER_PHOTO,
        )

    def _intake(
        self, received: dt.datetime, category: str, channel: str, commune: Commune,
        lon: float, lat: float,
    ) -> dict[str, Any]:  # fmt: skip
        rng = self.rng
        text = rng.choice(c.TEXTS[category]).format(
            road=rng.choice(c.ROADS), hamlet=rng.choice(c.HAMLETS),
            landmark=rng.choice(c.LANDMARKS), n=rng.randint(2, 9),
        )  # fmt: skip
        name = phone = email = ""
        identified = channel == "hotline" or rng.random() < c.IDENTIFIED
        if identified and (channel != "hotline" or rng.random() < c.IDENTIFIED):
            name = f"{rng.choice(c.FAMILY)} {rng.choice(c.MIDDLE)} {rng.choice(c.GIVEN)}"
        if identified:
            phone = rng.choice(c.PHONE_HEADS) + f"{rng.randint(0, 9_999_999):07d}"
        if identified and channel == "email":
            email = (
                f"{fold(name or 'ban doc').replace(' ', '.')}{rng.randint(1, 99)}@thu.example.vn"
            )
        if phone and rng.random() < 0.05:  # the public text will have it masked
            text += f" Liên hệ {phone}."
        call_at = None
        if channel == "hotline":
            call_at = received - dt.timedelta(minutes=rng.uniform(2, 12))
            call_at = call_at.replace(microsecond=0)
        hamlet = rng.choice(c.HAMLETS)
        return {
            "external_id": f"{c.PREFIX[channel]}-{received:%y%m}-{self.count:06d}",
            "category": category,
            "title": c.TITLES[category],
            "description": text,
            "channel": channel,
            "received_at": received,
            "call_at": call_at,
            "lon": lon,
            "lat": lat,
            "address": f"{hamlet}, {commune.name}",
            "reporter_name": name,
            "reporter_phone": phone,
            "reporter_email": email,
            "anonymous": not name or rng.random() < 0.35,
        }

    def _handover(self, steps: list[Step], category: str, lon: float, lat: float) -> list[Step]:
        """A report for an old commune's body still open at the reform: handed over on the new
        bodies' first morning to the one its new commune's routing names (a reassignment; one
        assigned later is assigned to it)."""
        ends = [s.at for s in steps if s.action in ("resolve", "reject", "merge")]
        if ends and ends[0] < REFORM_AT:
            return steps
        new = next(x for x in self.communes[NEW] if x.inside.contains(Point(lon, lat)))
        police = category in c.POLICE_CATEGORIES
        agency = c.POLICE.format(code=new.code) if police else NEW_COMMITTEE.format(code=new.code)
        before = [s for s in steps if s.at < REFORM_AT]
        after = [s for s in steps if s.at >= REFORM_AT]
        out = list(before)
        if any(s.action == "assign" for s in before):
            out.append(Step("assign", REFORM_AT, c.HANDOVER, agency))
            resumed = REFORM_AT + 2 * HOUR  # the new body takes it up
            if any(s.action == "start" for s in before) and (not after or after[0].at > resumed):
                out.append(Step("start", resumed))
        out += [Step("assign", s.at, "", agency) if s.action == "assign" else s for s in after]
        return out

    def _merge_target(self, received: dt.datetime, key: tuple[str, str]) -> str | None:
        recent = [
            code for at, code in self.recent.get(key, []) if received - at < dt.timedelta(days=10)
        ]
        return recent[-1] if recent else None

    def _steps(
        self, received: dt.datetime, category: str, due: dt.date, commune: str
    ) -> tuple[list[Step], dt.date, bool]:
        rng = self.rng
        verified = office_time(received + HOUR * rng.uniform(0.3, 5), rng)
        roll = rng.random()
        if roll < c.REJECTED:
            reason, note = rng.choice(c.REJECTIONS)
            return [Step("reject", verified, note, reason)], due, True
        if roll < c.REJECTED + c.MERGED:
            target = self._merge_target(received, (category, commune))
            if target is not None:
                return [Step("merge", verified, "", target)], due, True
        steps = [Step("verify", verified)]
        assigned = office_time(verified + HOUR * rng.uniform(0.2, 3), rng)
        steps.append(Step("assign", assigned))
        started = office_time(assigned + HOUR * rng.uniform(1, 30), rng)
        steps.append(Step("start", started))
        floor = started + HOUR
        if rng.random() < c.EXTENDED / (1 - c.REJECTED - c.MERGED):
            days, reason = rng.randint(3, 10), rng.choice(c.EXTENSION_REASONS)
            extended = office_time(started + HOUR * 20, rng)
            steps.append(Step("extend", extended, reason, days))
            due, floor = workdays.after(due, days), extended + HOUR
        day = vietnam_date(received)
        if rng.random() < c.STUCK:  # forgotten in the agency's queue for months
            done_day = workdays.after(due, rng.randint(*c.STUCK_DAYS))
        elif rng.random() < c.LATE:
            done_day = workdays.after(due, rng.randint(1, 12))
        else:
            span = max(1, BY_CODE[category].days)
            done_day = min(due, workdays.after(day, int(rng.triangular(0, span, span * 0.4))))
        resolved = max(_at(done_day, rng.uniform(8, 17)), floor)
        resolved = office_time(resolved, rng)
        steps.append(Step("resolve", resolved, "", c.RESULTS[category]))
        published = office_time(resolved + HOUR * rng.uniform(0.5, 20), rng)
        steps.append(Step("publish", published))
        last = published
        if rng.random() < c.RATED:
            last = (published + HOUR * rng.uniform(2, 120)).replace(microsecond=0)
            steps.append(Step("rate", last, "", rng.random() < c.SATISFIED))
        if rng.random() < c.CLOSED_OF_PUBLISHED:
            steps.append(Step("close", office_time(last + HOUR * rng.uniform(24, 170), rng)))
        return sorted(steps, key=lambda s: s.at), due, False
