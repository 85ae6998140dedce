"""The indicators' section of the district and commune profiles: the headline indicators'
latest values with their targets, and their trends with the target line."""

from gisioc.indicators import selectors
from gisioc.indicators.models import Indicator
from gisioc.profiles.registry import ProfileScope, Section, register_section
from gisioc.systems import system_get
from gisioc.texts import Text


def _points(indicator: Indicator, scope: ProfileScope) -> list[dict]:
    if scope.unit is None:
        return selectors.whole_series(indicator)
    return selectors.unit_series(indicator, scope.unit)


@register_section("indicators", order=70)
def indicators_section(scope: ProfileScope) -> Section:
    """Headline indicators of the unit (converted from its former communes before 2025) or
    of the whole area, as of the profile's period (the latest when none)."""
    spec = system_get("indicators")
    section = Section("indicators", "indicators", spec.title)
    # No freshness flag: statistics come monthly or yearly, never "stale" after a few days.
    until = scope.period.label if scope.period else ""
    headline = selectors.indicators_list().filter(headline=True)
    for indicator in headline[:2] if scope.brief else headline:
        points = [p for p in _points(indicator, scope) if p["value"] is not None or p["target"]]
        unit = Text(indicator.unit_vi, indicator.unit_en)
        title = Text(indicator.name_vi, indicator.name_en)
        fmt = "int" if indicator.decimals == 0 else "decimal"
        shown = [p for p in points if p["value"] is not None]
        chosen = selectors.latest_period([p["period"] for p in shown], until=until)
        point = next((p for p in shown if p["period"] == chosen), None)
        section.kpi(indicator.code, title, point["value"] if point else None, unit=unit, format=fmt)
        section.kpis[-1].update(
            {
                key: point[key] if point else None
                for key in ("period", "status", "target", "achieved", "standing")
            }
        )
        if scope.brief:
            continue
        section.series.append(
            {
                "id": f"indicator_{indicator.code}",
                "title": title.as_dict(),
                "unit": unit.as_dict(),
                "format": fmt,
                "indicator": indicator.code,
                "points": [
                    {k: p[k] for k in ("period", "value", "target", "status")} for p in points
                ],
            }
        )
    return section
