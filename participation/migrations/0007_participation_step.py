"""The brochure's deltakelsestrappa replaces the five-rung citizen ladder on events, with the
same mapping as the projects' (projects 0006, docs/participation-steps.md)."""

from django.db import migrations, models

RUNG_TO_STEP = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}


def _step(value):
    try:
        return RUNG_TO_STEP.get(int(value), 1)
    except (TypeError, ValueError):
        return value


def rungs_to_steps(apps, schema_editor):
    Event = apps.get_model("participation", "Event")
    for old, new in RUNG_TO_STEP.items():
        Event.objects.filter(participation_step=old).update(participation_step=new + 10)
    for new in set(RUNG_TO_STEP.values()):
        Event.objects.filter(participation_step=new + 10).update(participation_step=new)
    EventChange = apps.get_model("participation", "EventChange")
    # Append-only rows, rewritten once here so old history reads in the new terms.
    for change in EventChange.objects.filter(action="updated"):
        rows = change.data.get("changes") or []
        touched = False
        for row in rows:
            if isinstance(row, dict) and row.get("field") == "ladder_rung":
                row["field"] = "participation_step"
                row["old"], row["new"] = _step(row.get("old")), _step(row.get("new"))
                touched = True
        if touched:
            EventChange.objects.filter(pk=change.pk).update(data=change.data)


class Migration(migrations.Migration):
    dependencies = [("participation", "0006_drop_old_history_fields")]

    operations = [
        migrations.RenameField("event", "ladder_rung", "participation_step"),
        migrations.RunPython(rungs_to_steps, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="event",
            name="participation_step",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Proactive role"),
                    (2, "Guiding role"),
                    (3, "Connector role"),
                    (4, "Reactive role / support system"),
                ],
                default=1,
                verbose_name="participation step",
            ),
        ),
    ]
