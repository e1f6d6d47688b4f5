from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_public_image_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectchange",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="particulars"),
        ),
        migrations.AlterField(
            model_name="projectchange",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Project created"),
                    ("updated", "Project details changed"),
                    ("milestone_added", "Milestone added"),
                    ("milestone_done", "Milestone done"),
                    ("budget", "Budget"),
                    ("indicator_added", "Indicator added"),
                    ("indicator_value", "Measured value"),
                    ("update_added", "Status update added"),
                    ("partner_added", "Partner added"),
                    ("image_added", "Image added"),
                ],
                max_length=40,
                verbose_name="action",
            ),
        ),
    ]
