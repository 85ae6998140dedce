"""What every tile endpoint does first: find the layer, check access, parse filters."""

from collections.abc import Mapping

from django.http import HttpRequest

from gisioc.errors import Forbidden, InvalidInput, NotFound
from gisioc.geo import access
from layers.registry import Layer, registry

PASSTHROUGH = frozenset({"v"})  # cache-busting parameters clients may add


def layer_for(request: HttpRequest, layer_id: str) -> Layer:
    """The registered layer the user may see, or NotFound / Forbidden."""
    layer = registry.get(layer_id)
    if layer is None:
        raise NotFound(f"Không có lớp bản đồ {layer_id}.", f"No map layer {layer_id}.")
    if not access.may_see(request.user, layer.roles):
        raise Forbidden(f"Bạn không được xem lớp {layer_id}.", f"You may not see layer {layer_id}.")
    return layer


def filters_from(
    request: HttpRequest, layer: Layer, *, extra: frozenset[str] = frozenset()
) -> tuple[tuple[str, object], ...]:
    """Validated filter values from the query string; unknown parameters are an error."""
    return filters_parse(layer, request.GET, extra=extra)


def filters_parse(
    layer: Layer, params: Mapping[str, str], *, extra: frozenset[str] = frozenset()
) -> tuple[tuple[str, object], ...]:
    """Validated filter values from query parameters (the last value of each name)."""
    known = {f.name: f for f in layer.filters}
    unknown = set(params) - set(known) - PASSTHROUGH - extra
    if unknown:
        accepted = ", ".join(sorted(known)) or "—"
        raise InvalidInput(
            f"Tham số không hợp lệ: {', '.join(sorted(unknown))} (lọc được: {accepted}).",
            f"Unknown parameter(s): {', '.join(sorted(unknown))} (filters: {accepted}).",
        )
    return tuple(
        (name, known[name].parse(params[name])) for name in sorted(known) if name in params
    )


def scope_for(request: HttpRequest, layer: Layer) -> tuple[int, ...] | None:
    """The units whose rows of the layer the user reads (gisioc.geo.access); None: all."""
    units = access.readable_unit_ids(request.user, layer.roles) if layer.unit_field else None
    return None if units is None else tuple(sorted(units))
