"""The copies ``seed_demo --scale N`` writes in bulk beyond scale 1 hold what the services would
have written: the same fields, related rows and history as a row made through the services,
found by search, listed and counted on the public pages, with no event overbooked."""

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import TestCase
from django.urls import reverse

from core import versions
from omradelos.demo import SeedReport, run_seeders
from participation.models import Event, EventChange, Input, Registration
from projects import demo as projects_demo
from projects.models import Project, ProjectChange
from projects.selectors import public_projects_for_area

pytestmark = pytest.mark.django_db

PROJECT_FIELDS = [
    "area_id",
    "title",
    "summary",
    "description",
    "status",
    "start_date",
    "end_date",
    "participation_step",
    "owner",
    "manager",
    "steering_group",
    "benefit_owner",
    "is_public",
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        # The versions are raised on commit: run those callbacks as a commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            run_seeders(scale=1, report=SeedReport())
        before = versions.current(*versions.TOPICS)
        with TestCase.captureOnCommitCallbacks(execute=True):
            run_seeders(scale=2, report=SeedReport())
        yield before
        transaction.set_rollback(True)


def _project_rows(project: Project) -> dict:
    """What a project holds, without its keys, slug and times."""
    milestones = {m.pk: m.title for m in project.milestones.all()}
    history = []
    for change in ProjectChange.objects.filter(project=project).order_by("pk"):
        data = dict(change.data)
        if "milestone" in data:
            data["milestone"] = milestones[data["milestone"]]
        history.append((change.action, change.actor_id, data, change.changes))
    return {
        "fields": {name: getattr(project, name) for name in PROJECT_FIELDS},
        "goals": sorted(project.sub_goals.values_list("number", flat=True)),
        "milestones": sorted(project.milestones.values_list("title", "due_date", "done_date")),
        "budget": sorted(project.budget_lines.values_list("year", "source", "planned", "spent")),
        "history": sorted(history, key=repr),
    }


def test_a_bulk_project_holds_what_the_services_write(seeded):
    area = Project.objects.get(slug="grorud-tiltak-001").area
    actor = projects_demo._actor()
    # The same project, once through the services and once in bulk.
    spec = projects_demo._generated(area, 40)
    projects_demo._create({**spec, "slug": "via-tjenestene"}, actor)
    projects_demo._bulk_create([{**spec, "slug": "i-bulk"}], actor)
    by_services = _project_rows(Project.objects.get(slug="via-tjenestene"))
    in_bulk = _project_rows(Project.objects.get(slug="i-bulk"))
    assert by_services["history"], "the services write history"
    assert in_bulk == by_services


def test_the_copies_are_counted_searchable_and_shown(seeded, client):
    assert Project.objects.count() == 5 + 12 * 20
    copy = Project.objects.get(slug="grorud-tiltak-015")
    assert copy.changes.filter(action=ProjectChange.Action.CREATED).exists()
    assert copy in public_projects_for_area(copy.area)
    assert client.get(reverse("projects:detail", args=[copy.slug])).status_code == 200
    area_page = client.get(reverse("area_detail", args=[copy.area.slug]))
    assert area_page.status_code == 200
    assert area_page.context["page"].paginator.count == public_projects_for_area(copy.area).count()
    found = client.get(reverse("search:search"), {"q": copy.title})
    titles = [hit.title for group in found.context["groups"] for hit in group["hits"]]
    assert copy.title in titles


def test_the_event_copies_hold_their_registrations_and_history(seeded, client):
    for copy in Event.objects.filter(title__endswith=" (2)"):
        template = Event.objects.get(title=copy.title.removesuffix(" (2)"))
        assert copy.slug != template.slug
        assert copy.status == template.status
        assert copy.attendance_total == template.attendance_total
        assert set(copy.areas.all()) == set(template.areas.all())
        assert sorted(copy.registrations.values_list("status", "people", "user_id")) == sorted(
            template.registrations.values_list("status", "people", "user_id")
        )
        assert list(copy.changes.order_by("pk").values_list("action", flat=True)) == list(
            template.changes.order_by("pk").values_list("action", flat=True)
        )
        # Each history row about a registration names one of the copy's own.
        own = set(copy.registrations.values_list("pk", flat=True))
        for change in EventChange.objects.filter(event=copy, data__has_key="pk"):
            assert change.data["pk"] in own
        if copy.status == Event.Status.PUBLISHED:
            url = reverse("participation:event_detail", args=[copy.slug])
            assert client.get(url).status_code == 200
    assert Registration.objects.values("token").distinct().count() == Registration.objects.count()
    for event in Event.objects.exclude(capacity=None):
        taken = event.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
            n=Sum("people")
        )["n"]
        assert (taken or 0) <= event.capacity, event


def test_the_input_copies_follow_the_same_path_by_other_residents(seeded):
    copies = Input.objects.filter(text__endswith=" (2)")
    assert copies.count() == 20
    authors = set()
    for copy in copies:
        template = Input.objects.get(area=copy.area, text=copy.text.removesuffix(" (2)"))
        assert (copy.follow_up, copy.moderation, copy.taken_into_project_id) == (
            template.follow_up,
            template.moderation,
            template.taken_into_project_id,
        )
        assert list(copy.changes.order_by("pk").values_list("action", flat=True)) == list(
            template.changes.order_by("pk").values_list("action", flat=True)
        )
        if copy.author_id:
            assert copy.changes.get(action="received").actor_id == copy.author_id
            authors.add((copy.author_id, template.author_id))
    assert any(new != old for new, old in authors)


def test_the_data_versions_are_raised_once_the_copies_are_written(seeded):
    before = seeded
    after = versions.current(*versions.TOPICS)
    for topic, old, new in zip(versions.TOPICS, before, after, strict=True):
        if topic in (versions.PROJECTS, versions.PARTICIPATION):
            assert new > old, topic
