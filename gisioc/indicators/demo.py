"""Deterministic socio-economic indicators of the former Duy Xuyên district, 2019–2026.

Values as the statistics, finance, labour, agriculture, education and health offices report
them, with the People's Council's yearly targets and the budget estimates (dự toán). Until
2025-06-30 they are reported on the 13 old communes and the district (`duyxuyen-2019`), from
then on the 4 new communes and their whole area (`danang-2025`). Covid-19 daily figures cover
2021–2022. As of SNAPSHOT (the year-end report to the People's Council) the current year is
an estimate; nothing reads the clock. Rows go through the indicators adapter like a pushed
batch (long shape); magnitudes are realistic, the figures invented (a demo).
"""

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from gisioc.geo.services import Progress
from gisioc.indicators import demo_plans as plans
from gisioc.indicators.catalog import CATALOG, catalog_sync
from gisioc.indicators.demo_communes import OLD_VERSION, communes, new_communes
from gisioc.indicators.demo_covid import INDICATORS as COVID
from gisioc.indicators.demo_covid import covid_days
from gisioc.indicators.demo_yearly import (
    COMMUNE_TARGETS,
    FIRST_YEAR,
    REFORM_YEAR,
    Latent,
    combined,
    latent_draw,
    units_of_year,
    version_of_year,
)
from gisioc.indicators.system import SYSTEM
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-indicators-v2"  # change when the generator changes, so the demo loads again
SNAPSHOT = dt.date(2026, 11, 30)  # the year-end report: this year's figures are estimates
DECIMALS = {spec.code: spec.decimals for spec in CATALOG}
YEARLY = (
    "population", "school_age_population", "births", "birth_rate", "natural_increase",
    "labour_force", "jobs_created", "trained_labour", "poverty_rate", "near_poor_rate",
    "income_per_capita",
    "output_agriculture", "output_industry", "output_services", "rice_area", "rice_yield",
    "health_insurance", "clean_water", "new_rural_criteria", "waste_collected",
)  # fmt: skip
OPENING_COUNTS = ("schools", "pupils")  # counted when the school year opens: never estimates
ESTIMATE_NOTE = "Ước thực hiện cả năm (báo cáo cuối năm)"


def _value(indicator: str, value: float) -> float | int:
    places = DECIMALS[indicator]
    return round(value) if places == 0 else round(value, places)


def _row(
    indicator: str,
    unit: str,
    version: str,
    period: str,
    value: float,
    *,
    kind: str = "actual",
    estimated: bool = False,
    note: str = "",
) -> dict[str, Any]:
    if estimated:
        note = f"{ESTIMATE_NOTE}; {note}" if note else ESTIMATE_NOTE
    return {
        "indicator": indicator,
        "unit": unit,
        "version": version,
        "period": period,
        "value": _value(indicator, value),
        "kind": kind,
        "status": "estimated" if estimated else "reported",
        "note": note,
    }


def _whole(indicator: str, year: int, value: float, kind: str = "actual", note: str = "") -> dict:
    """A value of the whole area of the year's version (the district, later the 4 communes)."""
    if kind == "target" and not note:
        note = _plan_note(year, whole=True)
    estimated = kind == "actual" and _estimated(year)
    return _row(indicator, "", version_of_year(year), str(year), value, kind=kind,
                estimated=estimated, note=note)  # fmt: skip


def _plan_note(year: int, whole: bool) -> str:
    if year < REFORM_YEAR:
        return f"Nghị quyết HĐND huyện Duy Xuyên về kế hoạch phát triển KT-XH năm {year}"
    if year == REFORM_YEAR:
        return "Chỉ tiêu năm 2025 HĐND huyện giao các xã cũ, tổng hợp theo xã mới từ 01/7/2025"
    where = "4 xã" if whole else "xã"
    return f"Nghị quyết HĐND {where} về kế hoạch phát triển KT-XH năm {year}"


def _estimated(year: int) -> bool:
    return dt.date(year, 12, 31) > SNAPSHOT


def _unit_rows(latent: Latent) -> Iterator[dict[str, Any]]:
    """Each commune's yearly values and targets, on the communes of the year's version."""
    for year in range(2019, SNAPSHOT.year + 1):
        version = version_of_year(year)
        for unit, members in units_of_year(year):
            for indicator in YEARLY:
                if year < FIRST_YEAR and indicator != "population":
                    continue
                for kind in ("actual", "target"):
                    if kind == "target" and indicator not in (
                        *COMMUNE_TARGETS,
                        "new_rural_criteria",
                    ):
                        continue
                    value = combined(latent, indicator, year, members, kind)
                    if value is None:
                        continue
                    estimated = kind == "actual" and _estimated(year)
                    note = _plan_note(year, whole=False) if kind == "target" else ""
                    yield _row(indicator, unit, version, str(year), value, kind=kind,
                               estimated=estimated, note=note)  # fmt: skip


