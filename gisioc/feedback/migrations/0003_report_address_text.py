from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_views_and_restrict")]

    operations = [
        # "address" is a facility's public field elsewhere; a report's is the reporter's text.
        migrations.RenameField(model_name="report", old_name="address", new_name="address_text"),
        migrations.AlterField(
            model_name="report",
            name="address_text",
            field=models.CharField(blank=True, help_text="As given; staff only.", max_length=300),
        ),
    ]
