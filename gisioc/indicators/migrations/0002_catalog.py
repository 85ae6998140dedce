"""The catalogue gisioc ships, written once; administrators edit it afterwards."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from gisioc.indicators.catalog import catalog_sync

    catalog_sync(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
