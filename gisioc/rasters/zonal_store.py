"""Zonal statistics stored as indicator values, so choropleths, rankings and profiles show them.

Each raster kind has its measures (population: people and density; flood depth: the share of
area deeper than 0.5 m and the deepest point; elevation: mean and highest; hazard classes:
the share above a class and the highest class), each an `Indicator` whose code carries the
raster's name (`pop_<name>`, `flood_share_<name>`; a threshold other than the kind's own adds
`_gt<t>`). Values go in through the indicators' ingest like any delivery (source
`raster-<name>`, one run, status "estimated"), keyed by indicator, version, unit and period, so
a re-run replaces them and bumps the layers' data version; a unit the raster no longer
reaches loses its old value."""

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gisioc.errors import InvalidInput
from gisioc.geo.models import AdminUnit, BoundaryVersion
from gisioc.geo.selectors import vietnam_today
from gisioc.indicators.models import Indicator, IndicatorValue
from gisioc.ingest.models import IngestRun
from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_rows
from gisioc.periods import period_kind, period_of
from gisioc.rasters.models import Raster
from gisioc.rasters.zonal import UnitStat, version_of, zonal_compute
from gisioc.texts import Text

Kind = Raster.Kind
Progress = Callable[[str], None]
ORDER = 900  # after the statistics office's catalogue
THRESHOLDS = {Kind.FLOOD_DEPTH: 0.5, Kind.HAZARD_CLASS: 2.0}  # deeper than 0.5 m; class 3 up


@dataclass(frozen=True)
class Measure:
    """One indicator a raster kind gives: which statistic, and how the catalogue shows it."""

    stat: str  # sum, density (sum ÷ the unit's area), mean, max, share (share_above × 100)
    prefix: str
    name: Text  # {title} the raster's, {t} the threshold
    unit: Text
    domain: str = Indicator.Domain.ENVIRONMENT
    combine: str = Indicator.Combine.NONE
    decimals: int = 1
    higher_is_better: bool | None = None
    headline: bool = False


PEOPLE = Text("người", "people")
DENSITY = Text("người/km²", "people/km²")
METRES = Text("m", "m")
PERCENT = Text("%", "%")
MEASURES: dict[str, tuple[Measure, ...]] = {
    Kind.POPULATION: (
        Measure("sum", "pop", Text("Dân số ước tính — {title}", "Estimated population — {title}"),
                PEOPLE, Indicator.Domain.POPULATION, Indicator.Combine.SUM, 0, headline=True),
        Measure("density", "popdens",
                Text("Mật độ dân số — {title}", "Population density — {title}"),
                DENSITY, Indicator.Domain.POPULATION),
    ),
    Kind.FLOOD_DEPTH: (
        Measure("share", "flood_share",
                Text("Tỷ lệ diện tích ngập sâu trên {t} m — {title}",
                     "Share of area flooded deeper than {t} m — {title}"),
                PERCENT, higher_is_better=False, headline=True),
        Measure("max", "flood_max", Text("Độ sâu ngập lớn nhất — {title}",
                                         "Deepest flooding — {title}"),
                METRES, decimals=2, higher_is_better=False),
    ),
    Kind.ELEVATION: (
        Measure("mean", "elev_mean",
                Text("Độ cao trung bình — {title}", "Mean elevation — {title}"), METRES),
        Measure("max", "elev_max", Text("Độ cao lớn nhất — {title}", "Highest elevation — {title}"),
                METRES),
    ),
    Kind.HAZARD_CLASS: (
        Measure("share", "hazard_share",
                Text("Tỷ lệ diện tích nguy cơ trên cấp {t} — {title}",
                     "Share of area above hazard class {t} — {title}"),
                PERCENT, higher_is_better=False, headline=True),
        Measure("max", "hazard_max", Text("Cấp nguy cơ cao nhất — {title}",
                                          "Highest hazard class — {title}"),
                Text("cấp", "class"), decimals=0, higher_is_better=False),
    ),
}  # fmt: skip


@dataclass
class ZonalReport:
    """What a zonal run computed and stored."""

    raster: str
    version: str
    period: str
    threshold: float | None
    indicators: list[str]
    units: int = 0
    reached: int = 0  # units with at least one valid cell
    stored: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    stats: list[UnitStat] = field(default_factory=list)

    def as_dict(self, *, with_stats: bool = False) -> dict[str, Any]:
        """JSON-ready."""
        shown = {k: v for k, v in self.__dict__.items() if k != "stats"}
        if with_stats:
            shown["stats"] = [s.as_dict() for s in self.stats]
        return shown


