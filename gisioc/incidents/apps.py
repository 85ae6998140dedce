from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "gisioc.incidents"
    label = "incidents"
    verbose_name = "Sự việc đột xuất / Incidents"

    def ready(self) -> None:
        """Register the layer of open incidents (incidents are no system: the kit does not)."""
        from gisioc.incidents import layers  # noqa: F401
