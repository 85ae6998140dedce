"""Agencies closed by today (dissolved by the reform) leave the agencies layer, unless they
still hold open documents: those must be seen, not hidden with their agency."""

from importlib import import_module

from django.db import migrations

BEFORE = import_module("gisioc.documents.migrations.0002_document_agency_stats_view").VIEW
VIEW = BEFORE.replace("CREATE VIEW", "CREATE OR REPLACE VIEW").replace(
    "WHERE f.kind = 'agency' AND f.active AND f.geom IS NOT NULL;",
    "WHERE f.kind = 'agency' AND f.active AND f.geom IS NOT NULL\n"
    "  AND (f.closed_on IS NULL OR f.closed_on > gisioc_today() OR s.open > 0);",
)
assert VIEW != BEFORE.replace("CREATE VIEW", "CREATE OR REPLACE VIEW")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_agency_stats_view"),
        ("geo", "0008_facility_closed_on"),
    ]
    operations = [migrations.RunSQL(VIEW, BEFORE.replace("CREATE VIEW", "CREATE OR REPLACE VIEW"))]
