"""Names and codes in a workbook → catalogue indicators, boundary versions and admin units,
looked up once per run (`Lookups`; a workbook names ~13 units × 30 indicators × 10 periods).

A unit is found in the boundary version in force at the end of the value's period, else in a
published version whose validity overlaps the period: "Duy Hòa" for 2023 is the old commune,
"Thu Bồn" for 2025 the new one, and "Duy Hòa" for 2025 still the old one (its first half).
When two versions are in force (the district and a national file), the one published last
is tried first. An explicit version slug wins over all of this.
"""

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import NamedTuple

from gisioc.geo.models import AdminUnit, BoundaryVersion
from gisioc.geo.text import fold, split_unit_type
from gisioc.ingest.values import BadValue
from gisioc.periods import Period

# Folded words of a row for the version's whole area rather than one of its units.
WHOLE = frozenset(
    {
        "toan huyen",
        "ca huyen",
        "huyen",
        "tong cong",
        "tong",
        "cong",
        "tong so",
        "toan xa",
        "toan dia ban",
        "toan vung",
        "chung",
        "whole",
        "total",
        "district",
        "*",
    }
)


class IndicatorRef(NamedTuple):
    """What a row needs of a catalogue indicator."""

    code: str
    name: str
    period_type: str


class VersionRef(NamedTuple):
    """A published boundary version and its validity."""

    id: int
    slug: str
    valid_from: dt.date
    valid_to: dt.date | None


class UnitRef(NamedTuple):
    """A commune of a version."""

    id: int
    code: str
    name: str


def name_keys(text: str) -> list[str]:
    """Folded forms a name may match by: whole, without a '(…)' note, without a unit type."""
    keys: list[str] = []
    for part in (text, text.split("(")[0]):
        _, _, rest = split_unit_type(part)
        keys += [fold(part), rest]
        for prefix in ("thi tran ", "xa ", "phuong ", "tt "):  # "Xa Duy Hoa" without its dot
            if rest.startswith(prefix):
                keys.append(rest.removeprefix(prefix))
    return list(dict.fromkeys(k for k in keys if k))


def indicator_keys(text: str) -> list[str]:
    """Folded forms an indicator name may match by: whole, and without a '(unit)' note."""
    return list(dict.fromkeys(k for k in (fold(text), fold(text.split("(")[0])) if k))


def is_whole(text: str) -> bool:
    """True when a unit cell means the whole area (blank, "Toàn huyện", "Tổng cộng", a district)."""
    folded = fold(text)
    if not folded or folded in WHOLE or folded.startswith(("toan huyen ", "tong cong ")):
        return True
    return split_unit_type(text)[1] == "district"


