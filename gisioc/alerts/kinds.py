"""What each kind of rule watches: its parameters (checked) and the keys whose value meets
the rule's comparison now, each with its place. One set-based query per rule."""

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection

from gisioc.errors import InvalidInput
from gisioc.kpis import kpi_sets
from gisioc.periods import ALL_TIME, VIETNAM, Period, vietnam_date

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
DISEASES = ("dengue", "hfmd", "measles", "influenza", "cholera", "diarrhoea")
EVENT_KINDS = (
    "traffic_violation",
    "wrong_way",
    "crowd",
    "flooding",
    "fire_smoke",
    "illegal_dumping",
    "encroachment",
)
PERIODS = ("year", "month", "all")


@dataclass(frozen=True)
class Finding:
    """A key whose condition holds: its value, title, place and what the map selects."""

    key: str
    value: float
    title_vi: str
    title_en: str
    lon: float | None = None
    lat: float | None = None
    unit_id: int | None = None
    sel: str = ""  # the map's `sel=` (unit:12, facility:34)
    zoom: float = 13


def _bad(vi: str, en: str) -> InvalidInput:
    return InvalidInput(vi, en, field="params")


def _number(params: Mapping[str, Any], name: str, default: float, low: float, high: float) -> float:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _bad(
            f"Tham số {name} phải là số từ {low:g} đến {high:g}.",
            f"Parameter {name} must be a number from {low:g} to {high:g}.",
        )
    return value


