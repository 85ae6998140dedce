"""The vector tile service."""

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register


class TilesConfig(AppConfig):
    """Tiles, TileJSON, style.json, legends; data versions per source table."""

    name = "tiles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_triggers, sender=self)
        register(_fonts_installed)


def _fonts_installed(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """The label fonts glyphs are rendered from are on this machine (fonts-noto-core)."""
    from tiles.glyphs import FONT_DIR, FONTS

    return [
        Error(
            f"Font {FONT_DIR / name} is missing; install Debian's fonts-noto-core", id="tiles.E001"
        )
        for name in FONTS.values()
        if not (FONT_DIR / name).exists()
    ]


def _install_triggers(**kwargs: object) -> None:
    """Version triggers on every source table that exists (`migrate <app> zero` drops some)."""
    from django.db import connection

    from tiles.versions import source_tables, triggers_install

    present = set(connection.introspection.table_names())
    triggers_install(tables=[t for t in source_tables() if t in present])
