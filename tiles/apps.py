"""The vector tile service."""

from django.apps import AppConfig


class TilesConfig(AppConfig):
    """Tiles, TileJSON, style.json, legends; data versions per source table."""

    name = "tiles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(**kwargs: object) -> None:
    from tiles.versions import triggers_install

    triggers_install()
