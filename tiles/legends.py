"""GET /tiles/legend/{layer}.json: a layer's swatches, or a choropleth's classes."""

from typing import Any

from django.http import HttpRequest

from layers.registry import Layer
from tiles.choropleth import choice_params, choropleth
from tiles.sql import Filters, Scope


def legend(request: HttpRequest, layer: Layer, filters: Filters, scope: Scope) -> dict[str, Any]:
    """Categorical swatches, or a choropleth's classes for the requested indicator and method."""
    body: dict[str, Any] = {
        "layer": layer.id,
        "title": layer.title.as_dict(),
        "system": layer.system,
    }
    items = [{"label": i.label.as_dict(), "color": i.color, "value": i.value} for i in layer.legend]
    if layer.classification is None:
        body["kind"] = "categorical"
        body["items"] = items
        return body
    indicator, method, classes, manual = choice_params(request, layer)
    c = layer.classification
    titles = {c.indicator: c.title, **dict(c.indicators)}
    body.update(
        kind="choropleth",
        # What the layer's own style adds over the classes (an outline meaning "converted").
        notes=items,
        indicator_title=titles[indicator].as_dict(),
        indicators=[{"id": k, "title": t.as_dict()} for k, t in titles.items()],
        **choropleth(
            layer,
            indicator=indicator,
            method=method,
            classes=classes,
            manual=manual,
            filters=filters,
            scope=scope,
        ),
    )
    return body
