from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_history_as_codes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="projectchange",
            name="summary",
        ),
    ]
