"""Loads every system's layer declarations and the registry checks."""

from importlib import import_module

from django.apps import AppConfig

# One module per system; each only declares layers.
LAYER_MODULES = ("layers.geo", "layers.public_services", "layers.documents")


class LayersConfig(AppConfig):
    """The thematic layer registry."""

    name = "layers"

    def ready(self) -> None:
        import_module("layers.checks")
        for module in LAYER_MODULES:
            import_module(module)
