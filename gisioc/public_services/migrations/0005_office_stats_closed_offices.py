"""A one-stop office that closed (the district's, dissolved by the reform) shows on the map of
a period only while it was open in that period: its records of 2025-H1 stay on that map."""

from importlib import import_module

from django.db import migrations

BEFORE = import_module("gisioc.public_services.migrations.0003_period_views").OFFICE_STATS.replace(
    "CREATE VIEW", "CREATE OR REPLACE VIEW"
)
VIEW = BEFORE.replace(
    "WHERE f.kind = 'one_stop' AND f.active AND f.geom IS NOT NULL;",
    "WHERE f.kind = 'one_stop' AND f.active AND f.geom IS NOT NULL\n"
    "  AND (f.closed_on IS NULL\n"
    "       OR f.closed_on > (p.start_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);",
)
assert VIEW != BEFORE


class Migration(migrations.Migration):
    dependencies = [
        ("public_services", "0004_dossier_kpi_indexes"),
        ("geo", "0008_facility_closed_on"),
    ]
    operations = [migrations.RunSQL(VIEW, BEFORE)]
