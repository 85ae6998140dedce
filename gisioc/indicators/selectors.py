"""Reads of indicators: the catalogue with its periods, a unit's or the whole area's series,
the ranking of communes and the dashboard. The values come from the SQL functions of
`sql/indicator_values.sql` (own, converted or combined), so every reader converts alike."""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from gisioc.errors import InvalidInput, NotFound
from gisioc.geo.models import AdminUnit, BoundaryVersion
from gisioc.indicators.models import Indicator, IndicatorMap
from gisioc.periods import period_of

POINT_COLUMNS = ("period", "value", "status", "target", "achieved", "standing")
RANK_COLUMNS = (
    "unit_id",
    "code",
    "name",
    "version",
    "approximate",
    "period",
    "value",
    "status",
    "per_capita",
    "base_value",
    "change",
    "change_pct",
    "avg7",
    "avg7_per_capita",
    "target",
    "achieved",
    "standing",
)
# The version a whole-area value of a period is read in: the one in force at the period's
# end (today for a period still running), the one published last when two are.
VERSION_AT = """(SELECT bv.id FROM geo_boundaryversion bv WHERE bv.status = 'published'
   AND bv.valid_from <= least(gisioc_period_end({p}), gisioc_today())
   AND (bv.valid_to IS NULL OR bv.valid_to >= least(gisioc_period_end({p}), gisioc_today()))
   ORDER BY bv.published_at DESC NULLS LAST, bv.id DESC LIMIT 1)"""


