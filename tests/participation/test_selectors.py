"""The reads behind the participation pages: a fixed number of queries however many rows, the
right rows for the page and the user, places counted in people, and the public input page without
pending or hidden input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.permissions import role_assignments
from areas.models import SubGoal
from participation import selectors
from participation.models import Event, Input, InputChange, Registration, Topic
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

from .factories import (
    ALNA_AREA,
    BJERKE_OTHER_AREA,
    EventFactory,
    InputFactory,
    RegistrationFactory,
    area,
)

pytestmark = pytest.mark.django_db

R = Registration.Status
F = Input.FollowUp
M = Input.Moderation


def full_event(n: int, **kwargs) -> Event:
    """An event with a project, two areas and registrations of every status."""
    event = EventFactory(
        project=ProjectFactory(area=area()),
        areas=[area(), area(BJERKE_OTHER_AREA)],
        starts_at=timezone.now() + timedelta(days=1 + n),
        **kwargs,
    )
    for status in (R.CONFIRMED, R.WAITLISTED, R.PENDING, R.CANCELLED):
        RegistrationFactory(event=event, status=status, people=2)
    return event


def event_rows(events) -> list[tuple]:
    """What a list of events shows of each."""
    return [
        (
            e.title,
            e.slug,
            e.get_kind_display(),
            e.starts_at,
            e.place,
            e.project.title if e.project else "",
            [(a.name, a.district.name) for a in e.areas.all()],
            e.capacity,
            e.seats_taken,
            e.waitlist_count,
            e.get_status_display(),
        )
        for e in events
    ]


# with_seats ------------------------------------------------------------------------------------


def test_with_seats_counts_the_people_of_confirmed_registrations_only():
    event = EventFactory(capacity=10)
    RegistrationFactory(event=event, people=3)
    RegistrationFactory(event=event, people=2)
    RegistrationFactory(event=event, people=4, status=R.WAITLISTED)
    RegistrationFactory(event=event, people=1, status=R.WAITLISTED)
    RegistrationFactory(event=event, people=5, status=R.PENDING)
    RegistrationFactory(event=event, people=6, status=R.CANCELLED)

    annotated = selectors.with_seats(Event.objects.filter(pk=event.pk)).get()

    assert annotated.seats_taken == 5
    assert annotated.waitlist_count == 2


def test_with_seats_is_zero_without_registrations():
    event = EventFactory()

    annotated = selectors.with_seats(Event.objects.filter(pk=event.pk)).get()

    assert (annotated.seats_taken, annotated.waitlist_count) == (0, 0)


# events_upcoming -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_events_upcoming_costs_the_same_queries_however_many_events(
    django_assert_num_queries, count
):
    for n in range(count):
        full_event(n)

    # The events with their places, their areas, and the areas' districts.
    with django_assert_num_queries(3):
        rows = event_rows(selectors.events_upcoming())

    assert len(rows) == count
    assert {row[8:10] for row in rows} == {(2, 1)}


def test_events_upcoming_lists_published_events_not_yet_over_soonest_first():
    later = EventFactory(starts_at=timezone.now() + timedelta(days=9))
    sooner = EventFactory(starts_at=timezone.now() + timedelta(days=2))
    under_way = EventFactory(starts_at=timezone.now() - timedelta(hours=1))
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    EventFactory(status=Event.Status.DRAFT)
    over = timezone.now() - timedelta(days=2)
    EventFactory(starts_at=over, ends_at=over + timedelta(hours=2))

    assert list(selectors.events_upcoming()) == [under_way, sooner, cancelled, later]


def test_events_upcoming_filters_by_area_and_kind():
    here = EventFactory(areas=[area(), area(BJERKE_OTHER_AREA)])
    EventFactory(areas=[area(ALNA_AREA)])
    walk = EventFactory(kind=Event.Kind.SAFETY_WALK, areas=[area(BJERKE_OTHER_AREA)])

    assert list(selectors.events_upcoming(area=area())) == [here]
    assert list(selectors.events_upcoming(area=area(BJERKE_OTHER_AREA))) == [here, walk]
    assert list(selectors.events_upcoming(kind=Event.Kind.SAFETY_WALK)) == [walk]


def test_event_public_finds_published_events_only():
    event = full_event(0)
    draft = EventFactory(status=Event.Status.DRAFT)

    assert selectors.event_public(event.slug).seats_taken == 2
    with pytest.raises(Event.DoesNotExist):
        selectors.event_public(draft.slug)


# staff_events / staff_event --------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_staff_events_costs_the_same_queries_however_many_events(
    users, django_assert_num_queries, count
):
    for n in range(count):
        full_event(n, status=Event.Status.DRAFT if n % 2 else Event.Status.PUBLISHED)
    leader = users["project_leader"]
    role_assignments(leader)  # read once per request, before the page

    with django_assert_num_queries(3):
        rows = event_rows(selectors.staff_events(leader))

    assert len(rows) == count


def test_staff_events_newest_first_and_only_the_users_district(users):
    first = full_event(1)
    second = full_event(2)
    EventFactory(areas=[area(ALNA_AREA)])

    assert list(selectors.staff_events(users["project_leader"])) == [second, first]
    assert len(selectors.staff_events(users["board"])) == 3
    assert not selectors.staff_events(users["case_handler"]).exists()


@pytest.mark.parametrize("count", [1, 20])
def test_staff_event_costs_the_same_queries_however_many_registrations(
    users, django_assert_num_queries, count
):
    event = EventFactory(capacity=None)
    for n in range(count):
        RegistrationFactory(event=event, user=UserFactory() if n % 2 else None)
        InputFactory(event=event, sub_goal=SubGoal.objects.get(number=1))
    leader = users["secretariat"]
    role_assignments(leader)

    # The event, its areas and districts, registrations, inputs, changes.
    with django_assert_num_queries(6):
        loaded = selectors.staff_event(leader, event.slug)
        rows = [(r.name, r.email, r.user and r.user.email) for r in loaded.registrations.all()]
        inputs = [(i.text, i.sub_goal and i.sub_goal.title) for i in loaded.inputs.all()]
        history = [(c.action, c.actor) for c in loaded.changes.all()]
        places = (loaded.seats_taken, loaded.waitlist_count)

    assert len(rows) == len(inputs) == count
    assert history == []
    assert places == (count, 0)


def test_staff_event_out_of_scope_is_not_found(users):
    event = EventFactory()

    with pytest.raises(Event.DoesNotExist):
        selectors.staff_event(users["other_district_leader"], event.slug)


# staff_inputs ----------------------------------------------------------------------------------


def input_rows(items) -> list[tuple]:
    return [
        (
            i.text,
            i.get_topic_display(),
            i.area.name,
            i.area.district.name,
            i.project.title if i.project else "",
            i.event.title if i.event else "",
            i.sub_goal.title if i.sub_goal else "",
            i.taken_into_project.title if i.taken_into_project else "",
            i.author.full_name if i.author else i.author_name,
            i.get_moderation_display(),
            i.get_follow_up_display(),
        )
        for i in items
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_staff_inputs_costs_one_query_however_many_inputs(users, django_assert_num_queries, count):
    project = ProjectFactory(area=area())
    event = EventFactory()
    for n in range(count):
        InputFactory(
            author=UserFactory() if n % 2 else None,
            project=project,
            event=event,
            sub_goal=SubGoal.objects.get(number=1 + n % 6),
            taken_into_project=project if n % 3 else None,
        )
    leader = users["programme_leader"]
    role_assignments(leader)

    with django_assert_num_queries(1):
        rows = input_rows(selectors.staff_inputs(leader))

    assert len(rows) == count


def test_staff_inputs_of_the_users_district_in_every_state(users):
    mine = [InputFactory(moderation=m) for m in M.values]
    InputFactory(area=area(ALNA_AREA))

    assert set(selectors.staff_inputs(users["project_leader"])) == set(mine)
    assert selectors.staff_inputs(users["board"]).count() == 4


@pytest.mark.parametrize("count", [1, 8])
def test_staff_input_comes_with_its_history(users, django_assert_num_queries, count):
    item = InputFactory()
    leader = users["project_leader"]
    for _ in range(count):
        InputChange.objects.create(
            input=item,
            actor=leader,
            action="consider",
            data={"old": F.RECEIVED, "new": F.CONSIDERING},
        )
    role_assignments(leader)

    with django_assert_num_queries(2):
        loaded = selectors.staff_input(leader, item.pk)
        history = [(c.data["new"], c.actor.full_name) for c in loaded.changes.all()]

    assert history == [(F.CONSIDERING, leader.full_name)] * count


# area_inputs_public ----------------------------------------------------------------------------


def public_rows(grouped) -> list[tuple]:
    """What the public page shows: topic, text, outcome and links — never a name."""
    return [
        (
            topic,
            Topic(topic).label,
            i.text,
            i.get_follow_up_display(),
            i.response,
            i.created_at,
            i.sub_goal.title if i.sub_goal else "",
            i.event.title if i.event else "",
            (i.project.title, i.project.is_public) if i.project else None,
            (i.taken_into_project.title, i.taken_into_project.slug)
            if i.taken_into_project
            else None,
        )
        for topic, items in grouped.items()
        for i in items
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_area_inputs_public_costs_one_query_however_many_inputs(django_assert_num_queries, count):
    project = ProjectFactory(area=area())
    event = EventFactory()
    topics = list(Topic.values)
    for n in range(count):
        InputFactory(
            topic=topics[n % len(topics)],
            project=project if n % 2 else None,
            event=event if n % 3 else None,
            sub_goal=SubGoal.objects.get(number=1 + n % 6),
            taken_into_project=project if n % 4 == 0 else None,
            follow_up=F.TAKEN_UP if n % 4 == 0 else F.RECEIVED,
        )
    place = area()

    with django_assert_num_queries(1):
        rows = public_rows(selectors.area_inputs_public(place))

    assert len(rows) == count


def test_area_inputs_public_hides_pending_and_hidden_input_and_other_areas():
    shown = InputFactory(moderation=M.APPROVED)
    InputFactory(moderation=M.PENDING)
    InputFactory(moderation=M.HIDDEN, hidden_reason="Personangrep.")
    InputFactory(area=area(BJERKE_OTHER_AREA))

    grouped = selectors.area_inputs_public(area())

    assert [i for items in grouped.values() for i in items] == [shown]


def test_area_inputs_public_groups_by_topic_in_the_order_of_the_topics_newest_first():
    now = timezone.now()
    old_safety = InputFactory(topic=Topic.SAFETY, created_at=now - timedelta(days=3))
    new_safety = InputFactory(topic=Topic.SAFETY, created_at=now - timedelta(days=1))
    other = InputFactory(topic=Topic.OTHER, created_at=now)
    meeting = InputFactory(topic=Topic.MEETING_PLACES, created_at=now - timedelta(days=5))

    grouped = selectors.area_inputs_public(area())

    assert list(grouped.items()) == [
        (Topic.MEETING_PLACES, [meeting]),
        (Topic.SAFETY, [new_safety, old_safety]),
        (Topic.OTHER, [other]),
    ]


def test_area_inputs_public_is_empty_without_shown_input():
    InputFactory(moderation=M.PENDING)

    assert selectors.area_inputs_public(area()) == {}


def test_follow_up_counts_count_shown_input_of_the_area():
    InputFactory(follow_up=F.TAKEN_UP)
    InputFactory(follow_up=F.TAKEN_UP)
    InputFactory(follow_up=F.DONE)
    InputFactory(follow_up=F.DONE, moderation=M.HIDDEN)
    InputFactory(follow_up=F.RECEIVED, area=area(ALNA_AREA))

    assert selectors.follow_up_counts(area()) == {F.TAKEN_UP: 2, F.DONE: 1}


# my_registrations ------------------------------------------------------------------------------


def test_my_registrations_lists_the_users_active_registrations_by_date():
    user = UserFactory()
    later = RegistrationFactory(
        user=user, event=EventFactory(starts_at=timezone.now() + timedelta(days=9))
    )
    sooner = RegistrationFactory(
        user=user,
        status=R.WAITLISTED,
        event=EventFactory(starts_at=timezone.now() + timedelta(days=2)),
    )
    RegistrationFactory(user=user, status=R.CANCELLED)
    RegistrationFactory()

    assert list(selectors.my_registrations(user)) == [sooner, later]
