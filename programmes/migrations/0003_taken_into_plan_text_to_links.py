"""An input's free text naming the action programme that took it ("Handlingsprogram 2027,
tiltak 4") becomes a link to that programme's measure, where the text matches
(``programmes.plan_text``). Runs before participation drops the text; the text itself stays in
the input's history (its "taken up" step kept it)."""

from django.db import migrations

from programmes.plan_text import Candidate, match_plan_text


def text_to_links(apps, schema_editor):
    Input = apps.get_model("participation", "Input")
    Programme = apps.get_model("programmes", "ActionProgramme")
    Measure = apps.get_model("programmes", "Measure")
    PlanLink = apps.get_model("programmes", "PlanLink")
    given = Input.objects.exclude(taken_into_plan="").values_list("pk", "area_id", "taken_into_plan")
    candidates: dict[int, list[Candidate]] = {}
    for pk, area_id, text in given.iterator():
        if area_id not in candidates:
            candidates[area_id] = [
                Candidate(
                    programme_id=programme.pk,
                    year=programme.year,
                    measures=tuple(
                        Measure.objects.filter(programme=programme)
                        .order_by("position", "pk")
                        .values_list("pk", "project__title")
                    ),
                )
                for programme in Programme.objects.filter(area_id=area_id)
            ]
        found = match_plan_text(text, candidates[area_id])
        if found is None:
            continue
        programme_id, measure_id = found
        PlanLink.objects.update_or_create(
            input_id=pk, defaults={"programme_id": programme_id, "measure_id": measure_id}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_plan_links_and_comments"),
        ("participation", "0007_participation_step"),
    ]
    run_before = [("participation", "0008_remove_input_taken_into_plan")]

    operations = [migrations.RunPython(text_to_links, migrations.RunPython.noop)]
