"""Camera snapshots and thumbs, one file by its random name, at /api/cameras/snapshots/<name>:
staff only (a frame shows people and plates), a commune officer within the scope."""

from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.urls import path
from django.views.decorators.http import require_safe

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.cameras.snapshots import NAME_RE, SUBDIR, snapshot_path
from gisioc.errors import NotFound
from gisioc.geo.access import scope_unit_ids, user_role


def _not_found() -> NotFound:
    return NotFound("Không có ảnh này.", "No such image.")


def _unit_of(rel: str) -> tuple[bool, int | None]:
    """Whether a stored name is a snapshot we hold, and the commune it belongs to."""
    row = (
        CameraEvent.objects.filter(Q(snapshot_file=rel) | Q(thumb_file=rel))
        .values_list("unit_id")
        .first()
    )
    if row is None:
        row = Camera.objects.filter(snapshot_file=rel).values_list("facility__unit_id").first()
    return row is not None, row[0] if row else None


@require_safe
def snapshot_file(request: HttpRequest, name: str) -> FileResponse:
    """One stored snapshot to a staff member who may see it; a JPEG kept inert."""
    if not NAME_RE.fullmatch(name) or user_role(request.user) is None:
        raise _not_found()  # the public learns nothing, not even that the name exists
    rel = f"{SUBDIR}/{name}"
    known, unit = _unit_of(rel)
    scope = scope_unit_ids(request.user)
    if not known or (scope is not None and unit not in scope):
        raise _not_found()
    try:
        handle = snapshot_path(rel).open("rb")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise _not_found() from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["Vary"] = "Cookie"
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return response


urlpatterns = [path("snapshots/<str:name>", snapshot_file, name="camera-snapshot")]