@dataclass
class Lookups:
    """The catalogue, versions and units, read from the database once and kept for a run."""

    _indicators: dict[str, IndicatorRef] | None = None
    _versions: list[tuple[VersionRef, dt.datetime | None]] | None = None
    _units: dict[int, tuple[dict[str, UnitRef], dict[str, list[UnitRef]]]] = field(
        default_factory=dict
    )

    def indicators(self) -> dict[str, IndicatorRef]:
        """Indicators by code, folded names (vi and en) and folded aliases."""
        if self._indicators is None:
            from gisioc.indicators.models import Indicator

            found: dict[str, IndicatorRef] = {}
            rows = Indicator.objects.values_list(
                "code", "name_vi", "name_en", "period_type", "aliases"
            )
            for code, name_vi, name_en, period_type, aliases in rows:
                ref = IndicatorRef(code, name_vi, period_type)
                found[code.casefold()] = ref
                for name in (name_vi, name_en, *(a for a in aliases or () if isinstance(a, str))):
                    for key in indicator_keys(name):
                        found.setdefault(key, ref)
            self._indicators = found
        return self._indicators

    def indicator(self, text: str) -> IndicatorRef:
        """The indicator a cell names by code, name or alias; BadValue listing close ones."""
        known = self.indicators()
        ref = known.get(text.strip().casefold())
        for key in indicator_keys(text):
            ref = ref or known.get(key)
        if ref is None:
            names = {fold(r.name): f"{r.name} ({r.code})" for r in known.values()}
            found = difflib.get_close_matches(fold(text), list(names), n=4, cutoff=0.5)
            close = "; ".join(names[n] for n in found) or "—"
            raise BadValue(
                f"không có chỉ tiêu '{text[:80]}' trong danh mục (gần giống: {close})",
                f"no indicator '{text[:80]}' in the catalogue (close: {close})",
            )
        return ref

    def versions(self) -> list[tuple[VersionRef, dt.datetime | None]]:
        """Published versions, the last published first."""
        if self._versions is None:
            rows = BoundaryVersion.objects.filter(status="published").order_by(
                "-published_at", "-valid_from"
            )
            self._versions = [
                (VersionRef(v.pk, v.slug, v.valid_from, v.valid_to), v.published_at) for v in rows
            ]
        return self._versions

    def candidates(self, period: Period, slug: str) -> list[VersionRef]:
        """Versions to look for a unit in: the one named, else those in force at the period's
        end, then those overlapping the period (the most recent first)."""
        versions = [v for v, _ in self.versions()]
        if slug:
            named = [v for v in versions if v.slug == slug.strip()]
            if not named:
                known = ", ".join(v.slug for v in versions) or "—"
                raise BadValue(
                    f"không có phiên bản ranh giới '{slug}' (có: {known})",
                    f"no published boundary version '{slug}' (known: {known})",
                )
            return named
        end, start = period.end, period.start
        in_force = [v for v in versions if v.valid_from <= end and (v.valid_to or end) >= end]
        overlapping = sorted(
            (
                v
                for v in versions
                if v not in in_force and v.valid_from <= end and (v.valid_to or end) >= start
            ),
            key=lambda v: v.valid_to or dt.date.max,
            reverse=True,
        )
        return in_force + overlapping

    def units(self, version: VersionRef) -> tuple[dict[str, UnitRef], dict[str, list[UnitRef]]]:
        """A version's communes by code and by folded name keys."""
        if version.id not in self._units:
            by_code: dict[str, UnitRef] = {}
            by_name: dict[str, list[UnitRef]] = {}
            rows = AdminUnit.objects.filter(
                version_id=version.id, level=AdminUnit.Level.COMMUNE
            ).values_list("pk", "code", "name", "short_name")
            for pk, code, name, short in rows:
                ref = UnitRef(pk, code, name)
                by_code[code] = ref
                by_code.setdefault(code.lstrip("0"), ref)
                for key in dict.fromkeys([*name_keys(name), fold(short)]):
                    by_name.setdefault(key, []).append(ref)
            self._units[version.id] = (by_code, by_name)
        return self._units[version.id]

    def unit(self, text: str, period: Period, slug: str) -> tuple[VersionRef, UnitRef | None]:
        """The version and unit a cell names for a period (unit None: the whole area)."""
        candidates = self.candidates(period, slug)
        if not candidates:
            raise BadValue(
                f"không có phiên bản ranh giới nào hiệu lực trong kỳ {period.label}",
                f"no published boundary version is valid in period {period.label}",
            )
        if is_whole(text):
            return candidates[0], None
        code = text.strip().removesuffix(".0")
        for version in candidates:
            by_code, by_name = self.units(version)
            if code in by_code or code.lstrip("0") in by_code:
                return version, by_code.get(code) or by_code[code.lstrip("0")]
            for key in name_keys(text):
                found = list(dict.fromkeys(by_name.get(key, ())))
                if len(found) == 1:
                    return version, found[0]
                if len(found) > 1:
                    shown = ", ".join(f"{u.name} ({u.code})" for u in found)
                    raise BadValue(
                        f"'{text}' ứng với {len(found)} xã của {version.slug}: {shown}",
                        f"'{text}' matches {len(found)} communes of {version.slug}: {shown}",
                    )
        shown = {
            key: f"{unit.name} ({unit.code})"
            for v in candidates
            for key, units in self.units(v)[1].items()
            for unit in units
        }
        close = difflib.get_close_matches(fold(text), list(shown), n=6, cutoff=0.6)
        names = "; ".join(list(dict.fromkeys(shown[k] for k in close))[:3]) or "—"
        slugs = ", ".join(v.slug for v in candidates)
        raise BadValue(
            f"không có xã/phường '{text[:80]}' trong {slugs} cho kỳ {period.label} "
            f"(gần giống: {names})",
            f"no commune '{text[:80]}' in {slugs} for period {period.label} (close: {names})",
        )
