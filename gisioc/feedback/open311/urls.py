"""Open311 GeoReport v2 under /open311/v2/: each resource with `.json` or `.xml` (or neither:
JSON, or `?format=`)."""

from django.urls import re_path

from gisioc.feedback.open311 import views

FMT = r"(?:\.(?P<format>json|xml))?$"

urlpatterns = [
    re_path(rf"^discovery{FMT}", views.discovery, name="open311-discovery"),
    re_path(rf"^services{FMT}", views.services, name="open311-services"),
    re_path(
        rf"^services/(?P<service_code>[\w-]+){FMT}",
        views.service_definition,
        name="open311-service",
    ),
    re_path(rf"^requests{FMT}", views.requests, name="open311-requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[\w-]+){FMT}",
        views.request_one,
        name="open311-request",
    ),
    re_path(rf"^tokens/(?P<token>[\w-]+){FMT}", views.token, name="open311-token"),
]
