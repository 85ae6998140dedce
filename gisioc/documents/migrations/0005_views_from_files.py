"""The agencies view lives in gisioc/documents/sql/ and is installed after every migrate
(gisioc.sqlviews); the one the earlier migrations made is dropped here. Going back needs
nothing: the installer has made it, and the earlier reversals start from there."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_agency_stats_closed_agencies"),
        ("geo", "0009_views_from_files"),
    ]
    operations = [
        migrations.RunSQL(
            "DROP VIEW IF EXISTS gisioc_document_agency_stats;", migrations.RunSQL.noop
        )
    ]
