"""The incidents API, mounted at /api/incidents/ (gisioc/urls.py)."""

from django.urls import path

from gisioc.incidents import api

urlpatterns = [
    path("", api.IncidentListView.as_view(), name="incident-list"),
    path("<int:pk>/", api.IncidentDetailView.as_view(), name="incident-detail"),
    path("<int:pk>/near/", api.IncidentNearView.as_view(), name="incident-near"),
    path("<int:pk>/actions/", api.IncidentActionView.as_view(), name="incident-action"),
]
