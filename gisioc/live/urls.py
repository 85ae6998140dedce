"""The live app's one route on the main server (the stream itself is `gisioc live serve`)."""

from django.urls import path

from gisioc.live.views import live_stream

urlpatterns = [path("api/live/", live_stream, name="live")]
