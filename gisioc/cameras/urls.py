"""The cameras API under /api/cameras/ (the kit adds the events' record API and KPIs):
cameras, outages, uptime, actions on an event, snapshots."""

from django.urls import include, path

from gisioc.cameras import api

cameras = api.CameraViewSet.as_view({"get": "list"})
camera = api.CameraViewSet.as_view({"get": "retrieve"})
outages = api.OutageList.as_view()
act = api.EventActionView.as_view()

urlpatterns = [
    path("", cameras, name="cameras-list"),
    path("<int:pk>/", camera, name="cameras-detail"),
    path("outages/", outages, name="cameras-outages"),
    path("uptime/", api.uptime_view, name="cameras-uptime"),
    path("events/<int:pk>/<str:action>/", act, name="cameras-event-action"),
    path("", include("gisioc.cameras.api_media")),
]
