"""The brochure's deltakelsestrappa replaces the five-rung citizen ladder on projects.

The old rungs measured residents' influence; the four steps say what role the municipality
plays. The mapping (also in docs/participation-steps.md):

    1 Informasjon      → 1 Proaktiv rolle (the municipality leads, concrete and close at hand)
    2 Konsultasjon     → 1 Proaktiv rolle (residents are asked; the municipality still leads)
    3 Medvirkning      → 2 Veiledende rolle (residents take part; the municipality guides)
    4 Samskaping       → 3 Koblerrolle (created together; the municipality connects the actors)
    5 Innbyggerdrevet  → 4 Reaktiv rolle / støtteapparat (residents run it; the municipality
                         supports)

History rows that recorded a change of the old field are rewritten to the new field and steps,
so the project's history reads in the terms the project now uses.
"""

from django.db import migrations, models

RUNG_TO_STEP = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}


def _step(value):
    try:
        return RUNG_TO_STEP.get(int(value), 1)
    except (TypeError, ValueError):
        return value


def rungs_to_steps(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for old, new in RUNG_TO_STEP.items():
        Project.objects.filter(participation_step=old).update(participation_step=new + 10)
    for new in set(RUNG_TO_STEP.values()):
        Project.objects.filter(participation_step=new + 10).update(participation_step=new)
    ProjectChange = apps.get_model("projects", "ProjectChange")
    for change in ProjectChange.objects.filter(changes__has_key="ladder_rung"):
        pair = change.changes.pop("ladder_rung")
        if isinstance(pair, list | tuple):
            pair = [_step(value) for value in pair]
        change.changes["participation_step"] = pair
        change.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_remove_projectchange_summary")]

    operations = [
        migrations.RenameField("project", "ladder_rung", "participation_step"),
        migrations.RunPython(rungs_to_steps, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="project",
            name="participation_step",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Proactive role"),
                    (2, "Guiding role"),
                    (3, "Connector role"),
                    (4, "Reactive role / support system"),
                ],
                default=1,
                help_text="The municipality's role in the project (deltakelsestrappa).",
                verbose_name="participation step",
            ),
        ),
    ]