def _rows(sql: str, params: Iterable[object]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def indicators_list(*, domain: str | None = None) -> QuerySet[Indicator]:
    """The catalogue, in its order (of a domain when given)."""
    found = Indicator.objects.select_related("weight")
    return found.filter(domain=domain) if domain else found


def indicator_get(*, code: str) -> Indicator:
    """The indicator with this code, or NotFound."""
    found = Indicator.objects.select_related("weight").filter(code=code).first()
    if found is None:
        raise NotFound(f"Không có chỉ tiêu {code}.", f"No indicator {code}.")
    return found


def indicator_periods(codes: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per indicator code, the periods with actual values and with targets, oldest first, and
    whether any value is a commune's (`per_unit`; else only whole areas: nothing to map)."""
    where, params = ("WHERE indicator = ANY(%s)", [list(codes)]) if codes is not None else ("", [])
    rows = _rows(
        f"""SELECT indicator, kind, array_agg(DISTINCT period ORDER BY period) AS periods,
                   bool_or(NOT whole) AS per_unit
            FROM indicators_indicatorvalue {where} GROUP BY indicator, kind""",
        params,
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row["indicator"], {"actual": [], "target": [], "per_unit": False})
        entry[row["kind"]] = row["periods"]
        entry["per_unit"] |= row["kind"] == "actual" and row["per_unit"]
    return found


def period_check(label: str | None, *, name: str = "period") -> str:
    """A period label as given ('' when none), or InvalidInput naming the parameter."""
    if not label:
        return ""
    try:
        return period_of(label).label
    except InvalidInput as exc:
        raise InvalidInput(exc.vi, exc.en, field=name) from exc


def version_get(slug: str | None) -> BoundaryVersion | None:
    """A published version by slug (None when none is asked), or NotFound."""
    if not slug:
        return None
    found = BoundaryVersion.objects.filter(slug=slug, status="published").first()
    if found is None:
        raise NotFound(
            f"Không có phiên bản ranh giới đã công bố {slug}.", f"No published version {slug}."
        )
    return found


def unit_series(indicator: Indicator, unit: AdminUnit) -> list[dict[str, Any]]:
    """Every period of the indicator for a unit: its own value or one converted from the units
    it replaced, with the target and how the value stands against it."""
    return _rows(
        """SELECT p.period, x.value, x.status, t.value AS target,
                   gisioc_indicator_achieved(x.value, t.value, %s) AS achieved,
                   gisioc_indicator_standing(gisioc_indicator_achieved(x.value, t.value, %s),
                                             gisioc_period_end(p.period)) AS standing
            FROM (SELECT DISTINCT period FROM indicators_indicatorvalue WHERE indicator = %s) p
            LEFT JOIN LATERAL gisioc_indicator_unit_value(%s, %s, p.period, 'actual') x ON true
            LEFT JOIN LATERAL gisioc_indicator_unit_value(%s, %s, p.period, 'target') t ON true
            ORDER BY gisioc_period_start(p.period), p.period""",
        [
            indicator.higher_is_better,
            indicator.higher_is_better,
            indicator.code,
            indicator.code,
            unit.pk,
            indicator.code,
            unit.pk,
        ],
    )


def whole_series(
    indicator: Indicator, *, version: BoundaryVersion | None = None, since: str = ""
) -> list[dict[str, Any]]:
    """Every period of the indicator for the whole area: each period read in the version in
    force at its end (or in `version`), sent whole or combined from its communes."""
    at = "%s" if version else VERSION_AT.format(p="p.period")
    version_params = [version.pk] if version else []
    return _rows(
        f"""SELECT p.period, x.value, x.status, t.value AS target,
                   gisioc_indicator_achieved(x.value, t.value, %s) AS achieved,
                   gisioc_indicator_standing(gisioc_indicator_achieved(x.value, t.value, %s),
                                             gisioc_period_end(p.period)) AS standing
            FROM (SELECT DISTINCT period FROM indicators_indicatorvalue
                  WHERE indicator = %s AND period >= %s) p
            CROSS JOIN LATERAL (SELECT {at} AS version_id) v
            LEFT JOIN LATERAL gisioc_indicator_whole_value(%s, v.version_id, p.period, 'actual') x
              ON true
            LEFT JOIN LATERAL gisioc_indicator_whole_value(%s, v.version_id, p.period, 'target') t
              ON true
            ORDER BY gisioc_period_start(p.period), p.period""",
        [
            indicator.higher_is_better,
            indicator.higher_is_better,
            indicator.code,
            since,
            *version_params,
            indicator.code,
            indicator.code,
        ],
    )


def ranking(
    indicator: Indicator,
    *,
    period: str = "",
    version: BoundaryVersion | None = None,
    base: str = "",
) -> list[dict[str, Any]]:
    """The communes of a version (those in force by default) by the indicator's value in a
    period (the latest by default), best first; ties and missing values last, by name."""
    rows = list(
        IndicatorMap.objects.filter(
            indicator=indicator.code,
            period_key=period,
            version_key=version.slug if version else "",
            base=base,
        ).values(*RANK_COLUMNS)
    )
    best_low = indicator.higher_is_better is False
    rows.sort(
        key=lambda r: (
            r["value"] is None,
            (r["value"] or 0) if best_low else -(r["value"] or 0),
            r["name"],
        )
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["value"] is not None else None
    return rows


def whole_value(
    indicator: Indicator, *, period: str, version: BoundaryVersion | None = None
) -> dict[str, Any]:
    """The whole area's value and target of a period (in force at its end unless `version`)."""
    at = "%s" if version else VERSION_AT.format(p="%s")
    params = [version.pk] if version else [period, period]
    found = _rows(
        f"""SELECT x.value, x.status, t.value AS target,
                   gisioc_indicator_achieved(x.value, t.value, %s) AS achieved,
                   gisioc_indicator_standing(gisioc_indicator_achieved(x.value, t.value, %s),
                                             gisioc_period_end(%s)) AS standing
            FROM (SELECT {at} AS version_id) v
            LEFT JOIN LATERAL gisioc_indicator_whole_value(%s, v.version_id, %s, 'actual') x
              ON true
            LEFT JOIN LATERAL gisioc_indicator_whole_value(%s, v.version_id, %s, 'target') t
              ON true""",
        [
            indicator.higher_is_better,
            indicator.higher_is_better,
            period,
            *params,
            indicator.code,
            period,
            indicator.code,
            period,
        ],
    )
    return found[0]


def latest_period(periods: list[str], *, until: str = "") -> str:
    """The latest of the periods that starts no later than `until` ends (the latest of all
    when `until` is '')."""
    if not until:
        return periods[-1] if periods else ""
    end = period_of(until).end
    started = [p for p in periods if period_of(p).start <= end]
    return max(started, key=lambda p: period_of(p).start, default="")


def dashboard(*, period: str = "", spark: int = 8) -> list[dict[str, Any]]:
    """The headline indicators for the whole area: the latest value up to the period, its
    target and standing, the previous value and a short series."""
    items = []
    for indicator in indicators_list().filter(headline=True):
        series = [p for p in whole_series(indicator) if p["value"] is not None]
        labels = [p["period"] for p in series]
        chosen = latest_period(labels, until=period)
        if not chosen:
            items.append({"indicator": indicator, "period": None, "spark": []})
            continue
        at = labels.index(chosen)
        point = series[at]
        previous = series[at - 1]["value"] if at > 0 else None
        change = round(100 * (point["value"] - previous) / abs(previous), 1) if previous else None
        items.append(
            {
                "indicator": indicator,
                **point,
                "previous": previous,
                "change_pct": change,
                "spark": [
                    {"period": p["period"], "value": p["value"]}
                    for p in series[max(0, at - spark + 1) : at + 1]
                ],
            }
        )
    return items
