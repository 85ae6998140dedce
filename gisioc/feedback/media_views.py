"""Report photos and videos, one file by its random name, at /api/feedback/media/<name>.

The public gets an item of a report it may see (status in `services.PUBLIC`; a result's
photos once the result is published) unless hidden, and the blurred copy of a blurred one;
staff get every file. Photos are JPEG shown inline, videos downloaded; nothing is ever
sniffed or run as a page (nosniff, a sandboxing CSP).
"""

from typing import Any

from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.urls import path
from django.views.decorators.http import require_safe

from gisioc.errors import NotFound
from gisioc.feedback import services
from gisioc.feedback.media import media_path
from gisioc.feedback.media_formats import NAME_RE
from gisioc.feedback.models import AgencyMember, Report, ReportMedia
from gisioc.geo.access import user_role

PUBLIC_MAX_AGE = 300  # a hidden item leaves shared caches within five minutes
RESULT_PUBLIC = frozenset({Report.Status.PUBLISHED, Report.Status.CLOSED})
EXTENSIONS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}


def _not_found() -> NotFound:
    return NotFound("Không có tệp này.", "No such file.")


def media_staff(user: Any) -> bool:
    """Whether the user sees every file: staff with a role, or an agency's member."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user_role(user) is not None or AgencyMember.objects.filter(user=user).exists()


def media_served(media: ReportMedia, rel: str, *, staff: bool) -> str | None:
    """The stored name to send for a request of `rel`, or None when the asker may not see it."""
    if staff:
        return rel
    report = media.report
    visible = report.status in services.PUBLIC and not media.hidden
    if media.stage == ReportMedia.Stage.RESULT:
        visible = visible and report.status in RESULT_PUBLIC
    if not visible:
        return None
    if media.public_file:  # blurred: the public never gets the original or its thumbnail
        return media.public_file if rel in (media.thumb, media.public_file) else None
    return rel


@require_safe
def media_file(request: HttpRequest, name: str) -> FileResponse:
    """One stored file, to whoever may see it, with headers that keep it inert."""
    if not NAME_RE.fullmatch(name):
        raise _not_found()
    rel = f"feedback/{name}"
    media = (
        ReportMedia.objects.select_related("report")
        .filter(Q(file=rel) | Q(thumb=rel) | Q(public_file=rel))
        .first()
    )
    if media is None:
        raise _not_found()
    staff = media_staff(request.user)
    served = media_served(media, rel, staff=staff)
    if served is None:
        raise _not_found()  # the same answer as an unknown name: nothing to learn
    try:
        handle = media_path(served).open("rb")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise _not_found() from exc
    video = media.kind == ReportMedia.Kind.VIDEO and served == media.file
    response = FileResponse(handle, content_type=media.content_type if video else "image/jpeg")
    if video:
        filename = f"{media.report.ticket}-{media.pk}.{EXTENSIONS.get(media.content_type, 'bin')}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = (
        "private, no-cache" if staff else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    response["Vary"] = "Cookie"
    # JPEG and video are compressed already: GZipMiddleware (which reads this after the view)
    # would spend CPU for nothing and drop Content-Length.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return response


urlpatterns = [path("media/<str:name>", media_file, name="feedback-media")]
