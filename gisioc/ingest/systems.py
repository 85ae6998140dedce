"""System adapters: each source system declares its fields, rules, locating and upsert once."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from django.core.exceptions import ImproperlyConfigured

from gisioc.errors import NotFound
from gisioc.geo.text import fold
from gisioc.ingest import values as v
from gisioc.ingest.locate import Locator
from gisioc.ingest.upsert import Outcome, new_lines, records_upsert
from gisioc.registries import Registry
from gisioc.systems import systems as systems_declared
from gisioc.texts import Text

if TYPE_CHECKING:
    from django.db.models import Model

    from gisioc.ingest.models import IngestRun
    from gisioc.ingest.readers import Source

Kind = Literal["text", "int", "bool", "date", "datetime", "choice"]
# Folded header fragments of citizens' personal data. Such columns are dropped on reading:
# never normalised, never kept in the raw record, only named in the report.
PERSONAL_HEADERS: tuple[str, ...] = (
    "ho ten",
    "ho va ten",
    "ten nguoi",
    "ten cong dan",
    "ten ca nhan",
    "ten to chuc ca nhan",
    "nguoi nop",
    "nguoi lien he",
    "nguoi yeu cau",
    "nguoi de nghi",
    "nguoi dung ten",
    "chu ho so",
    "full name",
    "applicant name",
    "dien thoai",
    "so dt",
    "sdt",
    "dtdd",
    "di dong",
    "phone",
    "mobile",
    "cmnd",
    "cccd",
    "can cuoc",
    "chung minh",
    "dinh danh ca nhan",
    "so dinh danh",
    "ho chieu",
    "passport",
    "giay to tuy than",
    "email",
    "e mail",
    "thu dien tu",
    "ngay sinh",
    "nam sinh",
    "date of birth",
)


class FieldError(NamedTuple):
    """Why a value was refused: the field and the reason in Vietnamese and English."""

    field: str
    vi: str
    en: str


@dataclass(frozen=True)
class Field:
    """A target field: its type, whether required, and the folded headers that name it."""

    name: str
    kind: Kind
    title: Text
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Mapping[str, str] = field(default_factory=dict)  # folded word → stored value
    max_length: int | None = None
    day_end: bool = False  # a date without a time means the end of that day (deadlines)

    def __post_init__(self) -> None:
        # A cell's typed value depends on the cell alone: remembered per field.
        object.__setattr__(self, "read", v.Memo(self._read))

    def _read(self, raw: object) -> object:
        fault = v.value_fault(raw)
        if fault is not None:
            raise fault
        return self.parse(raw)

    @property
    def headers(self) -> tuple[str, ...]:
        """Every folded header that names the field, its own name included."""
        return (fold(self.name), *(fold(a) for a in self.aliases))

    def parse(self, raw: object) -> object:
        """The typed value of a non-blank cell; BadValue when it cannot be read."""
        if self.kind == "int":
            return v.int_value(raw)
        if self.kind == "bool":
            return v.bool_value(raw)
        if self.kind == "date":
            return v.date_value(raw)
        if self.kind == "datetime":
            return v.datetime_value(raw, day_end=self.day_end)
        if self.kind == "choice":
            return v.choice_value(raw, self.choices)
        text = v.text_value(raw)
        if self.max_length and len(text) > self.max_length:
            raise v.BadValue(
                f"dài quá {self.max_length} ký tự", f"longer than {self.max_length} characters"
            )
        return text


Rules = Callable[[dict[str, Any]], list[FieldError]]
Locate = Callable[[dict[str, Any], Locator], None]
UpsertMany = Callable[[list[dict[str, Any]], "IngestRun"], list[Outcome]]
Screen = Callable[[dict[str, object]], dict[str, object]]
OpenFile = Callable[..., "Source"]  # (*, path: Path, known: header → names a field) → Source


def _has_unit(values: dict[str, Any]) -> bool:
    return values.get("unit_id") is not None


@dataclass(frozen=True)
class System:
    """A source system's adapter.

    `rules` checks one typed row across fields (and may fill derived values); `locate` adds
    the Located fields (geom, unit_id, locate_on, locate_method, locate_confidence,
    locate_reason); `upsert_many` stores rows keyed by (run.source, values[key]) and says,
    row by row and in order, whether each was created, updated or unchanged (by default
    `records_upsert` into `model`). `model` holds the records, each with its `source`; the
    title is the system's declared one (`gisioc.systems`) unless given.
    """

    name: str
    fields: tuple[Field, ...]
    rules: Rules
    locate: Locate
    model: "type[Model]"
    upsert_many: UpsertMany = None  # type: ignore[assignment]  # set in __post_init__
    key: str = "external_id"
    key_from: tuple[str, ...] = ()  # fields whose value is the key when a row has none
    personal: tuple[str, ...] = PERSONAL_HEADERS
    # Folded headers of columns that feed no field yet may be kept in raw audit rows; by
    # default none: raw rows keep the mapped columns only.
    raw_extra: tuple[str, ...] = ()
    # Fields stored on the record but left out of its raw audit row (a reporter's name and
    # phone the record must keep): their columns feed the field, never RawRecord.raw.
    private: tuple[str, ...] = ()
    title: Text = None  # type: ignore[assignment]  # by default the system's declared title
    # Whether a stored row counts as placed (else "not located"); by default when it has a
    # unit. An indicator's value for a version's whole area is placed without one.
    placed: Callable[[dict[str, Any]], bool] = _has_unit
    # Reads a file instead of `readers.source_open` (a system whose files have own layouts).
    open_file: OpenFile | None = None
    # Called once as each run starts, before its first row (e.g. to empty per-run lookups).
    start: Callable[[], None] | None = None
    # Turns a row's values (by field, as sent) before anything reads or keeps them: a
    # patient's id into its keyed hash, a birth date into an age band. The raw audit row then
    # keeps the screened values by field, never the columns as sent. It must not raise.
    screen: Screen | None = None
    # Personal columns refuse the whole file or batch (naming them) instead of being dropped:
    # for systems whose rows must be aggregates (a pupil list is not a school's figures).
    refuse_personal: bool = False

    def __post_init__(self) -> None:
        if self.title is None:
            spec = systems_declared.get(self.name)
            object.__setattr__(self, "title", spec.title if spec else Text(self.name, self.name))
        if self.upsert_many is None:
            upsert = partial(_model_upsert, self.model)
            object.__setattr__(self, "upsert_many", upsert)

    def field(self, name: str) -> Field | None:
        """The field with this name."""
        return next((f for f in self.fields if f.name == name), None)

    def normalise(self, row: Mapping[str, object]) -> tuple[dict[str, Any], list[FieldError]]:
        """Typed values of a row keyed by field, or every reason it cannot be stored."""
        values: dict[str, Any] = {}
        errors: list[FieldError] = []
        for spec in self.fields:
            raw = row.get(spec.name)
            if raw is None or raw == "":
                values[spec.name] = "" if spec.kind == "text" else None
                if spec.required:
                    errors.append(
                        FieldError(
                            spec.name, f"thiếu {spec.title.vi}", f"{spec.title.en} is missing"
                        )
                    )
                continue
            read = spec.read  # type: ignore[attr-defined]
            value = read[raw] if type(raw) is str else read.answer(raw)
            if type(value) is v.Refused:
                errors.append(FieldError(spec.name, value.vi, value.en))
            else:
                values[spec.name] = value
        if not values.get(self.key):  # e.g. a dossier's own code stands for its record id
            values[self.key] = next((values[f] for f in self.key_from if values.get(f)), "")
        if not errors:
            errors = self.rules(values)
        return values, errors

    def upsert(self, values: dict[str, Any], run: "IngestRun") -> Outcome:
        """Store one normalised, located row: 'created', 'updated' or 'unchanged'."""
        return self.upsert_many([values], run)[0]

    def new_lines(self, rows: list[dict[str, Any]], run: "IngestRun") -> list[str] | None:
        """The rows' COPY lines as new records, written ahead for `upsert_lines` (the default
        upsert only; None for a system's own)."""
        upsert = self.upsert_many
        if not (isinstance(upsert, partial) and upsert.func is _model_upsert):
            return None
        return new_lines(model=self.model, rows=rows, run=run)

    def upsert_lines(
        self, rows: list[dict[str, Any]], run: "IngestRun", lines: list[str] | None
    ) -> list[Outcome]:
        """`upsert_many`, with the rows' `new_lines` when there are some."""
        if lines is None:
            return list(self.upsert_many(rows, run))
        return records_upsert(model=self.model, rows=rows, run=run, lines=lines)


def _model_upsert(
    model: "type[Model]", rows: list[dict[str, Any]], run: "IngestRun"
) -> list[Outcome]:
    return records_upsert(model=model, rows=rows, run=run)


adapters = Registry[System]("Ingest system")


def register_system(system: System) -> System:
    """Add a system adapter (from its app's `ingest` module); a second one with the same name
    fails `manage.py check`, a bad field list at once."""
    names = [f.name for f in system.fields]
    if len(set(names)) != len(names) or system.key not in names:
        raise ImproperlyConfigured(
            f"Ingest system {system.name!r}: field names repeat, or key {system.key!r} is none"
        )
    return adapters.add(system.name, system)


def system_get(name: str) -> System:
    """The registered system with this name, or NotFound listing those there are."""
    system = adapters.get(name)
    if system is None:
        known = ", ".join(sorted(adapters.keys())) or "—"
        raise NotFound(
            f"Không có hệ thống {name}; có: {known}.", f"No system {name}; known: {known}."
        )
    return system


def systems_list() -> list[System]:
    """Every registered system, by name."""
    return sorted(adapters, key=lambda system: system.name)
