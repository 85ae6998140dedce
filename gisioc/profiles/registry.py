"""Profile sections: each system contributes KPIs, trends and lists for a district or commune."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, QuerySet
from django.utils import timezone

from gisioc.geo.models import AdminUnit
from gisioc.periods import Period
from gisioc.registries import Registry
from gisioc.texts import Text


@dataclass(frozen=True)
class ProfileScope:
    """What a profile covers: admin units (with their predecessors), a period, a viewer."""

    unit: AdminUnit | None  # None: the whole district in force
    unit_ids: tuple[int, ...]  # communes in force covered
    record_unit_ids: tuple[int, ...]  # the same plus the older units records may sit in
    period: Period | None  # None: all time (gisioc.periods.ALL_TIME)
    user: AbstractBaseUser | AnonymousUser
    # Only each section's first two figures are shown (a district's commune rows): a section
    # may skip its series and lists.
    brief: bool = False


# A system whose newest record is older than this has stopped feeding us (a long weekend
# brings nothing new for 3 days): its "overdue as of today" figures may be out of date.
STALE_DAYS = 4


@dataclass
class Section:
    """One system's block of a profile; the app renders every section the same way."""

    id: str
    system: str
    title: Text
    kpis: list[dict[str, Any]] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    breakdowns: list[dict[str, Any]] = field(default_factory=list)
    lists: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    not_located: int = 0
    newest_of: tuple[QuerySet, str] | None = None  # every record of the system, its time field
    stale_days: int = STALE_DAYS

    def newest_record(
        self, records: QuerySet, column: str, *, stale_days: int | None = None
    ) -> None:
        """How to find the system's newest record (whatever the scope: is the system fed?),
        by a time or date column, and after how many days without one it is stale. Asked
        only when the section is shown: a district's commune rows never show it."""
        self.newest_of = (records, column)
        self.stale_days = STALE_DAYS if stale_days is None else stale_days

    def kpi(
        self,
        id: str,
        title: Text,
        value: float | None,
        *,
        unit: Text | None = None,
        format: str = "int",
        suppressed: bool = False,
    ) -> None:
        """Add a key figure (`suppressed`: its null is a small count held back)."""
        item = {
            "id": id,
            "title": title.as_dict(),
            "value": value,
            "unit": unit.as_dict() if unit else None,
            "format": format,
        }
        if suppressed:
            item["suppressed"] = True
        self.kpis.append(item)

    def record_list(self, id: str, title: Text, *, count: int, href: str, type: str) -> None:
        """Add a link to a list of records of one type (the app opens them by that type)."""
        self.lists.append(
            {"id": id, "title": title.as_dict(), "count": count, "href": href, "type": type}
        )

    def table(
        self,
        id: str,
        title: Text,
        *,
        columns: list[tuple[str, Text]],
        rows: list[dict[str, Any]],
        note: Text | None = None,
    ) -> None:
        """Add a small table: its columns (key, title) and rows of values by key."""
        self.tables.append(
            {
                "id": id,
                "title": title.as_dict(),
                "columns": [{"id": key, "title": t.as_dict()} for key, t in columns],
                "rows": rows,
                "note": note.as_dict() if note else None,
            }
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "system": self.system,
            "title": self.title.as_dict(),
            "kpis": self.kpis,
            "series": self.series,
            "breakdowns": self.breakdowns,
            "lists": self.lists,
            "tables": self.tables,
            "not_located": self.not_located,
            "freshness": self._freshness(),
        }

    def _freshness(self) -> dict[str, Any] | None:
        if self.newest_of is None:
            return None
        records, column = self.newest_of
        moment = records.aggregate(newest=Max(column))["newest"]
        if moment is None:
            return None
        newest = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
        days = (timezone.localdate() - newest).days
        return {"newest": newest.isoformat(), "days": days, "stale": days > self.stale_days}


SectionBuilder = Callable[[ProfileScope], Section]
sections = Registry[tuple[int, SectionBuilder]]("Profile section")


def register_section(id: str, *, order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Declare a hand-written section builder; sections appear by `order` (a system's order
    for the sections built from its KPI sets)."""

    def add(builder: SectionBuilder) -> SectionBuilder:
        sections.add(id, (order, builder))
        return builder

    return add


def sections_build(scope: ProfileScope) -> list[Section]:
    """Every section for the scope: the hand-written ones and one per KPI set."""
    from gisioc.profiles.kpi_sections import kpi_sections

    builders = [*sections, *kpi_sections()]
    return [builder(scope) for _, builder in sorted(builders, key=lambda item: item[0])]