def _whole_rows(latent: Latent) -> Iterator[dict[str, Any]]:
    """The whole area's own figures (growth, budget) and the plan's district targets."""
    for year in range(FIRST_YEAR, SNAPSHOT.year + 1):
        yield _whole("grdp_growth", year, plans.GRDP_GROWTH[year])
        for indicator, targets in plans.TARGETS.items():
            yield _whole(indicator, year, targets[year], "target")
        people = sum(latent.actual["population"][c.code][year] for c in communes())
        target = round(people * plans.POPULATION_TARGET[year], -2)
        yield _whole("population", year, target, "target")
        yield from _budget(year)


def _budget(year: int) -> Iterator[dict[str, Any]]:
    """Revenue and spending by item against the estimate (dự toán) the council approved."""
    if year < REFORM_YEAR:
        estimate = "Dự toán HĐND huyện giao"
    elif year == REFORM_YEAR:
        estimate = "Dự toán năm 2025: ngân sách huyện đến 30/6, ngân sách 4 xã từ 01/7"
    else:
        estimate = "Dự toán HĐND 4 xã giao (tổng hợp)"
    parts = (
        ("budget_revenue", plans.REVENUE, plans.REVENUE_OTHER, plans.REVENUE_ESTIMATE,
         plans.REVENUE_OTHER_ESTIMATE, "gồm cả thu khác"),
        ("budget_spending", plans.SPENDING, plans.SPENDING_OTHER, plans.SPENDING_ESTIMATE,
         plans.SPENDING_OTHER_ESTIMATE, "gồm cả dự phòng và chi khác"),
    )  # fmt: skip
    for total, items, other, estimates, other_estimate, note in parts:
        yield _whole(total, year, plans.totals(items, other)[year], note=note)
        yield _whole(total, year, plans.totals(estimates, other_estimate)[year], "target", estimate)
        for item, values in items.items():
            yield _whole(item, year, values[year])
            yield _whole(item, year, estimates[item][year], "target", estimate)


def _school_rows() -> Iterator[dict[str, Any]]:
    """Schools and pupils when each school year opens (September), 2019-2020 onwards."""
    for start in range(2019, SNAPSHOT.year + 1):
        period = f"{start}-{start + 1}"
        counts = {}
        for commune in communes():
            people = commune.population(start)
            schools = 6 if commune.town else 5 if people > 15_000 else 4 if people > 10_000 else 3
            if commune.code == "20620" and start >= 2023:
                schools -= 1  # two primary schools of Duy Sơn merged
            share = 0.178 * (1 - 0.009 * (start - 2019))
            pupils = round(people * share * _spread(commune.code, start))
            counts[commune.code] = (schools, pupils)
        # A school year ending before the reform is the old communes'; later ones the new.
        if start + 1 <= REFORM_YEAR:
            for code, (schools, pupils) in counts.items():
                yield _row("schools", code, OLD_VERSION, period, schools)
                yield _row("pupils", code, OLD_VERSION, period, pupils)
            continue
        for code, members in new_communes().items():
            schools = sum(counts[c.code][0] for c in members)
            if code == "20611" and start >= 2026:
                schools -= 1  # Thu Bồn: Duy Tân's lower-secondary school joined Duy Hòa's
            pupils = sum(counts[c.code][1] for c in members)
            version = version_of_year(start + 1)
            yield _row("schools", code, version, period, schools)
            yield _row("pupils", code, version, period, pupils)


def _spread(code: str, start: int) -> float:
    return random.Random(f"gisioc-demo-indicators:pupils:{code}:{start}").uniform(0.985, 1.015)


def _covid_rows() -> Iterator[dict[str, Any]]:
    figures = covid_days()
    for (code, day), values in sorted(figures.items(), key=lambda item: (item[0][1], item[0][0])):
        for indicator in COVID:
            yield _row(indicator, code, OLD_VERSION, day.isoformat(), values[indicator])


def demo_indicator_rows() -> Iterator[dict[str, Any]]:
    """Every demo row (long shape), identical on every call."""
    latent = latent_draw(SNAPSHOT.year)
    yield from _unit_rows(latent)
    yield from _whole_rows(latent)
    yield from _school_rows()
    yield from _covid_rows()


def load(*, progress: Progress = print) -> None:
    """The indicators part of `gisioc demo load`: the catalogue, then the values once per
    generator version."""
    added = catalog_sync()
    if added:
        progress(f"Danh mục chỉ tiêu / indicator catalogue: +{added}")
    demo_ingest(
        system="indicators",
        title="Chỉ tiêu KT-XH / indicators",
        source=SOURCE,
        key=KEY,
        rows=lambda: (RawRow(n, row) for n, row in enumerate(demo_indicator_rows(), start=1)),
        progress=progress,
    )