def _choice(params: Mapping[str, Any], name: str, choices: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    if value not in choices:
        raise _bad(
            f"Tham số {name} phải là một trong: {', '.join(choices)}.",
            f"Parameter {name} must be one of: {', '.join(choices)}.",
        )
    return value


def _only(params: Mapping[str, Any], names: tuple[str, ...]) -> None:
    extra = sorted(set(params) - set(names))
    if extra:
        raise _bad(
            f"Tham số không dùng được: {', '.join(extra)} (dùng: {', '.join(names)}).",
            f"Unknown parameters: {', '.join(extra)} (known: {', '.join(names)}).",
        )


def params_check(kind: str, params: Any) -> dict[str, Any]:
    """The kind's parameters, complete with defaults, or InvalidInput naming `params`."""
    if not isinstance(params, Mapping):
        raise _bad("Tham số phải là một đối tượng JSON.", "Parameters must be a JSON object.")
    if kind == "kpi":
        _only(params, ("record", "figure", "period"))
        records = {k.record: k for k in kpi_sets}
        record = params.get("record")
        if record not in records:
            raise _bad(
                f"Tham số record phải là một trong: {', '.join(sorted(records))}.",
                f"Parameter record must be one of: {', '.join(sorted(records))}.",
            )
        kpi_set = records[record]
        numbers = [f.id for f in kpi_set.figures if f.__class__.__name__ != "PerPopulation"]
        if params.get("figure") not in numbers:
            raise _bad(
                f"Tham số figure phải là một chỉ tiêu của {record}: {', '.join(numbers)}.",
                f"Parameter figure must be one of {record}'s figures: {', '.join(numbers)}.",
            )
        if "unit" not in kpi_set.groups:
            raise _bad(f"{record} không tính theo xã.", f"{record} has no figures per commune.")
        period = _choice(params, "period", PERIODS, "year")
        return {"record": record, "figure": params["figure"], "period": period}
    if kind == "indicator_trend":
        _only(params, ("disease", "weeks", "factor"))
        return {
            "disease": _choice(params, "disease", DISEASES, "dengue"),
            "weeks": int(_number(params, "weeks", 4, 1, 26)),
            "factor": _number(params, "factor", 2, 0, 100),
        }
    if kind == "event_cluster":
        _only(params, ("event_kind", "radius_m", "minutes"))
        return {
            "event_kind": _choice(params, "event_kind", EVENT_KINDS, "flooding"),
            "radius_m": _number(params, "radius_m", 1000, 10, 50_000),
            "minutes": _number(params, "minutes", 60, 1, 7 * 24 * 60),
        }
    if kind == "camera_offline":
        _only(params, ())
        return {}
    raise InvalidInput(f"Không có loại quy tắc {kind!r}.", f"No rule kind {kind!r}.", field="kind")


def _rows(sql: str, args: Mapping[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _period(name: str, now: dt.datetime) -> Period:
    today = vietnam_date(now)
    if name == "all":
        return ALL_TIME
    if name == "month":
        first = today.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return Period(first.strftime("%Y-%m"), first, last)
    return Period(str(today.year), dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


def _places(unit_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each unit's name and a point inside it."""
    if not unit_ids:
        return {}
    rows = _rows(
        "SELECT id, name, ST_X(p) AS lon, ST_Y(p) AS lat FROM ("
        "  SELECT id, name, ST_PointOnSurface(geom) AS p FROM geo_adminunit"
        "  WHERE id = ANY(%(ids)s)) u",
        {"ids": unit_ids},
    )
    return {r["id"]: r for r in rows}


def kpi_find(rule: Any, now: dt.datetime, active: Mapping[str, Any]) -> list[Finding]:
    """Communes whose figure meets the rule (the KPI set's own counting, one grouped query)."""
    p = rule.params
    kpi_set = next(k for k in kpi_sets if k.record == p["record"])
    figure = kpi_set.figure(p["figure"])
    groups = kpi_set.kpis_by(period=_period(p["period"], now), by="unit", as_of=now)
    compare = COMPARE[rule.comparison]
    hits = {
        g["key"]: g["kpis"][figure.id]
        for g in groups
        if g["key"] is not None
        and g["kpis"][figure.id] is not None
        and compare(g["kpis"][figure.id], rule.threshold)
    }
    places = _places(list(hits))
    found = []
    for unit_id, value in hits.items():
        place = places.get(unit_id, {})
        name = place.get("name", str(unit_id))
        found.append(
            Finding(
                key=f"unit:{unit_id}",
                value=float(value),
                title_vi=f"{rule.name_vi}: {name} — {figure.title.vi} {value:g}",
                title_en=f"{rule.name_en}: {name} — {figure.title.en} {value:g}",
                lon=place.get("lon"),
                lat=place.get("lat"),
                unit_id=unit_id,
                sel=f"unit:{unit_id}",
            )
        )
    return found


TREND_SQL = """
SELECT u.id AS unit_id, u.name, ST_X(ST_PointOnSurface(u.geom)) AS lon,
       ST_Y(ST_PointOnSurface(u.geom)) AS lat, round(c.cases)::float8 AS cases,
       (c.previous / %(weeks)s)::float8 AS mean
FROM (
  SELECT r.unit_id,
         coalesce(sum(r.share) FILTER (WHERE e.admitted_at >= %(start)s), 0) AS cases,
         coalesce(sum(r.share) FILTER (WHERE e.admitted_at < %(start)s), 0) AS previous
  FROM health_encounter e JOIN gisioc_unit_rollup r ON r.from_id = e.residence_id
  WHERE gisioc_health_disease(e.diagnosis) = %(disease)s
    AND e.admitted_at >= %(first)s AND e.admitted_at < %(now)s
  GROUP BY r.unit_id
) c JOIN gisioc_units u ON u.id = c.unit_id AND u.in_force AND u.level = 'commune'
"""


def trend_find(rule: Any, now: dt.datetime, active: Mapping[str, Any]) -> list[Finding]:
    """Communes whose cases this ISO week (so far, by residence) meet the threshold and reach
    `factor` × the mean of the `weeks` weeks before."""
    p = rule.params
    today = vietnam_date(now)
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time(), VIETNAM)
    first = start - dt.timedelta(weeks=p["weeks"])
    args = {**p, "start": start, "first": first, "now": now}
    compare = COMPARE[rule.comparison]
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    found = []
    for r in _rows(TREND_SQL, args):
        cases, mean = r["cases"], r["mean"]
        if not (compare(cases, rule.threshold) and cases >= p["factor"] * mean):
            continue
        found.append(
            Finding(
                key=f"unit:{r['unit_id']}",
                value=cases,
                title_vi=f"{rule.name_vi}: {r['name']} — {cases:g} ca tuần {week} "
                f"(trung bình {p['weeks']} tuần trước {mean:.1f})",
                title_en=f"{rule.name_en}: {r['name']} — {cases:g} cases in {week} "
                f"(mean of the {p['weeks']} weeks before {mean:.1f})",
                lon=r["lon"],
                lat=r["lat"],
                unit_id=r["unit_id"],
                sel=f"unit:{r['unit_id']}",
            )
        )
    return found


CLUSTER_SQL = """
WITH ev AS (
  SELECT e.id, e.geom, e.unit_id FROM cameras_cameraevent e
  WHERE e.kind = %(event_kind)s AND e.occurred_at > %(since)s AND e.occurred_at <= %(now)s
    AND e.geom IS NOT NULL
), cl AS (
  SELECT ev.*, ST_ClusterDBSCAN(ST_Transform(ev.geom, 3857), eps := %(eps)s,
                                minpoints := %(minpoints)s) OVER () AS cid
  FROM ev
)
SELECT count(*)::int AS n, ST_X(ST_Centroid(ST_Collect(geom))) AS lon,
       ST_Y(ST_Centroid(ST_Collect(geom))) AS lat, mode() WITHIN GROUP (ORDER BY unit_id) AS unit_id
FROM cl WHERE cid IS NOT NULL GROUP BY cid
"""
EARTH_M = 6_371_008.8


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(min(1, math.sqrt(h)))


def cluster_find(rule: Any, now: dt.datetime, active: Mapping[str, Any]) -> list[Finding]:
    """Clusters of a kind's camera events in the last `minutes` (DBSCAN: at least the
    threshold's count within `radius_m`); a cluster near one already alerted keeps its key."""
    p = rule.params
    least = math.floor(rule.threshold) + 1 if rule.comparison == "gt" else math.ceil(rule.threshold)
    minpoints = max(1, least)
    # Web Mercator stretches lengths by 1/cos(latitude); Vietnam's towns lie at 8–23° N.
    eps = p["radius_m"] / math.cos(math.radians(16))
    args = {**p, "since": now - dt.timedelta(minutes=p["minutes"]), "now": now}
    rows = _rows(CLUSTER_SQL, {**args, "eps": eps, "minpoints": minpoints})
    compare = COMPARE[rule.comparison]
    label = _event_label(p["event_kind"])
    found: list[Finding] = []
    taken: set[str] = set()
    for r in sorted(rows, key=lambda r: (-r["n"], r["lon"], r["lat"])):
        if not compare(r["n"], rule.threshold):
            continue
        key = next(
            (
                k
                for k, s in active.items()
                if k not in taken
                and s.point is not None
                and _metres(s.point.x, s.point.y, r["lon"], r["lat"]) <= p["radius_m"]
            ),
            f"{p['event_kind']}@{r['lat']:.5f},{r['lon']:.5f}",
        )
        taken.add(key)
        minutes = f"{p['minutes']:g}"
        found.append(
            Finding(
                key=key,
                value=float(r["n"]),
                title_vi=f"{rule.name_vi}: {r['n']} sự kiện {label[0]} trong "
                f"{p['radius_m']:g} m, {minutes} phút",
                title_en=f"{rule.name_en}: {r['n']} {label[1]} events within "
                f"{p['radius_m']:g} m in {minutes} min",
                lon=r["lon"],
                lat=r["lat"],
                unit_id=r["unit_id"],
                zoom=15,
            )
        )
    return found


def _event_label(kind: str) -> tuple[str, str]:
    from gisioc.cameras.models import CameraEvent

    vi, _, en = str(CameraEvent.Kind(kind).label).partition(" / ")
    return vi.lower(), (en or vi).lower()


OFFLINE_SQL = """
SELECT c.id, f.id AS facility_id, f.name, f.unit_id, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat,
       extract(epoch FROM %(now)s - coalesce(o.started_at, c.status_since))
         / 60 AS minutes
FROM cameras_camera c JOIN geo_facility f ON f.id = c.facility_id
LEFT JOIN cameras_outage o ON o.camera_id = c.id AND o.ended_at IS NULL
WHERE c.status = 'offline'
  AND coalesce(o.started_at, c.status_since) IS NOT NULL
"""


def duration_words(minutes: int) -> tuple[str, str]:
    """A stretch of minutes as people say it (Vietnamese, English): 45 phút, 5 giờ 12 phút,
    37 ngày 19 giờ — not 54479 minutes."""
    hours, mins = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if not hours and not days:
        return f"{mins} phút", f"{mins} min"
    if not days and hours < 48:
        return f"{hours} giờ {mins} phút", f"{hours} h {mins} min"
    return f"{days} ngày {hours} giờ", f"{days} days {hours} h"


def offline_find(rule: Any, now: dt.datetime, active: Mapping[str, Any]) -> list[Finding]:
    """Cameras offline for longer than the threshold's minutes (from their open outage)."""
    compare = COMPARE[rule.comparison]
    found = []
    for r in _rows(OFFLINE_SQL, {"now": now}):
        minutes = math.floor(r["minutes"])
        if not compare(r["minutes"], rule.threshold):
            continue
        vi, en = duration_words(minutes)
        found.append(
            Finding(
                key=f"camera:{r['id']}",
                value=float(minutes),
                title_vi=f"{rule.name_vi}: {r['name']} mất kết nối {vi}",
                title_en=f"{rule.name_en}: {r['name']} offline for {en}",
                lon=r["lon"],
                lat=r["lat"],
                unit_id=r["unit_id"],
                sel=f"facility:{r['facility_id']}",
                zoom=16,
            )
        )
    return found


FINDERS: dict[str, Callable[[Any, dt.datetime, Mapping[str, Any]], list[Finding]]] = {
    "kpi": kpi_find,
    "indicator_trend": trend_find,
    "event_cluster": cluster_find,
    "camera_offline": offline_find,
}
