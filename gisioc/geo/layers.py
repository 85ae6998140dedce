"""Layers of the geography core: boundaries, facilities and facilities per commune."""

from gisioc.geo.models import Facility, Role
from layers.registry import (
    Classification,
    Generalised,
    Layer,
    LayerFilter,
    LegendItem,
    RecordLink,
    Text,
    register,
)
from layers.styles import cluster_styles

OUTLINE = "#37474f"
KIND_COLOURS = {  # Okabe–Ito: distinguishable with the common colour-vision deficiencies
    "school": "#0072B2",
    "health": "#D55E00",
    "camera": "#000000",
    "one_stop": "#009E73",
    "agency": "#CC79A7",
}
FACILITY = RecordLink("facility", "/api/facilities/{id}/")
VERSION = LayerFilter("version", "version", "text", Text("Phiên bản ranh giới", "Boundary version"))
UNIT_PROPERTIES = (
    "code",
    "name",
    "short_name",
    "unit_type",
    "level",
    "version",
    "area_km2",
    "approximate",
    "change",
)


def _outline(color: str, width: float, dash: list[float] | None = None) -> dict:
    paint: dict = {"line-color": color, "line-width": width}
    if dash:
        paint["line-dasharray"] = dash
    return {"type": "line", "paint": paint}


def _unit_layer(id: str, title: Text, description: Text, **entry: object) -> Layer:
    """A layer of admin units (from the units view), labelled and flagged when approximate."""
    return Layer(
        id=id,
        system="boundaries",
        title=title,
        description=description,
        source="geo.AdminUnitView",
        geometry="polygon",
        properties=UNIT_PROPERTIES,
        labels="short_name",
        approximate_field="approximate",
        generalised=Generalised(),  # a national tile stays under 100 kB, borders shared
        **entry,
    )


register(
    _unit_layer(
        "admin-units",
        Text("Ranh giới xã hiện hành", "Communes in force"),
        Text(
            "Đơn vị hành chính cấp xã của phiên bản ranh giới đang có hiệu lực.",
            "Commune-level units of the boundary version in force today.",
        ),
        where=(("in_force", True), ("level", "commune")),
        style=(
            {"type": "fill", "paint": {"fill-color": "#f4f1e8", "fill-opacity": 0.5}},
            _outline(OUTLINE, 1.6),
        ),
        legend=(LegendItem(Text("Ranh giới xã", "Commune boundary"), OUTLINE),),
        order=10,
        purpose="base",
    ),
    _unit_layer(
        "admin-units-version",
        Text("Ranh giới theo phiên bản", "Boundaries of a version"),
        Text(
            "Đơn vị hành chính của một phiên bản đã công bố (ví dụ trước 2025).",
            "Units of a published boundary version (e.g. before 2025).",
        ),
        filters=(VERSION,),
        where=(("status", "published"), ("level", "commune")),
        style=(_outline("#8d6e63", 1.0, [3, 2]),),
        legend=(LegendItem(Text("Ranh giới cũ", "Former boundary"), "#8d6e63"),),
        visible=False,
        order=11,
        purpose="versions",
    ),
    _unit_layer(
        "boundary-drafts",
        Text("Ranh giới bản nháp", "Draft boundaries"),
        Text(
            "Bản nháp chờ công bố, chỉ cán bộ GIS xem được.",
            "Drafts awaiting publication; GIS officers only.",
        ),
        filters=(VERSION,),
        where=(("status", "draft"),),
        roles=frozenset({Role.GIS_OFFICER}),
        style=(_outline("#e65100", 1.4, [2, 1]),),
        legend=(LegendItem(Text("Ranh giới nháp", "Draft boundary"), "#e65100"),),
        visible=False,
        order=12,
        purpose="drafts",
    ),
    Layer(
        id="facilities",
        system="boundaries",
        title=Text("Cơ sở theo loại", "Facilities by type"),
        description=Text(
            "Trường học, cơ sở y tế, camera, bộ phận một cửa, cơ quan đang hoạt động hôm nay.",
            "Schools, health facilities, cameras, one-stop offices, agencies in service today.",
        ),
        source="geo.FacilityInService",
        today=True,  # a facility closing leaves the map on its closing day
        geometry="point",
        record=FACILITY,
        properties=("code", "name", "kind", "subtype"),
        unit_field="unit",
        filters=(
            LayerFilter(
                "kind",
                "kind",
                "choice",
                Text("Loại cơ sở", "Facility type"),
                choices=tuple(Facility.Kind.values),
            ),
        ),
        cluster_below=10,
        style=(
            *cluster_styles("#455a64"),
            {
                "type": "circle",
                "filter": ["!", ["has", "count"]],
                "paint": {
                    "circle-color": [
                        "match",
                        ["get", "kind"],
                        *[x for kv in KIND_COLOURS.items() for x in kv],
                        "#777777",
                    ],
                    "circle-radius": 5.5,
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 1.2,
                },
            },
        ),
        legend=tuple(
            LegendItem(Text.of(Facility.Kind(k).label), c, k) for k, c in KIND_COLOURS.items()
        ),
        order=40,
    ),
    Layer(
        id="facilities-per-commune",
        system="boundaries",
        title=Text("Số cơ sở theo xã", "Facilities per commune"),
        description=Text(
            "Bản đồ chuyên đề: số cơ sở đang hoạt động trong mỗi xã.",
            "Thematic map: facilities in service in each commune.",
        ),
        source="geo.UnitFacilityCount",
        today=True,  # communes in force and facilities in service, both as of today
        geometry="polygon",
        properties=(
            "code",
            "name",
            "version",
            "approximate",
            "facilities",
            "schools",
            "health",
            "agencies",
        ),
        unit_field="unit",
        approximate_field="approximate",
        classification=Classification(
            indicator="facilities",
            title=Text("Số cơ sở", "Facilities"),
            indicators=(
                ("schools", Text("Trường học", "Schools")),
                ("health", Text("Cơ sở y tế", "Health facilities")),
                ("agencies", Text("Cơ quan", "Agencies")),
            ),
            method="quantile",
            classes=4,
        ),
        style=({"type": "fill", "paint": {"fill-opacity": 0.75}},),
        visible=False,
        order=30,
    ),
)
