"""The views live in gisioc/public_services/sql/ and are installed after every migrate
(gisioc.sqlviews); the ones the earlier migrations made are dropped here. Going back needs
nothing: the installer has made them, and the earlier reversals start from there."""

from django.db import migrations

DROP = """
DROP VIEW IF EXISTS gisioc_dossier_unit_stats;
DROP VIEW IF EXISTS gisioc_dossier_office_stats;
DROP VIEW IF EXISTS gisioc_dossier_overdue;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("public_services", "0005_office_stats_closed_offices"),
        ("geo", "0009_views_from_files"),
    ]
    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
