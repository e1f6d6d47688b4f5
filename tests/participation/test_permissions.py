"""Who may see and change participation: each scope and each check as a matrix over the roles of
the ``users`` fixture, events and input in Bjerke and in Alna, in every state. The board reads
everything but sees no personal data; another district sees none of Bjerke's."""

import pytest
from django.contrib.auth.models import AnonymousUser

from participation import permissions
from participation.models import Event, Input
from tests.matrix import ROLES

from .factories import ALNA_AREA, BJERKE_AREA, EventFactory, InputFactory, area

pytestmark = pytest.mark.django_db

STAFF = [role for role in ROLES if role != "anonymous"]
BJERKE_EDITORS = {"project_leader", "programme_leader"}
DISTRICTS = {"bjerke": BJERKE_AREA, "alna": ALNA_AREA}


def user_for(users, role):
    return AnonymousUser() if role == "anonymous" else users[role]


def assert_no_mismatches(mismatches: list[str]) -> None:
    assert not mismatches, "Permission mismatches:\n" + "\n".join(mismatches)


def may_edit(role: str, district: str) -> bool:
    """Who runs events and input in a district: its project and programme leaders, and the
    secretariat everywhere. Never the board, a case handler or a resident."""
    if role == "secretariat":
        return True
    if role in BJERKE_EDITORS:
        return district == "bjerke"
    if role == "other_district_leader":
        return district == "alna"
    return False


def may_read_staff_side(role: str, district: str) -> bool:
    return role == "board" or may_edit(role, district)


# events_visible_to / can_edit_event ------------------------------------------------------------


@pytest.fixture
def events() -> dict:
    return {
        (district, status): EventFactory(status=status, areas=[area(slug)])
        for district, slug in DISTRICTS.items()
        for status in Event.Status.values
    }


def test_events_visible_to_matrix(users, events):
    mismatches = []
    for role in ROLES:
        visible = set(
            permissions.events_visible_to(user_for(users, role)).values_list("pk", flat=True)
        )
        for (district, status), event in events.items():
            expected = may_read_staff_side(role, district)
            if (event.pk in visible) != expected:
                mismatches.append(f"{role} {district} {status}: expected {expected}")

    assert_no_mismatches(mismatches)


def test_events_visible_to_lists_an_event_in_several_areas_once(users):
    event = EventFactory(areas=[area(), area("linderud")])

    for role in ("project_leader", "board", "secretariat"):
        assert list(permissions.events_visible_to(users[role])) == [event]


def test_can_edit_event_matrix(users, events):
    mismatches = []
    for role in ROLES:
        for (district, status), event in events.items():
            expected = may_edit(role, district)
            if permissions.can_edit_event(user_for(users, role), event) != expected:
                mismatches.append(f"{role} {district} {status}: expected {expected}")

    assert_no_mismatches(mismatches)


def test_an_event_in_two_districts_is_edited_by_either_districts_leaders(users):
    event = EventFactory(areas=[area(BJERKE_AREA), area(ALNA_AREA)])

    editors = {role for role in STAFF if permissions.can_edit_event(users[role], event)}

    assert editors == BJERKE_EDITORS | {"other_district_leader", "secretariat"}


def test_an_unsaved_event_is_edited_by_the_secretariat_alone(users):
    editors = {role for role in STAFF if permissions.can_edit_event(users[role], Event())}

    assert editors == {"secretariat"}


def test_events_public_shows_published_and_cancelled_events_in_published_areas():
    published = EventFactory(status=Event.Status.PUBLISHED)
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    EventFactory(status=Event.Status.DRAFT)
    hidden_area = area(ALNA_AREA)
    hidden_area.is_published = False
    hidden_area.save(update_fields=["is_published"])
    EventFactory(status=Event.Status.PUBLISHED, areas=[hidden_area])
    both = EventFactory(areas=[area(), hidden_area])

    assert set(permissions.events_public()) == {published, cancelled, both}
    assert permissions.events_public().filter(pk=both.pk).count() == 1


# inputs_visible_to / can_edit_input ------------------------------------------------------------


@pytest.fixture
def inputs() -> dict:
    return {
        (district, moderation): InputFactory(area=area(slug), moderation=moderation)
        for district, slug in DISTRICTS.items()
        for moderation in Input.Moderation.values
    }


def test_inputs_visible_to_matrix(users, inputs):
    mismatches = []
    for role in ROLES:
        visible = set(
            permissions.inputs_visible_to(user_for(users, role)).values_list("pk", flat=True)
        )
        for (district, moderation), item in inputs.items():
            expected = may_read_staff_side(role, district)
            if (item.pk in visible) != expected:
                mismatches.append(f"{role} {district} {moderation}: expected {expected}")

    assert_no_mismatches(mismatches)


def test_can_edit_input_matrix(users, inputs):
    mismatches = []
    for role in ROLES:
        for (district, moderation), item in inputs.items():
            expected = may_edit(role, district)
            if permissions.can_edit_input(user_for(users, role), item) != expected:
                mismatches.append(f"{role} {district} {moderation}: expected {expected}")

    assert_no_mismatches(mismatches)


# role checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "allowed"),
    [
        (
            permissions.can_see_personal_data,
            {"project_leader", "programme_leader", "other_district_leader", "secretariat"},
        ),
        (
            permissions.can_view_staff_pages,
            {"project_leader", "programme_leader", "other_district_leader", "board", "secretariat"},
        ),
        (
            permissions.can_create,
            {"project_leader", "programme_leader", "other_district_leader", "secretariat"},
        ),
    ],
    ids=["can_see_personal_data", "can_view_staff_pages", "can_create"],
)
def test_role_checks_matrix(users, check, allowed):
    granted = {role for role in ROLES if check(user_for(users, role))}

    assert granted == allowed


def test_the_board_reads_everything_but_edits_nothing_and_sees_no_personal_data(users):
    board = users["board"]
    event = EventFactory(status=Event.Status.DRAFT)
    item = InputFactory(moderation=Input.Moderation.PENDING)

    assert permissions.can_view_staff_pages(board)
    assert event in permissions.events_visible_to(board)
    assert item in permissions.inputs_visible_to(board)
    assert not permissions.can_edit_event(board, event)
    assert not permissions.can_edit_input(board, item)
    assert not permissions.can_see_personal_data(board)
    assert not permissions.can_create(board)


def test_another_district_sees_none_of_bjerkes_participation(users):
    other = users["other_district_leader"]
    EventFactory(areas=[area(BJERKE_AREA)])
    InputFactory(area=area(BJERKE_AREA))

    assert not permissions.events_visible_to(other).exists()
    assert not permissions.inputs_visible_to(other).exists()
    assert not permissions.areas_for_editor(other).filter(district__number="09").exists()


def test_areas_for_editor(users):
    def slugs(role):
        return set(permissions.areas_for_editor(users[role]).values_list("slug", flat=True))

    assert slugs("project_leader") == slugs("programme_leader") == {BJERKE_AREA, "linderud"}
    assert slugs("other_district_leader") == {ALNA_AREA, "lindeberg"}
    assert len(slugs("secretariat")) == 12
    assert slugs("board") == slugs("case_handler") == slugs("resident") == set()


def test_an_inactive_editor_may_do_nothing(users):
    leader = users["programme_leader"]
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    leader = type(leader).objects.get(pk=leader.pk)  # no cached roles
    event = EventFactory()

    assert not permissions.can_view_staff_pages(leader)
    assert not permissions.can_edit_event(leader, event)
    assert not permissions.events_visible_to(leader).exists()
