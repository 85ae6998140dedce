"""Cluster cells at several base zooms; existing cells are a cache and are simply rebuilt."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tiles", "0003_cluster_cells")]

    operations = [
        migrations.RunSQL(
            "DELETE FROM tiles_clustercell; DELETE FROM tiles_clusterbuild;", migrations.RunSQL.noop
        ),
        migrations.RemoveIndex(model_name="clustercell", name="tiles_clust_layer_i_636c90_idx"),
        migrations.AddField(
            model_name="clustercell",
            name="zoom",
            field=models.SmallIntegerField(default=7),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="clustercell",
            index=models.Index(
                fields=["layer_id", "zoom", "cx", "cy"], name="tiles_clust_layer_zoom_idx"
            ),
        ),
    ]
