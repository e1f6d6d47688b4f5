"""A project's history speaks the reader's language: stored as keys and codes, worded when shown.

Rows written before the history was kept as codes are read back into codes by a migration.
"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from areas.models import Area, ParticipationStep
from projects import history, services
from projects.models import BudgetLine, Project, ProjectChange
from tests.projects.factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

convert = importlib.import_module("projects.migrations.0004_history_as_codes").convert


def _text(response) -> str:
    return response.content.decode()


def _edit_data(project: Project, **overrides) -> dict:
    data = {
        "area": project.area_id,
        "title": project.title,
        "summary": project.summary,
        "sub_goals": [str(g.number) for g in project.sub_goals.all()],
        "status": project.status,
        "participation_step": project.participation_step,
        "start_date": project.start_date.isoformat() if project.start_date else "",
        "end_date": project.end_date.isoformat() if project.end_date else "",
        "is_public": "on",
    }
    return data | overrides


def test_a_change_made_on_a_bokmal_page_reads_in_english_on_en(client, users):
    client.force_login(users["project_leader"])
    project = ProjectFactory(status=Project.Status.PLANNED, end_date=None)
    milestone = MilestoneFactory(project=project, title="Åpning av stien")

    edit = f"/intern/prosjekter/{project.slug}/endre/"
    assert (
        client.post(edit, _edit_data(project, status="pagar", end_date="2026-12-31")).status_code
        == 302
    )
    done = f"/intern/prosjekter/{project.slug}/milepeler/{milestone.pk}/ferdig/"
    assert client.post(done, {"done_date": "2019-09-01"}).status_code == 302

    norsk = _text(client.get(f"/intern/prosjekter/{project.slug}/historikk/"))
    assert "Prosjektopplysninger endret" in norsk
    assert "Status: Planlagt → Pågår" in norsk
    assert "Sluttdato: 31. desember 2026" in norsk
    assert "Milepæl fullført: Åpning av stien" in norsk
    assert "Fullført dato: 1. september 2019" in norsk

    english = _text(client.get(f"/en/intern/prosjekter/{project.slug}/historikk/"))
    assert "Project details changed" in english
    assert "Status: Planned → Ongoing" in english
    assert "End: Dec. 31, 2026" in english
    assert "Milestone done: Åpning av stien" in english
    assert "Done on: Sept. 1, 2019" in english
    for page in (norsk, english):
        assert "done_date" not in page and "end_date" not in page and "«" not in page
    assert "Pågår" not in english and "Prosjektopplysninger" not in english


def test_history_words_areas_amounts_flags_and_emptied_fields(users):
    leader = users["project_leader"]
    project = ProjectFactory(end_date=datetime.date(2025, 12, 31))
    services.project_update(
        project=project,
        actor=leader,
        area=Area.objects.get(slug="linderud"),
        end_date=None,
        is_public=False,
        participation_step=ParticipationStep.CONNECTOR,
    )
    services.budget_line_set(
        project=project,
        actor=leader,
        year=2026,
        source=BudgetLine.Source.AREA_FUNDS,
        planned=Decimal("250000"),
        spent=Decimal("0"),
    )

    with translation.override("nb"):
        budget, update = history.describe(project.changes.all())
        rows = {row.label: (row.old, row.new) for row in update.rows}
        assert rows["Område"] == ("Veitvet og Sletteløkka", "Linderud")
        assert rows["Sluttdato"] == ("31. desember 2025", None)
        assert rows["Publisert"] == ("Ja", "Nei")
        assert rows["Trinn i deltakelsestrappa"][1] == "Koblerrolle"
        assert budget.title == "Budsjett 2026, Områdeløftmidler fra Oslo kommune"
        amounts = {row.label: row.new for row in budget.rows}
        assert amounts == {"Planlagt": "250\xa0000\xa0kr", "Brukt": "0\xa0kr"}


def test_the_history_page_costs_the_same_queries_for_one_row_and_many(client, users):
    leader = users["project_leader"]
    client.force_login(leader)
    project = ProjectFactory()
    url = f"/intern/prosjekter/{project.slug}/historikk/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.project_update(project=project, actor=leader, area=Area.objects.get(slug="linderud"))
    one = queries()
    for slug in ["veitvet-og-slettelokka", "linderud", "veitvet-og-slettelokka"]:
        services.project_update(project=project, actor=leader, area=Area.objects.get(slug=slug))
    for n in range(5):
        services.partner_add(project=project, actor=leader, name=f"Lag {n}", kind="forening")
    assert queries() == one


# Rows written as sentences before ------------------------------------------------------------

AREAS = {"Veitvet og Sletteløkka": 7, "Linderud": 8}


@pytest.mark.parametrize(
    ("action", "summary", "changes", "data", "new_changes"),
    [
        ("created", "Prosjekt opprettet", {}, {}, {}),
        (
            "updated",
            "Prosjektopplysninger endret",
            {
                "area": ["Veitvet og Sletteløkka", "Linderud"],
                "status": ["planlagt", "pagar"],
                "end_date": ["", "2025-12-31"],
                # A row from before the participation steps: the old field, as 0004 found it.
                "ladder_rung": ["1", "3"],
                "is_public": ["True", "False"],
                "sub_goals": ["1", "1, 2"],
                "title": ["Lekeplass", "Ny lekeplass"],
            },
            {},
            {
                "area": [7, 8],
                "status": ["planlagt", "pagar"],
                "end_date": [None, "2025-12-31"],
                "ladder_rung": [1, 3],
                "is_public": [True, False],
                "sub_goals": [[1], [1, 2]],
                "title": ["Lekeplass", "Ny lekeplass"],
            },
        ),
        (
            "milestone_done",
            "Milepæl fullført: Åpning: del 1",
            {"done_date": ["", "2019-09-01"]},
            {"title": "Åpning: del 1"},
            {"done_date": [None, "2019-09-01"]},
        ),
        ("milestone_added", "Milestone added: Forprosjekt", {}, {"title": "Forprosjekt"}, {}),
        (
            "budget",
            "Budsjett 2026, Områdeløftmidler",
            {"planned_spent": ["", "250000 / 0"]},
            {"year": 2026, "source": "omradeloftmidler"},
            {"planned": [None, "250000"], "spent": [None, "0"]},
        ),
        (
            "budget",
            "Budsjett 2025, Bumiljøtilskot",
            {"planned_spent": ["100000 / 0", "120000 / 0"]},
            {"year": 2025, "source": "bomiljotilskudd"},
            {"planned": ["100000", "120000"]},
        ),
        ("indicator_added", "Indikator lagd til: Besøk", {}, {"name": "Besøk"}, {}),
        (
            "indicator_value",
            "Målt Dugnadstimer: 42.50 timer",
            {},
            {"name": "Dugnadstimer", "value": "42.50", "unit": "timer"},
            {},
        ),
        ("update_added", "Offentlig statusoppdatering lagt til", {}, {"public": True}, {}),
        ("update_added", "Internal status update added", {}, {"public": False}, {}),
        (
            "partner_added",
            "Samarbeidspartner lagt til: Veitvet skole",
            {},
            {"name": "Veitvet skole"},
            {},
        ),
        (
            "image_added",
            "Bilete lagt til: Stien om kvelden",
            {},
            {"alt_text": "Stien om kvelden"},
            {},
        ),
        ("image_added", "Noe helt annet", {}, {"text": "Noe helt annet"}, {}),
    ],
)
def test_the_migration_reads_old_sentence_rows_back_into_codes(
    action, summary, changes, data, new_changes
):
    assert convert(action, summary, changes, area_ids=AREAS) == (data, new_changes)


def test_old_rows_read_back_show_labels_and_dates_in_english():
    data, changes = convert(
        "milestone_done",
        "Milepæl fullført: Åpning",
        {"done_date": ["", "2019-09-01"]},
        area_ids=AREAS,
    )
    row = ProjectChange(action="milestone_done", data=data, changes=changes)
    with translation.override("en"):
        assert history.title(row) == "Milestone done: Åpning"
        [field] = history.field_changes(row)
        assert (field.label, field.old, field.new) == ("Done on", None, "Sept. 1, 2019")
    # A sentence that could not be read back is shown as it was written.
    kept = ProjectChange(action="image_added", data={"text": "Noe helt annet"})
    assert history.title(kept) == "Noe helt annet"


def test_existing_history_rows_are_migrated(transactional_db, users):
    executor = MigrationExecutor(connection)
    executor.migrate([("projects", "0003_projectchange_data")])
    old_apps = executor.loader.project_state([("projects", "0003_projectchange_data")]).apps
    OldProject = old_apps.get_model("projects", "Project")
    OldChange = old_apps.get_model("projects", "ProjectChange")
    OldArea = old_apps.get_model("areas", "Area")
    veitvet = OldArea.objects.get(slug="veitvet-og-slettelokka")
    linderud = OldArea.objects.get(slug="linderud")
    project = OldProject.objects.create(
        area=veitvet, title="Lys på stien", slug="lys-pa-stien", summary="Belysning."
    )
    actor_id = users["project_leader"].pk
    OldChange.objects.create(
        project=project,
        actor_id=actor_id,
        action="updated",
        summary="Prosjektopplysninger endret",
        changes={"area": ["Veitvet og Sletteløkka", "Linderud"], "end_date": ["", "2026-12-31"]},
    )
    OldChange.objects.create(
        project=project,
        actor_id=actor_id,
        action="milestone_done",
        summary="Milepæl fullført: Åpning",
        changes={"done_date": ["", "2019-09-01"]},
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = {c.action: c for c in ProjectChange.objects.filter(project_id=project.pk)}
    assert rows["updated"].changes == {
        "area": [veitvet.pk, linderud.pk],
        "end_date": [None, "2026-12-31"],
    }
    assert rows["milestone_done"].data == {"title": "Åpning"}
    with translation.override("en"):
        [entry] = history.describe([rows["milestone_done"]])
        assert entry.title == "Milestone done: Åpning"
        assert [(r.label, r.new) for r in entry.rows] == [("Done on", "Sept. 1, 2019")]
