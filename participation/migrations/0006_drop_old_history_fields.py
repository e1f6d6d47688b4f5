"""The columns event and input history kept before it was stored as keys and codes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_history_as_keys"),
    ]

    operations = [
        migrations.RemoveField(model_name="inputchange", name="field"),
        migrations.RemoveField(model_name="inputchange", name="old"),
        migrations.RemoveField(model_name="inputchange", name="new"),
        migrations.RemoveField(model_name="eventchange", name="summary"),
    ]
