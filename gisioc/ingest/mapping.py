"""Which column feeds which field: a mapping profile, else the system's header aliases."""

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from gisioc.errors import InvalidInput, NotFound
from gisioc.geo.text import fold
from gisioc.ingest.models import MappingProfile
from gisioc.ingest.systems import System

# field: feeds a field; personal: citizens' data, never read; dropped: by the profile;
# kept: feeds nothing but the system keeps it in raw rows (`System.raw_extra`); ignored: the rest.
Role = Literal["field", "personal", "dropped", "kept", "ignored"]


def camel_words(key: str) -> str:
    """A CamelCase key spaced into words ('MaHoSo' → 'Ma Ho So', 'MaTTHC' → 'Ma TTHC')."""
    out: list[str] = []
    for i, char in enumerate(key):
        before = key[i - 1] if i else ""
        after = key[i + 1] if i + 1 < len(key) else ""
        if char.isupper() and (before.islower() or (before.isupper() and after.islower())):
            out.append(" ")
        out.append(char)
    return "".join(out)


def header_keys(header: str) -> tuple[str, ...]:
    """Folded forms a header may match by: whole, without a '(…)' hint such as a format, and
    CamelCase spaced into words, so JSON keys ('ChuHoSo', 'SoDienThoai') meet the aliases and
    the personal-data screen as headers written in words do."""
    keys = [fold(header), fold(header.split("(")[0]), fold(camel_words(header))]
    return tuple(dict.fromkeys(k for k in keys if k))


def _has_phrase(folded: str, phrases: Iterable[str]) -> bool:
    padded = f" {folded} "
    return any(f" {phrase} " in padded for phrase in phrases)


class HeaderPlan:
    """Classifies each header once: a field, personal (dropped), dropped by profile, kept in
    raw rows by the system's leave, ignored (read for nothing, stored nowhere)."""

    def __init__(self, system: System, profile: Mapping[str, str | None] | None = None) -> None:
        self.system = system
        self.profile = {fold(header): target for header, target in (profile or {}).items()}
        self._aliases = {key: f.name for f in system.fields for key in f.headers}
        self._roles: dict[str, tuple[Role, str | None]] = {}
        self._claimed: dict[str, str] = {}
        # Per set of headers (a file's rows all have one): what feeds fields, what is kept.
        self._layouts: dict[tuple[str, ...], tuple[list[tuple[str, str]], list[str]]] = {}

    def _layout(self, headers: tuple[str, ...]) -> tuple[list[tuple[str, str]], list[str]]:
        """(header, field) pairs feeding fields, and the headers a raw audit row keeps."""
        layout = self._layouts.get(headers)
        if layout is None:
            roles = {h: self.role(h) for h in headers}
            private = self.system.private
            fed = [(h, str(target)) for h, (role, target) in roles.items() if role == "field"]
            kept = [
                h
                for h, (role, target) in roles.items()
                if role == "kept" or (role == "field" and target not in private)
            ]
            if len(self._layouts) >= 1_000:  # rows with ever other keys: bounded
                self._layouts.clear()
            layout = self._layouts[headers] = (fed, kept)
        return layout

    def role(self, header: str) -> tuple[Role, str | None]:
        """(role, field) of a header; the first header naming a field claims it."""
        if header not in self._roles:
            self._roles[header] = self._classify(header)
        return self._roles[header]

    def _classify(self, header: str) -> tuple[Role, str | None]:
        keys = header_keys(header)
        alias = next((self._aliases[k] for k in keys if k in self._aliases), None)
        if alias is None and any(_has_phrase(k, self.system.personal) for k in keys):
            return "personal", None  # a profile cannot bring personal data in
        in_profile = next((k for k in keys if k in self.profile), None)
        target = self.profile[in_profile] if in_profile is not None else alias
        if in_profile is not None and not target:
            return "dropped", None
        if target is None or target in self._claimed:
            kept = any(k in self.system.raw_extra for k in keys)
            return ("kept" if kept else "ignored"), None
        self._claimed[target] = header
        return "field", target

    def known(self, header: str) -> bool:
        """True when the header names a field (used to find the header row)."""
        keys = header_keys(header)
        return any(k in self._aliases or self.profile.get(k) for k in keys)

    def columns(self, headers: Iterable[str]) -> dict[str, list[str]]:
        """Headers grouped by role, fields as 'header → field'."""
        grouped: dict[str, list[str]] = {
            "field": [],
            "personal": [],
            "dropped": [],
            "kept": [],
            "ignored": [],
        }
        for header in headers:
            role, target = self.role(header)
            grouped[role].append(f"{header} → {target}" if role == "field" else header)
        return grouped

    def missing(self, headers: Iterable[str]) -> list[str]:
        """Required fields no header feeds."""
        fed = {self.role(h)[1] for h in headers}
        return [f.name for f in self.system.fields if f.required and f.name not in fed]

    def fields_of(self, values: Mapping[str, object]) -> dict[str, object]:
        """A raw row's values keyed by field."""
        fed, _ = self._layout(tuple(values))
        return {target: values[header] for header, target in fed}

    def kept(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """What the raw audit row keeps: the columns feeding fields, and those the system
        allows (`System.raw_extra`), but not those feeding its private fields; a free-text
        column could hold a citizen's name."""
        _, kept = self._layout(tuple(values))
        return {h: values[h] for h in kept}


def mapping_profile_get(*, system: str, name: str) -> dict[str, str | None]:
    """A saved profile's mapping, or NotFound naming the profiles there are."""
    profile = MappingProfile.objects.filter(system=system, name=name).first()
    if profile is None:
        known = ", ".join(
            MappingProfile.objects.filter(system=system).values_list("name", flat=True)
        )
        raise NotFound(
            f"Không có hồ sơ ánh xạ {name} cho {system} (có: {known or '—'}).",
            f"No mapping profile {name} for {system} (known: {known or '—'}).",
        )
    return dict(profile.mapping)


def mapping_profile_check(*, system: System, mapping: Mapping[str, object]) -> None:
    """InvalidInput unless every target is a field of the system, or empty (drop)."""
    names = {f.name for f in system.fields}
    wrong = sorted(
        f"{header} → {target}"
        for header, target in mapping.items()
        if target not in (None, "") and target not in names
    )
    if wrong:
        raise InvalidInput(
            f"Trường không có trong {system.name}: {', '.join(wrong)}; "
            f"các trường: {', '.join(sorted(names))}.",
            f"Not fields of {system.name}: {', '.join(wrong)}; fields: {', '.join(sorted(names))}.",
        )
