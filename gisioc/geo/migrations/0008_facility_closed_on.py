"""Facilities close (bodies dissolved by the 2025 reform): a closing day, and the views of
today skip what has closed by today."""

from importlib import import_module

import django.contrib.gis.db.models.fields
from django.db import migrations, models

# "In service on a day": Facility.objects.in_service says the same in Python.
IN_SERVICE = "f.active AND (f.closed_on IS NULL OR f.closed_on > gisioc_today())"

VIEWS = f"""
CREATE VIEW gisioc_facilities_in_service AS
SELECT f.id, f.code, f.name, f.kind, f.subtype, f.geom, f.unit_id
FROM geo_facility f WHERE {IN_SERVICE};

CREATE OR REPLACE VIEW gisioc_unit_facility_counts AS
SELECT u.id, u.code, u.name, u.geom, u.id AS unit_id, u.version, u.approximate,
       count(f.id)::int AS facilities,
       count(f.id) FILTER (WHERE f.kind = 'school')::int AS schools,
       count(f.id) FILTER (WHERE f.kind = 'health')::int AS health,
       count(f.id) FILTER (WHERE f.kind = 'agency')::int AS agencies
FROM gisioc_units u LEFT JOIN geo_facility f ON f.unit_id = u.id AND {IN_SERVICE}
WHERE u.in_force AND u.level = 'commune'
GROUP BY u.id, u.code, u.name, u.geom, u.version, u.approximate;
"""
COUNTS_BEFORE = import_module("gisioc.geo.migrations.0003_layer_views").VIEWS.split(
    "CREATE VIEW gisioc_unit_facility_counts"
)[1]
BACK = (
    "DROP VIEW gisioc_facilities_in_service;"
    f"CREATE OR REPLACE VIEW gisioc_unit_facility_counts{COUNTS_BEFORE}"
)


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0007_periods_view"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacilityInService",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40)),
                ("name", models.CharField(max_length=300)),
                ("kind", models.CharField(max_length=16)),
                ("subtype", models.CharField(max_length=40)),
                ("geom", django.contrib.gis.db.models.fields.PointField(null=True, srid=4326)),
            ],
            options={
                "db_table": "gisioc_facilities_in_service",
                "managed": False,
            },
        ),
        migrations.AddField(
            model_name="facility",
            name="closed_on",
            field=models.DateField(
                blank=True, help_text="First day out of service (ngày ngừng hoạt động).", null=True
            ),
        ),
        migrations.RunSQL(VIEWS, BACK),
    ]
