"""App config for public services (dịch vụ công, one-stop-shop dossiers)."""

from django.apps import AppConfig


class PublicServicesConfig(AppConfig):
    """Dossiers of administrative procedures: ingest adapter, KPIs, layers and profile section."""

    name = "gisioc.public_services"
    label = "public_services"
    verbose_name = "Dịch vụ công (Public services)"

    def ready(self) -> None:
        from gisioc.public_services import ingest, profile  # noqa: F401  (register system, section)
