"""The one kind of registry every part uses: layers, systems, ingest adapters, pullers, profile
sections, search providers. Each is filled by the system kit's one discovery rule
(`gisioc.systems.system_modules_load`); a key registered twice is kept aside and reported by
`manage.py check`, naming both places."""

import inspect
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.core.checks import CheckMessage, Error, register

T = TypeVar("T")
BASE = Path(__file__).resolve().parent.parent
_all: list["Registry[Any]"] = []


def _caller(home: str) -> str:
    """Where the registration was written: the first frame outside this module and outside
    the functions of the registry's own module (its `register_…` wrappers)."""
    for frame in inspect.stack()[2:]:
        wrapper = frame.filename == home and frame.function != "<module>"
        if frame.filename != __file__ and not wrapper:
            path = Path(frame.filename)
            shown = path.relative_to(BASE) if path.is_relative_to(BASE) else path
            return f"{shown}:{frame.lineno}"
    return "?"


class Registry(Generic[T]):
    """Items by key, in the order registered; a repeated key is reported, never overwrites."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._where: dict[str, str] = {}
        self.duplicates: list[tuple[str, str, str]] = []  # key, first place, second place
        # The module that made the registry (past typing's `Registry[T]` alias).
        self._home = next(
            f.filename
            for f in inspect.stack(0)[1:]
            if f.filename not in (__file__, typing.__file__)
        )
        _all.append(self)

    def add(self, key: str, item: T) -> T:
        """Register `item` under `key`; a second one with the same key fails `manage.py check`."""
        where = _caller(self._home)
        if key in self._items:
            if self._where[key] != where:  # a module imported twice is no duplicate
                self.duplicates.append((key, self._where[key], where))
            return item
        self._items[key] = item
        self._where[key] = where
        return item

    def get(self, key: str) -> T | None:
        """The item registered under `key`, or None."""
        return self._items.get(key)

    def keys(self) -> list[str]:
        """Keys in registration order."""
        return list(self._items)

    def items(self) -> list[tuple[str, T]]:
        """(key, item) pairs in registration order."""
        return list(self._items.items())

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)


@register("gisioc")
def check_duplicates(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """No registry holds a key twice."""
    return [
        Error(
            f"{registry.kind} {key!r} is registered twice: at {first} and at {second}",
            id="gisioc.E001",
        )
        for registry in _all
        for key, first, second in registry.duplicates
    ]
