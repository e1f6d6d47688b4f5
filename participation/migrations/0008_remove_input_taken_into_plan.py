"""The action programme an input was taken into is a link to its measure, kept on the
programme's side (programmes 0003 moves the free text there first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0007_participation_step"),
    ]

    operations = [
        migrations.RemoveField(model_name="input", name="taken_into_plan"),
    ]
