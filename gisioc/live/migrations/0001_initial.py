import django.contrib.gis.db.models.fields
import django.contrib.postgres.fields
from django.db import migrations, models

NOTIFY = """
CREATE FUNCTION gisioc_live_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gisioc_live', NEW.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER live_event_notify AFTER INSERT ON live_liveevent
  FOR EACH ROW EXECUTE FUNCTION gisioc_live_notify();
"""
UNNOTIFY = """
DROP TRIGGER IF EXISTS live_event_notify ON live_liveevent;
DROP FUNCTION IF EXISTS gisioc_live_notify();
"""


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="LiveEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True)),
                (
                    "kind",
                    models.CharField(help_text="e.g. camera.event, feedback.report", max_length=40),
                ),
                (
                    "unit_id",
                    models.IntegerField(
                        blank=True, help_text="admin unit (any version)", null=True
                    ),
                ),
                (
                    "geom",
                    django.contrib.gis.db.models.fields.PointField(
                        blank=True, null=True, srid=4326
                    ),
                ),
                (
                    "roles",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=24), blank=True, null=True, size=None
                    ),
                ),
                (
                    "data",
                    models.JSONField(
                        default=dict, help_text="what the client shows; no personal data"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["kind", "at"], name="live_liveev_kind_6a1c2e_idx")]
            },
        ),
        migrations.RunSQL(NOTIFY, UNNOTIFY),
    ]
