"""The wall's API, mounted at /api/wall/."""

from django.urls import path

from gisioc.wall import api

urlpatterns = [
    path("kiosk/", api.kiosk_view, name="wall-kiosk"),
    path("kpis/", api.kpis_view, name="wall-kpis"),
    path("screens/", api.screens_view, name="wall-screens"),
    path("screens/switch/", api.switch_view, name="wall-screens-switch"),
]
