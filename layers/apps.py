"""The thematic layer registry and its checks; layers themselves live with their systems
(`gisioc/<system>/layers.py`, imported by the system kit)."""

from django.apps import AppConfig


class LayersConfig(AppConfig):
    """The thematic layer registry."""

    name = "layers"

    def ready(self) -> None:
        import layers.checks  # noqa: F401  (registers the checks)
