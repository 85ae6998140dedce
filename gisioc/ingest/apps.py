"""App config for the connector framework."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Readers, ingest runs with their raw records, column-mapping profiles, system adapters."""

    name = "gisioc.ingest"
    label = "ingest"
    verbose_name = "Nhập dữ liệu (Ingest)"
