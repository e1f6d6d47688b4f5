"""The five-rung citizen ladder becomes the brochure's four participation steps: the migrations
move every stored value by the documented mapping (docs/participation-steps.md) and rewrite
the history rows that recorded a change of the old field."""

import importlib
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from participation import history as event_history
from participation.models import Event, EventChange
from projects import history
from projects.models import Project, ProjectChange

pytestmark = pytest.mark.django_db

PROJECTS_BEFORE = ("projects", "0005_remove_projectchange_summary")
EVENTS_BEFORE = ("participation", "0006_drop_old_history_fields")

projects_step = importlib.import_module("projects.migrations.0006_participation_step")
events_step = importlib.import_module("participation.migrations.0007_participation_step")

# Old rung → new step, as the documentation states it; the test does not read the migration's
# own table for the expectation.
DOCUMENTED = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}


@pytest.mark.parametrize("module", [projects_step, events_step])
def test_both_migrations_map_the_rungs_as_documented(module):
    assert {rung: module._step(rung) for rung in DOCUMENTED} == DOCUMENTED
    assert module._step("4") == 3  # history rows may hold the code as text
    assert module._step(None) is None  # an empty old value stays empty
    assert module._step(9) == 1


def test_migrating_moves_every_rung_to_its_step_and_rewrites_history(transactional_db, users):
    executor = MigrationExecutor(connection)
    executor.migrate([PROJECTS_BEFORE, EVENTS_BEFORE])
    old = executor.loader.project_state([PROJECTS_BEFORE, EVENTS_BEFORE]).apps
    OldProject = old.get_model("projects", "Project")
    OldProjectChange = old.get_model("projects", "ProjectChange")
    OldEvent = old.get_model("participation", "Event")
    OldEventChange = old.get_model("participation", "EventChange")
    area = old.get_model("areas", "Area").objects.get(slug="veitvet-og-slettelokka")
    actor_id = users["project_leader"].pk

    projects = {
        rung: OldProject.objects.create(
            area=area, title=f"Trinn {rung}", slug=f"trinn-{rung}", summary=".", ladder_rung=rung
        )
        for rung in DOCUMENTED
    }
    OldProjectChange.objects.create(
        project=projects[4],
        actor_id=actor_id,
        action="updated",
        changes={"ladder_rung": [2, 4], "title": ["Før", "Trinn 4"]},
    )
    OldProjectChange.objects.create(
        project=projects[5], actor_id=actor_id, action="updated", changes={"title": ["A", "B"]}
    )
    start = datetime(2025, 5, 1, 16, tzinfo=UTC)
    events = {}
    for rung in DOCUMENTED:
        events[rung] = OldEvent.objects.create(
            title=f"Møte {rung}",
            slug=f"mote-{rung}",
            description=".",
            kind="folkemote",
            starts_at=start,
            ends_at=start,
            place="Veitvet senter",
            organiser="Bydel Bjerke",
            ladder_rung=rung,
        )
    OldEventChange.objects.create(
        event=events[5],
        actor_id=actor_id,
        action="updated",
        data={
            "changes": [
                {"field": "ladder_rung", "old": 3, "new": 5},
                {"field": "place", "old": "Skolen", "new": "Veitvet senter"},
            ]
        },
    )
    OldEventChange.objects.create(event=events[1], actor_id=actor_id, action="published", data={})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    for rung, project in projects.items():
        assert Project.objects.get(pk=project.pk).participation_step == DOCUMENTED[rung]
    for rung, event in events.items():
        assert Event.objects.get(pk=event.pk).participation_step == DOCUMENTED[rung]

    changed = ProjectChange.objects.get(project_id=projects[4].pk)
    assert changed.changes == {"participation_step": [1, 3], "title": ["Før", "Trinn 4"]}
    assert ProjectChange.objects.get(project_id=projects[5].pk).changes == {"title": ["A", "B"]}
    with translation.override("nb"):
        rows = {row.label: (row.old, row.new) for row in history.field_changes(changed)}
    assert rows["Trinn i deltakelsestrappa"] == ("Proaktiv rolle", "Koblerrolle")

    event_change = EventChange.objects.get(event_id=events[5].pk, action="updated")
    assert event_change.data["changes"] == [
        {"field": "participation_step", "old": 2, "new": 4},
        {"field": "place", "old": "Skolen", "new": "Veitvet senter"},
    ]
    assert EventChange.objects.get(event_id=events[1].pk).data == {}
    with translation.override("nb"):
        text = event_history._changes_text(event_change.data["changes"], {})
    assert "Trinn i deltakelsestrappa: Veiledende rolle → Reaktiv rolle / støtteapparat" in text
