"""SQL views that thematic layers read (see AdminUnitView and UnitFacilityCount)."""

from django.db import migrations

VIEWS = """
CREATE VIEW gisioc_units AS
SELECT u.id, u.code, u.name, u.short_name, u.unit_type, u.level, u.area_km2, u.geom,
       u.id AS unit_id, v.slug AS version, v.status, v.approximate,
       (v.status = 'published' AND v.valid_from <= gisioc_today()
        AND (v.valid_to IS NULL OR v.valid_to >= gisioc_today())) AS in_force
FROM geo_adminunit u JOIN geo_boundaryversion v ON v.id = u.version_id;

CREATE VIEW gisioc_unit_facility_counts AS
SELECT u.id, u.code, u.name, u.geom, u.id AS unit_id, u.version, u.approximate,
       count(f.id)::int AS facilities,
       count(f.id) FILTER (WHERE f.kind = 'school')::int AS schools,
       count(f.id) FILTER (WHERE f.kind = 'health')::int AS health,
       count(f.id) FILTER (WHERE f.kind = 'agency')::int AS agencies
FROM gisioc_units u LEFT JOIN geo_facility f ON f.unit_id = u.id AND f.active
WHERE u.in_force AND u.level = 'commune'
GROUP BY u.id, u.code, u.name, u.geom, u.version, u.approximate;
"""

DROP = "DROP VIEW IF EXISTS gisioc_unit_facility_counts; DROP VIEW IF EXISTS gisioc_units;"


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_locate_functions")]
    operations = [migrations.RunSQL(VIEWS, DROP)]
