"""The cameras API under /api/cameras/ (the kit adds the events' record API and KPIs)."""

from django.urls import include, path

urlpatterns = [
    path("", include("gisioc.cameras.api_media")),
]
