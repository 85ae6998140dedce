"""The project's own app: it runs the system kit's discovery once every app is loaded."""

from django.apps import AppConfig


class GisiocConfig(AppConfig):
    """Discovers the installed systems and their modules (gisioc.systems)."""

    name = "gisioc"
    label = "gisioc"
    verbose_name = "gisioc"

    def ready(self) -> None:
        import gisioc.registries  # noqa: F401  (its check: no key registered twice)
        from gisioc.systems import system_modules_load

        system_modules_load()
