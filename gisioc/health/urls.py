"""The health system's own URLs, under /api/health/ (mounted by the system kit)."""

from django.urls import path

from gisioc.health import api

urlpatterns = [path("watch/", api.watch, name="health-watch")]
