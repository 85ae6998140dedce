"""System checks: a broken registry fails `manage.py check`, and so CI, at start-up."""

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import FieldDoesNotExist

from gisioc.systems import systems
from layers.registry import LAYER_ID, METHODS, Layer, registry


def _missing_fields(layer: Layer) -> Iterable[str]:
    model = layer.model
    named = [
        *layer.properties,
        layer.geom_field,
        layer.id_field,
        *(f.field for f in layer.filters),
        *(name for name, _ in layer.where),
    ]
    for optional in (layer.unit_field, layer.labels, layer.approximate_field):
        if optional:
            named.append(optional)
    if layer.classification:
        named += [layer.classification.indicator, *(i for i, _ in layer.classification.indicators)]
    for name in named:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            yield name


def _problems(layer: Layer) -> Iterable[str]:
    if layer.system not in systems:
        yield f"belongs to system {layer.system!r}, which no system.py declares"
    if not LAYER_ID.match(layer.id):
        yield f"id {layer.id!r} must be lower-case letters, digits and '-'"
    try:
        layer.model  # noqa: B018
    except LookupError:
        yield f"source {layer.source!r} is not a model"
        return
    for name in _missing_fields(layer):
        yield f"names field {name!r}, which {layer.source} lacks"
    if not (0 <= layer.minzoom <= layer.maxzoom <= 24):
        yield f"zoom range {layer.minzoom}–{layer.maxzoom} cannot render (0 ≤ min ≤ max ≤ 24)"
    if layer.cluster_below is not None and layer.geometry != "point":
        yield "only point layers can cluster"
    if layer.cluster_below is not None and layer.maxzoom < layer.cluster_below:
        # Clients overzoom maxzoom's tiles: they would show clusters at every zoom, never a point.
        yield f"clusters below z{layer.cluster_below} but stops at maxzoom {layer.maxzoom}"
    if not layer.style:
        yield "has no style"
    heat = any(spec.get("type") == "heatmap" for spec in layer.style)
    if heat and (layer.geometry != "point" or layer.cluster_below is not None):
        yield "a heatmap style draws points, unclustered (the browser sums them)"
    personal = set(getattr(layer.model, "personal_fields", ())) & {*layer.properties, layer.labels}
    if layer.public and personal:
        yield f"is public but exposes personal data: {', '.join(sorted(personal))}"
    if layer.max_features < 1:
        yield "max_features must be positive"
    c = layer.classification
    if c and (c.method not in METHODS or not 2 <= c.classes <= len(c.palette)):
        yield f"classification {c.method}/{c.classes} is not possible with {len(c.palette)} colours"
    if c and c.method == "manual" and len(c.breaks) != c.classes - 1:
        yield "manual classification needs classes − 1 breaks"
    if layer.record and (layer.geometry != "point" or "{id}" not in layer.record.detail):
        yield "record links are for point layers, with {id} in the detail URL"
    for flt in layer.filters:
        if flt.default is not None and flt.kind == "choice" and flt.default not in flt.choices:
            yield f"filter {flt.name!r} defaults to {flt.default!r}, not one of its choices"
        if set(flt.labels) - set(flt.choices):
            yield f"filter {flt.name!r} labels values that are not its choices"
        picked = registry.get(flt.selected) if flt.selected else None
        if flt.selected is not None and (flt.kind != "int" or not (picked and picked.record)):
            yield f"filter {flt.name!r} follows {flt.selected!r}: an int filter, a layer of records"


@register("gisioc")
def check_layers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every registered layer is well formed (a repeated id: gisioc.registries)."""
    errors: list[CheckMessage] = []
    for layer in registry:
        errors += [Error(f"Layer {layer.id!r} {p}", id="layers.E002") for p in _problems(layer)]
    return errors
