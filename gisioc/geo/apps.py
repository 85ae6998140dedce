"""App config for the geography core."""

from django.apps import AppConfig


class GeoConfig(AppConfig):
    """Boundary versions, admin units, crosswalks, facilities, geocoding and access scopes."""

    name = "gisioc.geo"
    label = "geo"
    verbose_name = "Địa giới & cơ sở (Geography)"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from gisioc.sqlviews import views_install_and_check

        # Every app's sql/ views, geo's first: sent once per migrate, with geo as sender.
        post_migrate.connect(views_install_and_check, sender=self)
