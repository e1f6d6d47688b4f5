from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_history_as_codes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="projectchange",
            name="summary",
        ),
    ]
