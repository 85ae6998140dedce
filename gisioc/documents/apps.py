"""App config for documents (quản lý văn bản, incoming and outgoing administrative documents)."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Incoming and outgoing documents: ingest adapter, KPIs, layer, profile section, search."""

    name = "gisioc.documents"
    label = "documents"
    verbose_name = "Quản lý văn bản (Documents)"

    def ready(self) -> None:
        # Register the ingest system, the profile section and the search provider.
        from gisioc.documents import ingest, profile, search  # noqa: F401
