"""What the map app learns from style.json's metadata besides the style: the registry's
layers, the systems they belong to and the records their features are, in vi/en."""

import functools
from collections.abc import Iterable
from typing import Any

from django.apps import apps

from gisioc.ingest.systems import systems_list
from gisioc.systems import RecordType, SystemSpec, record_types, systems
from gisioc.texts import Text
from layers.registry import Layer


def layer_meta(layer: Layer) -> dict[str, Any]:
    """A registry layer as the app's layer panel reads it."""
    return {
        "id": layer.id,
        "system": layer.system,
        "title": layer.title.as_dict(),
        "description": layer.description.as_dict(),
        "geometry": layer.geometry,
        "visible": layer.visible,
        "public": layer.public,
        "purpose": layer.purpose,
        "filters": [
            {
                "name": f.name,
                "kind": f.kind,
                "title": f.title.as_dict(),
                "choices": list(f.choices),
                "default": f.default,
                "labels": {value: text.as_dict() for value, text in f.labels.items()},
                "selected": f.selected,
            }
            for f in layer.filters
        ],
        "choropleth": layer.classification is not None,
        "record": {"type": layer.record.type, "detail": layer.record.detail}
        if layer.record
        else None,
        "legend": f"/tiles/legend/{layer.id}.json",
        "tilejson": f"/tiles/{layer.id}.json",
    }


def systems_meta() -> dict[str, dict[str, Any]]:
    """Every registered system: name → {title, order} (the layer panel's group titles)."""
    return {
        spec.name: {"title": spec.title.as_dict(), "order": spec.order}
        for spec in sorted(systems, key=lambda s: (s.order, s.name))
    }


@functools.cache
def record_labels(model: str, labels: tuple[tuple[str, Text], ...]) -> dict[str, dict[str, str]]:
    """A record model's property labels: its fields' verbose names written 'vi / en', then
    the titles of the ingest fields that fill it, then the record type's own labels."""
    out: dict[str, Text] = {
        f.name: Text.of(f.verbose_name)
        for f in apps.get_model(model)._meta.get_fields()
        if " / " in str(getattr(f, "verbose_name", ""))
    }
    for adapter in systems_list():  # the adapters' declarations only, never a connector
        if adapter.model._meta.label == model:
            out.update((f.name, f.title) for f in adapter.fields)
    out.update(labels)
    return {name: text.as_dict() for name, text in sorted(out.items())}


def _record_meta(spec: SystemSpec, record: RecordType, layers: Iterable[Layer]) -> dict[str, Any]:
    layer = next((x for x in layers if x.record and x.record.type == record.type), None)
    return {
        "system": spec.name,
        "title": record.title.as_dict(),
        "plural": record.plural.as_dict(),
        "detail": spec.detail(record),
        "page": record.page or None,
        "layer": layer.id if layer else None,
        "labels": record_labels(record.model, tuple(record.labels.items())),
    }


def records_meta(layers: list[Layer]) -> dict[str, dict[str, Any]]:
    """Every record type: type → {system, title, plural, detail, page, layer, labels}; `layer` is
    the first of `layers` (those the user sees) whose features are such records."""
    return {record.type: _record_meta(spec, record, layers) for spec, record in record_types}


def app_meta(layers: list[Layer]) -> dict[str, Any]:
    """style.json's metadata: the layers the user sees, every system and record type."""
    return {
        "gisioc:layers": [layer_meta(layer) for layer in layers],
        "gisioc:systems": systems_meta(),
        "gisioc:records": records_meta(layers),
    }
