"""The dossier KPIs' rollup (gisioc/public_services/rollup.py): its two tables, the statement
triggers keeping them, and a first build from the dossiers already there."""

from django.db import migrations

from gisioc import kpi_rollup_sql
from gisioc.public_services.rollup import ROLLUP


def _install() -> str:
    build = kpi_rollup_sql.rebuild_sql(ROLLUP).replace("'", "''")
    # Run only when there are dossiers: on a fresh database the rules' SQL functions are
    # installed after migrate (gisioc.sqlviews), and an empty table needs no build.
    return (
        f"{kpi_rollup_sql.tables_sql(ROLLUP)}\n{kpi_rollup_sql.triggers_sql(ROLLUP)}\n"
        f"DO $b$ BEGIN IF EXISTS (SELECT 1 FROM {ROLLUP.records}) THEN "
        f"EXECUTE '{build}'; END IF; END $b$;"
    )


class Migration(migrations.Migration):
    dependencies = [("public_services", "0008_dossier_code_prefix")]
    operations = [migrations.RunSQL(_install(), kpi_rollup_sql.drop_sql(ROLLUP))]
