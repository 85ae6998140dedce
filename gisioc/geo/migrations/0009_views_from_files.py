"""Views and SQL functions now live in gisioc/geo/sql/ and are installed after every migrate
(gisioc.sqlviews), which drops each view by name before making it again. The views only geo's
earlier migrations read are dropped here; gisioc_units and gisioc_periods stay until that
first install, because the systems' own earlier migrations still read them on a new database.

Going back needs nothing: after any migrate the installer has made every view, and the earlier
migrations' own reversals drop or replace them from there."""

from django.db import migrations

DROP = """
DROP VIEW IF EXISTS gisioc_unit_facility_counts;
DROP VIEW IF EXISTS gisioc_facilities_in_service;
"""


class Migration(migrations.Migration):
    dependencies = [("geo", "0008_facility_closed_on")]
    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
