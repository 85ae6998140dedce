"""App config for the geography core."""

from django.apps import AppConfig


class GeoConfig(AppConfig):
    """Boundary versions, admin units, crosswalks, facilities, geocoding and access scopes."""

    name = "gisioc.geo"
    label = "geo"
    verbose_name = "Địa giới & cơ sở (Geography)"
