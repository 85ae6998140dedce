"""Search provider: cameras by the road they watch ('Quốc lộ 1A', 'ĐT129'); by name or code
they are facilities already (gisioc.geo.search), so those are left to it."""

from gisioc.cameras.models import Camera
from gisioc.geo.text import fold
from gisioc.search.registry import Hit, User, register_provider


@register_provider
def cameras(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Cameras whose road holds every word of the query (positions are public: the same
    hits for everyone), each as its facility, saying the road and the status."""
    words = folded.split()
    if not words:
        return []
    found = (
        Camera.objects.filter(facility__active=True, facility__geom__isnull=False)
        .select_related("facility")
        .order_by("facility__code")
    )
    hits = []
    for camera in found:  # a district has tens of cameras, not thousands
        road, facility = fold(camera.road), camera.facility
        if not all(w in road.split() or road.startswith(folded) for w in words):
            continue
        name_hit = all(w in facility.folded_name for w in words)
        if name_hit or facility.code.lower().startswith(query.lower()):
            continue  # the facilities provider finds it
        status = camera.get_status_display().split(" / ")
        hits.append(
            Hit("facility", facility.pk, facility.code, facility.name,
                f"Camera · {camera.road} · {status[0]}", 0 if road == folded else 1,
                f"/api/facilities/{facility.pk}/", None, (facility.geom.x, facility.geom.y))
        )  # fmt: skip
        if len(hits) >= limit:
            break
    return hits
