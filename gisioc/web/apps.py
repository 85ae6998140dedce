"""App config for the pages that host the map application."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Serves the built map application."""

    name = "gisioc.web"
    label = "web"
