"""App config of the indicators system: the shipped catalogue is written after every migrate."""

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """Socio-economic indicators (found by the system kit as the folder it is)."""

    name = "gisioc.indicators"
    label = "indicators"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # After a migrate and after a flush (tests that truncate every table): the catalogue
        # is configuration every import needs, as content types are.
        post_migrate.connect(_catalog_sync, sender=self)


def _catalog_sync(**kwargs: object) -> None:
    from gisioc.indicators.catalog import catalog_sync

    catalog_sync()
