"""The system kit: a source system is one folder, `gisioc/<name>/`, declared once in its
`system.py` and found by one rule.

A folder with a `system.py` is installed as a Django app (settings call `system_apps`). Its
declaration, `SYSTEM = SystemSpec(...)`, names it, titles it in Vietnamese and English and lists
its record types. At start-up `system_modules_load` imports, of every installed system, the
modules in `MODULES` that exist; each fills the shared registries (ingest adapters, KPI sets,
layers, profile sections, search providers, pullers, fake feeds). URLs, the fake-source
server, `make run`'s pulls, the layer registry and the map app read those registries, so
adding a system edits nothing outside its folder.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType

from gisioc.registries import Registry
from gisioc.texts import Text

# Modules a system may have, imported in this order (each registers what it declares).
MODULES = ("ingest", "kpis", "layers", "profile", "search", "pull", "fake")
SYSTEMS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Open:
    """Which records of a type are open (still to act on) and where each is: what the flood
    exposure lists (gisioc.rasters.exposure). Never a person's name: `code` and `label` name it."""

    where: Mapping[str, object]  # ORM lookups of the open ones: {"status__in": ("received",)}
    point: str = "geom"  # the point field that places a record
    code: str = "id"  # the field shown as its code (a ticket)
    label: str = ""  # a choice field whose label (vi / en) says what it is about


@dataclass(frozen=True)
class RecordType:
    """A kind of record a system holds: its type name, model, API path and titles."""

    type: str  # 'dossier': how search, profiles and the map app name it
    model: str  # 'app_label.Model'
    path: str  # under the system's API path: /api/<system path>/<path>/
    title: Text  # one record: 'Hồ sơ' / 'Dossier'
    plural: Text  # in sentences: 'hồ sơ' / 'dossiers'
    # How the map app names the record's properties where its ingest fields' titles do not
    # fit: values resolved on ingest (an office's code), properties no field feeds.
    labels: Mapping[str, Text] = field(default_factory=dict, hash=False, compare=False)
    # The public's page of one record when its record API is for staff only ('{ticket}'
    # filled from the map feature's properties): where the map app takes the public instead.
    page: str = ""
    # Which of its records are open and placed by a point (None: not part of flood exposure).
    open: Open | None = field(default=None, hash=False, compare=False)


@dataclass(frozen=True)
class SystemSpec:
    """A source system's one declaration (in its `system.py`)."""

    name: str  # the app label and the ingest system name
    title: Text
    path: str  # under /api/: 'public-services'
    records: tuple[RecordType, ...] = ()
    order: int = 100  # place in the layer panel and the profile
    demo_source: str | None = None  # the source its demo records and fake feed are under

    @property
    def api(self) -> str:
        """The system's API prefix, '/api/<path>/'."""
        return f"/api/{self.path}/" if self.path else "/api/"

    def detail(self, record: RecordType) -> str:
        """The API URL template of one record of the type ({id} in it)."""
        return f"{self.api}{record.path}/{{id}}/"


systems = Registry[SystemSpec]("System")
record_types = Registry[tuple[SystemSpec, RecordType]]("Record type")
# The dotted app name of each system (its folder): where its modules are found.
system_app_names: dict[str, str] = {}


def system_apps(base: Path = SYSTEMS_DIR) -> list[str]:
    """Dotted names of the system folders under `gisioc/` (those with a `system.py`), for
    INSTALLED_APPS; read from the file system, as settings load before any app."""
    return sorted(f"gisioc.{p.parent.name}" for p in base.glob("*/system.py"))


def _declaration(app_name: str) -> SystemSpec | None:
    if find_spec(f"{app_name}.system") is None:
        return None
    return getattr(import_module(f"{app_name}.system"), "SYSTEM", None)


def system_modules_load() -> None:
    """Register every installed system and import its modules (the one discovery rule)."""
    from django.apps import apps

    found: list[tuple[SystemSpec, str]] = []
    for config in apps.get_app_configs():
        spec = _declaration(config.name)
        if spec is None:
            continue
        config.verbose_name = f"{spec.title.vi} ({spec.title.en})"
        found.append((spec, config.name))
    for spec, app_name in sorted(found, key=lambda item: (item[0].order, item[0].name)):
        systems.add(spec.name, spec)
        system_app_names[spec.name] = app_name
        for record in spec.records:
            record_types.add(record.type, (spec, record))
    for _, app_name in found:
        for module in MODULES:
            _import_if_there(f"{app_name}.{module}")


def _import_if_there(dotted: str) -> ModuleType | None:
    return import_module(dotted) if find_spec(dotted) is not None else None


def system_module(name: str, module: str) -> str | None:
    """The dotted name of a system's module (its `urls`, say), None when it has none."""
    app_name = system_app_names.get(name)
    dotted = f"{app_name}.{module}"
    return dotted if app_name and find_spec(dotted) is not None else None


def system_get(name: str) -> SystemSpec | None:
    """The declaration of the system with this name."""
    return systems.get(name)


def record_type_get(type: str) -> tuple[SystemSpec, RecordType] | None:
    """The system and declaration of a record type."""
    return record_types.get(type)