def measures_of(raster: Raster) -> tuple[Measure, ...]:
    """The measures of the raster's kind; InvalidInput for imagery."""
    found = MEASURES.get(raster.kind)
    if not found:
        raise InvalidInput(
            f"Lớp {raster.name} là ảnh ({raster.kind}): không có thống kê vùng cho loại này.",
            f"Layer {raster.name} is {raster.kind}: zonal statistics are not made for it.",
            field="name",
        )
    return found


def threshold_of(raster: Raster, threshold: float | None) -> float | None:
    """The threshold asked for, else the kind's own (None for kinds without a share)."""
    return threshold if threshold is not None else THRESHOLDS.get(raster.kind)


def _shown(value: float) -> str:
    return f"{value:g}"


def indicator_code(measure: Measure, raster: Raster, threshold: float | None) -> str:
    """`<prefix>_<name>` (+ `_gt<t>` for a threshold other than the kind's), at most 40."""
    code = f"{measure.prefix}_{raster.name}"
    if measure.stat == "share" and threshold != THRESHOLDS.get(raster.kind):
        code += "_gt" + _shown(threshold or 0).replace(".", "p").replace("-", "m")
    if len(code) > 40:
        digest = hashlib.sha1(code.encode()).hexdigest()[:6]
        code = f"{code[:33]}_{digest}"
    return code


def _title(raster: Raster, measure: Measure, threshold: float | None) -> Text:
    t = _shown(threshold or 0)
    vi = measure.name.vi.format(title=raster.title_vi or raster.name, t=t.replace(".", ","))
    en = measure.name.en.format(title=raster.title_en or raster.name, t=t)
    return Text(vi[:200], en[:200])


def indicator_ensure(
    measure: Measure, raster: Raster, threshold: float | None, period: str
) -> Indicator:
    """The measure's indicator, created when missing; one kept as an administrator left it."""
    code = indicator_code(measure, raster, threshold)
    kind = period_kind(period)
    found = Indicator.objects.filter(code=code).first()
    if found is not None:
        if found.period_type != kind:
            raise InvalidInput(
                f"Chỉ tiêu {code} báo cáo theo kỳ {found.period_type}, không theo kỳ {kind} "
                f"({period}).",
                f"Indicator {code} is reported by {found.period_type}, not {kind} ({period}).",
                field="period",
            )
        return found
    title = _title(raster, measure, threshold)
    return Indicator.objects.create(
        code=code,
        name_vi=title.vi,
        name_en=title.en,
        unit_vi=measure.unit.vi,
        unit_en=measure.unit.en,
        domain=measure.domain,
        combine=measure.combine,
        period_type=kind,
        higher_is_better=measure.higher_is_better,
        source=Indicator.Source.RASTER,
        decimals=measure.decimals,
        description=(
            f"Thống kê vùng (theo phần ô nằm trong xã) từ lớp raster {raster.name}. "
            f"Zonal statistics (each cell by the share inside the unit) of raster layer "
            f"{raster.name}."
        ),
        order=ORDER,
        headline=measure.headline,
    )


def measure_value(measure: Measure, stat: UnitStat) -> float | None:
    """The measure's value for one unit (None where the raster has nothing there)."""
    if measure.stat == "share":
        return None if stat.share_above is None else 100 * stat.share_above
    if measure.stat == "density":
        if stat.sum is None or stat.area_km2 <= 0:
            return None
        return stat.sum / stat.area_km2
    return getattr(stat, measure.stat)


def _stats_needed(measures: Sequence[Measure]) -> tuple[str, ...]:
    wanted = {"sum" if m.stat == "density" else m.stat for m in measures}
    return tuple(s for s in ("sum", "mean", "max") if s in wanted)


def _rows(
    pairs: list[tuple[Measure, Indicator]],
    stats: list[UnitStat],
    raster: Raster,
    version: BoundaryVersion,
    period: str,
) -> Iterator[RawRow]:
    note = (
        f"Thống kê vùng từ lớp raster {raster.name} (phiên bản {raster.version}) — "
        f"zonal statistics of raster layer {raster.name}"
    )[:300]
    number = 0
    for stat in stats:
        for measure, indicator in pairs:
            value = measure_value(measure, stat)
            if value is None:
                continue
            number += 1
            yield RawRow(
                number,
                {
                    "indicator": indicator.code,
                    "unit": stat.code,
                    "version": version.slug,
                    "period": period,
                    "value": round(value, indicator.decimals + 3),
                    "kind": "actual",
                    "status": "estimated",
                    "note": note,
                },
            )


