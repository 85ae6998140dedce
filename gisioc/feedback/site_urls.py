"""Feedback at the site's root: the citizens' pages and Open311 GeoReport v2."""

from django.urls import include, path

urlpatterns = [
    path("open311/v2/", include("gisioc.feedback.open311.urls")),
    path("", include("gisioc.feedback.pages")),
]
