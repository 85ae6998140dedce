"""The feedback API under /api/feedback/: the public's, the staff's and media files."""

from django.urls import include, path

from gisioc.feedback import converters  # noqa: F401  (registers <ticket:…>)

urlpatterns = [
    path("", include("gisioc.feedback.public_api")),
    path("", include("gisioc.feedback.staff_api")),
    path("", include("gisioc.feedback.media_views")),
]
