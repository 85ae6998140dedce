"""Search providers: each system finds its own things (communes, facilities, record codes)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model

from gisioc.periods import vietnam_date
from gisioc.registries import Registry
from gisioc.systems import record_type_get

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Hit:
    """One search result; `rank` 0 is an exact match, 1 a prefix, 2 a partial match."""

    type: str
    id: int
    code: str
    label: str
    sublabel: str
    rank: int
    detail: str
    bbox: tuple[float, float, float, float] | None = None
    point: tuple[float, float] | None = None
    note: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "type": self.type,
            "id": self.id,
            "code": self.code,
            "label": self.label,
            "sublabel": self.sublabel,
            "note": self.note,
            "detail": self.detail,
            "bbox": list(self.bbox) if self.bbox else None,
            "point": list(self.point) if self.point else None,
        }


Provider = Callable[[str, str, int, User], list[Hit]]  # raw query, folded query, limit, user
providers = Registry[Provider]("Search provider")


def register_provider(provider: Provider) -> Provider:
    """Add a system's search provider (from its `search.py`), named by its function."""
    return providers.add(provider.__name__, provider)


def record_hit(
    type: str, record: Model, *, code: str, about: tuple[str, ...], on: dt.datetime, exact: bool
) -> Hit:
    """A hit on a record of a system's type: its code, what it is (`about`, then the Vietnam
    day `on`), its API page, its point if placed; ranked first when the code matched `exact`."""
    spec, record_type = record_type_get(type)  # type: ignore[misc]
    day = vietnam_date(on).strftime("%d/%m/%Y")
    point = getattr(record, "geom", None)
    return Hit(
        type,
        record.pk,
        code,
        code,
        " · ".join(part for part in (*about, day) if part),
        0 if exact else 1,
        spec.detail(record_type).format(id=record.pk),
        point=(point.x, point.y) if point else None,
    )


def search(*, query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Best hits of every provider: exact before prefix before partial, then by label."""
    hits = [hit for provider in providers for hit in provider(query, folded, limit, user)]
    return sorted(hits, key=lambda h: (h.rank, len(h.label), h.label))[:limit]
