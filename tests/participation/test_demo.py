"""The participation demo: events before and after the day, registrations with a waiting list,
and input in every follow-up status — made through the services, and idempotent."""

import pytest

from accounts import demo as accounts_demo
from omradelos.demo import SEEDERS, SeedReport
from participation import demo
from participation.models import Event, EventChange, Input, InputChange, Registration
from projects import demo as projects_demo
from tests.shared_rows import rows_for_the_module

pytestmark = pytest.mark.django_db

R = Registration.Status
F = Input.FollowUp
M = Input.Moderation


def seed(scale: int = 1) -> SeedReport:
    report = SeedReport()
    accounts_demo.seed(scale=scale, report=report)
    projects_demo.seed(scale=scale, report=report)
    demo.seed(scale=scale, report=report)
    return report


def snapshot() -> dict:
    return {
        "events": sorted(
            Event.objects.values_list("pk", "slug", "status", "starts_at", "attendance_total")
        ),
        "registrations": sorted(Registration.objects.values_list("pk", "event_id", "status")),
        "inputs": sorted(Input.objects.values_list("pk", "text", "moderation", "follow_up")),
        "input_changes": InputChange.objects.count(),
        "event_changes": EventChange.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with rows_for_the_module(django_db_blocker):
        report = seed()
        yield report, snapshot()


def test_participation_seeder_is_registered_after_the_apps_it_builds_on():
    index = SEEDERS.index("participation.demo.seed")
    assert index > SEEDERS.index("accounts.demo.seed")
    assert index > SEEDERS.index("projects.demo.seed")


def test_seeding_twice_changes_nothing(seeded):
    report, first = seeded

    demo.seed(scale=1, report=SeedReport())

    assert snapshot() == first
    assert any(line.startswith("Participation:") for line in report.lines)


def test_events_in_every_state_in_three_districts(seeded):
    assert set(Event.objects.values_list("status", flat=True)) == set(Event.Status.values)
    districts = set(Event.objects.values_list("areas__district__name", flat=True))
    assert {"Bjerke", "Grorud", "Stovner"} <= districts
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {Event.Kind.SAFETY_WALK, Event.Kind.PUBLIC_MEETING, Event.Kind.WORKSHOP} <= kinds
    assert Event.Kind.DUGNAD in kinds
    # Every event was made by its district's project leader, through the service.
    for event in Event.objects.all():
        assert event.changes.filter(action="created").exists(), event
        assert event.created_by.email.startswith("prosjektleder"), event


def test_past_events_have_attendance_by_target_group(seeded):
    past = [e for e in Event.objects.filter(status=Event.Status.PUBLISHED) if e.is_past]
    assert len(past) >= 3
    for event in past:
        assert event.attendance_total, event
        assert event.attendance_by_group, event
        # Groups overlap (a child may be new in the area), so each is at most the total.
        assert max(event.attendance_by_group.values()) <= event.attendance_total
        assert event.changes.filter(action="attendance").exists()


def test_one_upcoming_event_is_full_with_a_waiting_list(seeded):
    full = Event.objects.get(title="Verksted for ungdom: Hva skal skje på Linderud?")
    confirmed = full.registrations.filter(status=R.CONFIRMED)
    assert sum(r.people for r in confirmed) == full.capacity
    waiting = list(full.registrations.filter(status=R.WAITLISTED).order_by("queued_at", "pk"))
    assert len(waiting) >= 2
    assert "beboer@example.org" in [r.email for r in waiting]
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {R.CONFIRMED, R.WAITLISTED, R.PENDING} <= statuses
    cancelled = Event.objects.get(status=Event.Status.CANCELLED)
    assert cancelled.changes.get(action="cancelled").data["reason"]


def test_input_in_every_follow_up_status_each_step_through_the_service(seeded):
    assert Input.objects.count() == 20
    assert set(Input.objects.values_list("follow_up", flat=True)) == set(F.values)
    assert set(Input.objects.values_list("moderation", flat=True)) == set(M.values)
    assert len(set(Input.objects.values_list("topic", flat=True))) >= 6
    for item in Input.objects.exclude(follow_up=F.RECEIVED):
        steps = list(
            item.changes.exclude(action__in=["received", "shown", "hidden"])
            .order_by("pk")
            .values_list("data__new", flat=True)
        )
        assert steps and steps[-1] == item.follow_up, item
    hidden = Input.objects.get(moderation=M.HIDDEN)
    assert hidden.hidden_reason
    for item in Input.objects.filter(follow_up=F.NOT_TAKEN_UP):
        assert item.response, item


def test_some_input_is_taken_up_in_the_brochure_projects(seeded):
    taken = Input.objects.filter(follow_up__in=[F.TAKEN_UP, F.DONE])
    slugs = set(
        taken.exclude(taken_into_project=None).values_list("taken_into_project__slug", flat=True)
    )
    brochure = {spec["slug"] for spec in projects_demo.BROCHURE}
    assert len(slugs & brochure) >= 2
    assert not taken.filter(taken_into_project=None).exists()
    # Input registered at the events carries the event.
    assert Input.objects.filter(channel=Input.Channel.EVENT, event__isnull=False).count() >= 4


def test_scale_multiplies_the_input_and_the_events(seeded):
    at_one = Input.objects.count()
    events = Event.objects.count()

    demo.seed(scale=2, report=SeedReport())

    assert Input.objects.count() - at_one == len(demo.INPUTS)
    assert Event.objects.count() == 2 * events == 2 * len(demo.EVENTS)