def year_now() -> str:
    """This year in Vietnam, the default period."""
    return str(vietnam_today().year)


def source_of(raster: Raster) -> str:
    """The ingest source the raster's values belong to."""
    return f"raster-{raster.name}"[:80]


def zonal_run(
    *,
    raster: Raster,
    version: BoundaryVersion | str,
    period: str | None = None,
    threshold: float | None = None,
    indicators: Sequence[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ZonalReport:
    """Compute the raster's measures for the version's communes and store them for `period`
    (this year when None; `indicators`: the measures to keep, e.g. ("sum",) or ("share",); all
    of the kind's when None). A dry run computes and writes nothing."""
    label = period_of(period or year_now()).label
    version = version_of(version)
    measures = measures_of(raster)
    if indicators:
        known = {m.stat for m in measures}
        unknown = [i for i in indicators if i not in known]
        if unknown:
            raise InvalidInput(
                f"Lớp {raster.kind} không có chỉ tiêu {', '.join(unknown)} "
                f"(có: {', '.join(sorted(known))}).",
                f"A {raster.kind} layer has no measure {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))}).",
                field="indicators",
            )
        measures = tuple(m for m in measures if m.stat in indicators)
    threshold = threshold_of(raster, threshold)
    uses_share = any(m.stat == "share" for m in measures)
    stats = zonal_compute(
        raster=raster,
        version=version,
        stats=_stats_needed(measures),
        threshold=threshold if uses_share else None,
        level=AdminUnit.Level.COMMUNE,
        progress=progress,
    )
    report = ZonalReport(
        raster=raster.name,
        version=version.slug,
        period=label,
        threshold=threshold if uses_share else None,
        indicators=[indicator_code(m, raster, threshold) for m in measures],
        units=len(stats),
        reached=sum(1 for s in stats if s.covered_area_km2 > 0),
        dry_run=dry_run,
        stats=stats,
    )
    if dry_run:
        return report
    pairs = [(m, indicator_ensure(m, raster, threshold, label)) for m in measures]
    ran = ingest_rows(
        system="indicators",
        rows=list(_rows(pairs, stats, raster, version, label)),
        source=source_of(raster),
        kind=IngestRun.Kind.FILE,
        progress=lambda _: None,
    )
    if ran.status != IngestRun.Status.DONE or ran.rejected:
        first = ran.errors[0] if ran.errors else None
        raise InvalidInput(
            f"Không lưu được thống kê vùng (lượt nhập #{ran.run_id}): {ran.message or first}",
            f"Zonal statistics could not be stored (run #{ran.run_id}): {ran.message or first}",
        )
    report.created, report.updated, report.unchanged = ran.created, ran.updated, ran.unchanged
    report.stored = ran.created + ran.updated + ran.unchanged
    report.seconds = ran.seconds
    report.removed = _stale_delete(pairs, stats, raster, version, label)
    return report


def _stale_delete(
    pairs: list[tuple[Measure, Indicator]],
    stats: list[UnitStat],
    raster: Raster,
    version: BoundaryVersion,
    period: str,
) -> int:
    """Remove this raster's earlier values for units it now gives none (a smaller file)."""
    removed = 0
    for measure, indicator in pairs:
        kept = [s.unit_id for s in stats if measure_value(measure, s) is not None]
        removed += (
            IndicatorValue.objects.filter(
                source=source_of(raster),
                indicator=indicator,
                version=version,
                period=period,
                kind=IndicatorValue.Kind.ACTUAL,
            )
            .exclude(unit_id__in=kept)
            .delete()[0]
        )
    return removed


def zonal_store(
    *,
    raster: Raster,
    version: BoundaryVersion | str,
    period: str | None = None,
    indicators: Sequence[str] | None = None,
    threshold: float | None = None,
    progress: Progress | None = None,
) -> int:
    """Store the raster's measures per commune of the version for `period` (this year when
    None); how many values were stored."""
    return zonal_run(
        raster=raster,
        version=version,
        period=period,
        indicators=indicators,
        threshold=threshold,
        progress=progress,
    ).stored
