"""The units view also carries each unit's change flag (for the draft boundary layer)."""

from importlib import import_module

from django.db import migrations

VIEW = """
CREATE OR REPLACE VIEW gisioc_units AS
SELECT u.id, u.code, u.name, u.short_name, u.unit_type, u.level, u.area_km2, u.geom,
       u.id AS unit_id, v.slug AS version, v.status, v.approximate,
       (v.status = 'published' AND v.valid_from <= gisioc_today()
        AND (v.valid_to IS NULL OR v.valid_to >= gisioc_today())) AS in_force,
       u.change
FROM geo_adminunit u JOIN geo_boundaryversion v ON v.id = u.version_id;
"""

PREVIOUS = (
    """
DROP VIEW gisioc_unit_facility_counts; DROP VIEW gisioc_units;
"""
    + __import__("gisioc.geo.migrations.0003_layer_views", fromlist=["VIEWS"]).VIEWS
)


class Migration(migrations.Migration):
    dependencies = [("geo", "0005_unit_change")]
    operations = [migrations.RunSQL(VIEW, PREVIOUS)]
