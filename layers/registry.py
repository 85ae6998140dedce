"""The one declarative registry of thematic layers: tiles, styles, legends and the app read it."""

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.apps import apps
from django.db import models

from gisioc.errors import InvalidInput
from gisioc.params import int_parse
from gisioc.periods import period_parse
from gisioc.registries import Registry
from gisioc.texts import Text

Geometry = Literal["polygon", "point", "line"]
Method = Literal["equal_interval", "quantile", "jenks", "manual"]
# A layer's part in the map app: the boundaries in force it fits the view to and drills
# down on, a closed version's boundaries, the drafts a GIS officer reviews.
Purpose = Literal["base", "versions", "drafts"]
METHODS: tuple[str, ...] = ("equal_interval", "quantile", "jenks", "manual")
LAYER_ID = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
# Colour-blind-safe sequential ramps (ColorBrewer YlGnBu / viridis-like), 3–7 classes.
SEQUENTIAL = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")


@dataclass(frozen=True)
class LayerFilter:
    """A query parameter a layer accepts, typed and validated, applied to one source field."""

    name: str
    field: str
    kind: Literal["choice", "date", "int", "text", "period"]
    title: Text
    choices: tuple[str, ...] = ()
    lookup: Literal["=", ">=", "<="] = "="
    # Applied when the request names no value, so a source with one row per value (a view
    # of communes × periods) always shows one of them; '' is "all time" for a period.
    default: str | None = None
    # The choices' titles, as the layer panel lists them (a choice without one shows as is).
    labels: Mapping[str, Text] = field(default_factory=dict, hash=False, compare=False)
    # A layer whose picked feature (a record) fills this int filter with the record's id in
    # the map app, which then shows this layer: a facility's catchment follows the facility.
    selected: str | None = None

    def parse(self, raw: str) -> object:
        """The typed value of a raw query string value, or InvalidInput."""
        if self.kind == "period":
            period = period_parse(raw)  # InvalidInput when malformed
            return period.label if period else ""
        try:
            if self.kind == "int":
                return int_parse(raw, self.name)
            if self.kind == "date":
                return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise InvalidInput(
                f"Giá trị lọc {self.name}={raw!r} không hợp lệ ({self.kind}).",
                f"Invalid filter value {self.name}={raw!r} (expected {self.kind}).",
            ) from exc
        if self.kind == "choice" and raw not in self.choices:
            raise InvalidInput(
                f"{self.name}={raw!r} không thuộc {', '.join(self.choices)}.",
                f"{self.name}={raw!r} is not one of {', '.join(self.choices)}.",
            )
        if len(raw) > 200:
            raise InvalidInput(f"{self.name} quá dài.", f"{self.name} is too long.")
        return raw


@dataclass(frozen=True)
class Classification:
    """How a choropleth turns an indicator into classes and colours."""

    indicator: str
    title: Text
    indicators: tuple[tuple[str, Text], ...] = ()  # others the user may pick instead
    method: Method = "quantile"
    classes: int = 5
    palette: tuple[str, ...] = SEQUENTIAL
    breaks: tuple[float, ...] = ()


@dataclass(frozen=True)
class LegendItem:
    """One swatch of a categorical legend."""

    label: Text
    color: str
    value: str | None = None


@dataclass(frozen=True)
class RecordLink:
    """What a layer's features are: a record type and the API URL of one ({id} in it)."""

    type: str
    detail: str


@dataclass(frozen=True)
class Generalised:
    """Polygons of admin units drawn from their shapes generalised per zoom (tiles/shapes.py,
    shared borders simplified once). Below `overview_below` a unit is a few pixels wide: its
    tiles carry no labels and only the `overview` properties, so a national tile stays small."""

    unit: str = "unit"  # the source field naming the admin unit
    overview_below: int = 8
    overview: tuple[str, ...] = ("code", "name", "approximate")


@dataclass(frozen=True)
class Layer:
    """A thematic layer: everything tiles, style, legend and the app need to show it."""

    id: str
    system: str
    title: Text
    description: Text
    source: str  # app_label.Model; views are unmanaged models over a SQL view
    geometry: Geometry
    properties: tuple[str, ...]
    style: tuple[dict[str, Any], ...]
    geom_field: str = "geom"
    id_field: str = "id"
    unit_field: str | None = None  # the admin unit column the scope rule filters on
    minzoom: int = 0
    # The last zoom whose tiles gain detail (TileJSON's and the style source's maxzoom):
    # clients overzoom its tiles above it. At 14 a tile's 4,096-unit grid is 0.6 m, finer than
    # the sources' coordinates (5 decimals, 1.1 m) and than points' own accuracy. A tile asked
    # above it is still drawn.
    maxzoom: int = 14
    filters: tuple[LayerFilter, ...] = ()
    where: tuple[tuple[str, object], ...] = ()  # fixed conditions: (field, value)
    legend: tuple[LegendItem, ...] = ()
    classification: Classification | None = None
    roles: frozenset[str] | None = None  # None: public
    labels: str | None = None  # property drawn as a label at each feature's inner point
    cluster_below: int | None = None  # points: grid clusters with counts below this zoom
    generalised: Generalised | None = None  # polygons of admin units: shapes per zoom band
    max_features: int = 20_000
    visible: bool = True
    approximate_field: str | None = None
    # The source reads the clock (gisioc_today(): "overdue as of today"), so the day is part
    # of the data version and yesterday's tiles are never served.
    today: bool = False
    record: RecordLink | None = None  # the app opens a clicked feature's record through it
    purpose: Purpose | None = None
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def model(self) -> type[models.Model]:
        """The Django model (table or view) the layer reads."""
        # Models list citizens' personal fields in `personal_fields`; the registry check
        # refuses a public layer that exposes one.
        return apps.get_model(self.source)

    @property
    def public(self) -> bool:
        """True when anyone may see the layer."""
        return self.roles is None

    def column(self, name: str) -> str:
        """The database column behind a source field name."""
        return _column(self.source, name)

    def tables(self) -> tuple[str, ...]:
        """Tables whose writes change what this layer shows (for its data version), sorted."""
        return _tables(self.source, generalised=self.generalised is not None)


# Models do not change once loaded, and every tile asks these: looked up once per source.
# A failed lookup (an unknown model or field, reported by the checks) is not remembered.
@functools.cache
def _column(source: str, name: str) -> str:
    return apps.get_model(source)._meta.get_field(name).column


@functools.cache
def _tables(source: str, *, generalised: bool = False) -> tuple[str, ...]:
    model = apps.get_model(source)
    tables = (
        {model._meta.db_table} if model._meta.managed else set(getattr(model, "source_tables", ()))
    )
    # A layer drawing the units' generalised shapes changes with them (tiles/shapes.py).
    return tuple(sorted(tables | ({"tiles_unitshape"} if generalised else set())))


class LayerRegistry(Registry[Layer]):
    """Layers by id, listed by order then id; a repeated id fails `manage.py check`."""

    def __init__(self) -> None:
        super().__init__("Layer")

    def register(self, *layers: Layer) -> None:
        """Add layers (from a system's `layers.py`)."""
        for layer in layers:
            self.add(layer.id, layer)

    def __iter__(self) -> Iterator[Layer]:
        return iter(sorted(super().__iter__(), key=lambda layer: (layer.order, layer.id)))


registry = LayerRegistry()
register = registry.register
