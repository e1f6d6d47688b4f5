"""Input (innspill): given online or registered by staff, moderated, and followed up until the
giver can see what became of it. Each write: the happy path, each refusal (which writes nothing)
and the ``InputChange`` row it leaves."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.actions import ActionRefused
from participation import services
from participation.models import Input, InputChange, Topic
from participation.services.inputs import MAX_LENGTH
from participation.workflow import INPUT_FOLLOW_UP
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

from .factories import (
    ALNA_AREA,
    BJERKE_OTHER_AREA,
    EventFactory,
    InputFactory,
    area,
    participation_rows,
    record_tasks,
)

pytestmark = pytest.mark.django_db

F = Input.FollowUp
M = Input.Moderation
REFUSED_EDITORS = ("resident", "case_handler", "board", "other_district_leader")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def queued(monkeypatch):
    return record_tasks(monkeypatch)


FOLLOW_UP_KEYS = set(INPUT_FOLLOW_UP.names())
KEYS = {"created": {"received"}, "moderation": {"shown", "hidden"}, "follow_up": FOLLOW_UP_KEYS}


def only_change(item, kind) -> InputChange:
    """The one history row of ``kind`` (received, moderation or follow-up) the input has."""
    rows = list(InputChange.objects.filter(input=item, action__in=KEYS[kind]))
    assert len(rows) == 1, rows
    return rows[0]


def old_new(change: InputChange) -> tuple[str, str]:
    return change.data.get("old", ""), change.data["new"]


# input_submit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous-user"])
def test_anonymous_input_waits_for_moderation(actor):
    item = services.input_submit(
        actor=actor, area=area(), text="  Mer lys i undergangen.  ", topic=Topic.SAFETY
    )

    item = Input.objects.get(pk=item.pk)
    assert item.moderation == M.PENDING
    assert item.follow_up == F.RECEIVED
    assert item.channel == Input.Channel.ONLINE
    assert item.text == "Mer lys i undergangen."
    assert item.author is None and item.author_name == "" and item.author_email == ""
    assert not item.consent
    change = only_change(item, "created")
    assert (change.actor, change.action, *old_new(change)) == (None, "received", "", F.RECEIVED)


def test_anonymous_input_with_an_address_and_consent_keeps_them():
    item = services.input_submit(
        actor=None,
        area=area(),
        text="Flere benker.",
        topic=Topic.MEETING_PLACES,
        name=" Ola ",
        email=" Ola@Example.org ",
        consent=True,
    )

    assert (item.author_name, item.author_email, item.consent) == ("Ola", "ola@example.org", True)
    assert item.contact_email == "ola@example.org"


def test_signed_in_input_is_shown_at_once_under_the_account():
    user = UserFactory()

    item = services.input_submit(
        actor=user,
        area=area(),
        text="Flere benker.",
        topic=Topic.MEETING_PLACES,
        name="Noe annet",
        email="noe@example.org",
        consent=True,
    )

    item = Input.objects.get(pk=item.pk)
    assert item.moderation == M.APPROVED
    assert item.author == user
    # The account is the contact; no second copy of a name or an address.
    assert item.author_name == "" and item.author_email == ""
    assert only_change(item, "created").actor == user


def test_input_may_name_a_project_and_an_event_in_its_area():
    project = ProjectFactory(area=area())
    event = EventFactory(areas=[area(), area(BJERKE_OTHER_AREA)])

    item = services.input_submit(
        actor=None, area=area(), text="Bra møte.", topic=Topic.OTHER, project=project, event=event
    )

    assert (item.project, item.event) == (project, event)


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"email": "ola@example.org"}, "consent", "Tick the box"),
        ({"text": ""}, "text", "Write your input"),
        ({"text": "   \n "}, "text", "Write your input"),
        ({"text": "x" * (MAX_LENGTH + 1)}, "text", f"under {MAX_LENGTH} characters"),
        ({"topic": "politikk"}, "topic", "Choose a topic"),
        ({"project": "alna"}, "project", "another area"),
        ({"project": "linderud"}, "project", "another area"),
        ({"event": "alna"}, "event", "another area"),
    ],
)
def test_input_submit_refusals_name_the_field_and_write_nothing(kwargs, field, text):
    arguments = {"text": "Flere benker.", "topic": Topic.MEETING_PLACES} | kwargs
    if arguments.get("project") == "alna":
        arguments["project"] = ProjectFactory(area=area(ALNA_AREA))
    if arguments.get("project") == "linderud":
        arguments["project"] = ProjectFactory(area=area(BJERKE_OTHER_AREA))
    if arguments.get("event") == "alna":
        arguments["event"] = EventFactory(areas=[area(ALNA_AREA)])
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_submit(actor=None, area=area(), **arguments)

    assert text in excinfo.value.message_dict[field][0]
    assert participation_rows() == before


def test_input_of_the_longest_length_is_taken():
    item = services.input_submit(actor=None, area=area(), text="x" * MAX_LENGTH, topic=Topic.OTHER)

    assert len(item.text) == MAX_LENGTH


# input_register --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["project_leader", "programme_leader", "secretariat"])
def test_staff_register_input_from_an_event_shown_at_once(users, role):
    actor = users[role]
    event = EventFactory()

    item = services.input_register(
        actor=actor, area=area(), text="Ønsker gatelys.", topic=Topic.SAFETY, event=event
    )

    item = Input.objects.get(pk=item.pk)
    assert item.moderation == M.APPROVED
    assert item.channel == Input.Channel.EVENT
    assert item.event == event
    assert item.registered_by == actor
    assert item.author is None and item.author_name == "" and item.author_email == ""
    assert not item.consent
    assert only_change(item, "created").actor == actor


def test_staff_register_a_name_and_address_given_with_consent(users):
    item = services.input_register(
        actor=users["project_leader"],
        area=area(),
        text="Ønsker gatelys.",
        topic=Topic.SAFETY,
        name="Aisha",
        email="Aisha@Example.org",
        consent=True,
        channel=Input.Channel.OTHER,
    )

    assert (item.author_name, item.author_email, item.channel) == (
        "Aisha",
        "aisha@example.org",
        Input.Channel.OTHER,
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "Aisha"}, "consent"),
        ({"email": "aisha@example.org"}, "consent"),
        ({"text": " "}, "text"),
        ({"topic": ""}, "topic"),
        ({"event": "alna"}, "event"),
        ({"project": "alna"}, "project"),
    ],
)
def test_input_register_refusals_write_nothing(users, kwargs, field):
    arguments = {"text": "Ønsker gatelys.", "topic": Topic.SAFETY} | kwargs
    if arguments.get("event") == "alna":
        arguments["event"] = EventFactory(areas=[area(ALNA_AREA)])
    if arguments.get("project") == "alna":
        arguments["project"] = ProjectFactory(area=area(ALNA_AREA))
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_register(actor=users["project_leader"], area=area(), **arguments)

    assert field in excinfo.value.message_dict
    assert participation_rows() == before


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_input_register_refused_outside_the_actors_district_or_role(users, role):
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.input_register(
            actor=users[role], area=area(), text="Ønsker gatelys.", topic=Topic.SAFETY
        )

    assert participation_rows() == before


def test_input_register_in_the_other_district_by_its_own_leader(users):
    item = services.input_register(
        actor=users["other_district_leader"],
        area=area(ALNA_AREA),
        text="Ønsker gatelys.",
        topic=Topic.SAFETY,
    )

    assert item.area == area(ALNA_AREA)


# input_moderate --------------------------------------------------------------------------------


def test_hiding_input_needs_a_reason_and_keeps_the_text(users):
    item = InputFactory(moderation=M.APPROVED)
    actor = users["project_leader"]

    services.input_moderate(actor=actor, item=item, show=False, reason=" Personangrep. ")

    item.refresh_from_db()
    assert item.moderation == M.HIDDEN
    assert item.hidden_reason == "Personangrep."
    assert item.text.startswith("Vi trenger")
    change = only_change(item, "moderation")
    assert (change.actor, change.action, *old_new(change)) == (
        actor,
        "hidden",
        M.APPROVED,
        M.HIDDEN,
    )
    assert change.note.strip() == "Personangrep."


def test_showing_hidden_input_clears_the_reason(users):
    item = InputFactory(moderation=M.HIDDEN, hidden_reason="Personangrep.")

    services.input_moderate(actor=users["secretariat"], item=item, show=True)

    item.refresh_from_db()
    assert (item.moderation, item.hidden_reason) == (M.APPROVED, "")
    change = only_change(item, "moderation")
    assert (change.action, *old_new(change)) == ("shown", M.HIDDEN, M.APPROVED)


def test_approving_pending_input(users):
    item = InputFactory(moderation=M.PENDING)

    services.input_moderate(actor=users["programme_leader"], item=item, show=True)

    assert Input.objects.get(pk=item.pk).moderation == M.APPROVED


@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_without_a_reason_is_refused_and_writes_nothing(users, reason):
    item = InputFactory(moderation=M.PENDING)
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_moderate(actor=users["project_leader"], item=item, show=False, reason=reason)

    assert "Say why" in excinfo.value.message_dict["reason"][0]
    assert participation_rows() == before


@pytest.mark.parametrize("role", REFUSED_EDITORS)
@pytest.mark.parametrize("show", [True, False])
def test_input_moderate_refused_for_roles_that_may_not_edit_the_input(users, role, show):
    item = InputFactory(moderation=M.PENDING)
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.input_moderate(actor=users[role], item=item, show=show, reason="Spam.")

    assert participation_rows() == before


# input_follow_up -------------------------------------------------------------------------------

ALLOWED = sorted({(old, new) for old, _name, new in INPUT_FOLLOW_UP.edges()})
REFUSED = sorted(
    (old, new)
    for old, new in itertools.product(F.values, F.values)
    if not INPUT_FOLLOW_UP.can_move(old, new)
)


def test_the_follow_up_table_covers_every_status():
    assert {old for old, _new in ALLOWED} | {new for _old, new in ALLOWED} == set(F.values)
    assert (F.RECEIVED, F.CONSIDERING) in ALLOWED
    assert (F.TAKEN_UP, F.DONE) in ALLOWED
    assert (F.NOT_TAKEN_UP, F.DONE) in REFUSED
    assert all((F.DONE, new) in REFUSED for new in F.values)  # done is the end


def at(status: str, **kwargs) -> Input:
    """An input standing at ``status``, with what that status needs already filled in."""
    defaults = {}
    if status in (F.NOT_TAKEN_UP, F.DONE):
        defaults["response"] = "Svar til innbyggerne."
    return InputFactory(follow_up=status, **(defaults | kwargs))


def what_it_needs(new: str) -> dict:
    return {
        F.TAKEN_UP: {"project": ProjectFactory(area=area()), "response": "Tatt inn."},
        F.NOT_TAKEN_UP: {"response": "Kommunen eier ikke tomta."},
        F.DONE: {"response": "Benkene står der nå."},
    }.get(new, {})


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_allowed_follow_up_step_is_taken_and_recorded(users, queued, old, new):
    item = at(old)
    actor = users["project_leader"]
    needs = what_it_needs(new)

    services.input_follow_up(actor=actor, item=item, status=new, **needs)

    item.refresh_from_db()
    assert item.follow_up == new
    change = only_change(item, "follow_up")
    assert (change.actor, *old_new(change)) == (actor, old, new)
    assert change.action in INPUT_FOLLOW_UP.names()
    if "response" in needs:
        assert item.response == needs["response"]
    if new == F.TAKEN_UP:
        assert item.taken_into_project == needs["project"]


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_every_refused_follow_up_step_is_refused_and_writes_nothing(users, queued, old, new):
    item = at(old)
    needs = what_it_needs(new)
    before = participation_rows()

    with pytest.raises(ActionRefused) as excinfo:
        services.input_follow_up(actor=users["project_leader"], item=item, status=new, **needs)

    assert "cannot become" in str(excinfo.value.refusal)
    assert participation_rows() == before
    assert queued == []


def test_an_unknown_follow_up_status_is_refused(users):
    item = at(F.RECEIVED)
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_follow_up(actor=users["project_leader"], item=item, status="glemt")

    assert "status" in excinfo.value.message_dict
    assert participation_rows() == before


def test_taken_up_by_the_action_programme_alone(users):
    """The action programme takes an input in from its own side: it asks for the status alone
    and links the measure itself."""
    item = at(F.CONSIDERING)

    services.input_follow_up(
        actor=users["project_leader"], item=item, status=F.TAKEN_UP, in_plan=True
    )

    item.refresh_from_db()
    assert item.follow_up == F.TAKEN_UP
    assert item.taken_into_project is None
    assert item.changes.get(action="take_up").data["plan"] is True


def test_taken_up_in_another_area_of_the_same_district_is_refused_at_the_project(users, queued):
    """A project of Linderud cannot take up input on Veitvet, though both are Bjerke's: the
    answer residents of Veitvet read would point at another neighbourhood's project."""
    project = ProjectFactory(area=area(BJERKE_OTHER_AREA))
    item = at(F.CONSIDERING)
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_follow_up(
            actor=users["project_leader"], item=item, status=F.TAKEN_UP, project=project
        )

    assert "Veitvet og Sletteløkka" in excinfo.value.message_dict["project"][0]
    item.refresh_from_db()
    assert (item.follow_up, item.taken_into_project) == (F.CONSIDERING, None)
    assert participation_rows() == before
    assert queued == []


def test_taken_up_in_a_project_links_the_input_to_it(users):
    project = ProjectFactory(area=area())

    services.input_follow_up(
        actor=users["project_leader"], item=at(F.CONSIDERING), status=F.TAKEN_UP, project=project
    )

    assert Input.objects.get(taken_into_project=project).project == project


def test_reconsidering_what_was_taken_up_lets_go_of_the_project_and_the_answer(users):
    item = at(F.TAKEN_UP, taken_into_project=ProjectFactory(area=area()), response="Tatt inn.")

    services.input_follow_up(actor=users["project_leader"], item=item, status=F.CONSIDERING)

    item.refresh_from_db()
    assert item.follow_up == F.CONSIDERING
    assert item.taken_into_project is None
    assert item.response == ""


def test_done_keeps_an_answer_already_given(users):
    item = at(F.TAKEN_UP, response="Vi setter opp benker i vår.")

    services.input_follow_up(actor=users["project_leader"], item=item, status=F.DONE)

    assert Input.objects.get(pk=item.pk).response == "Vi setter opp benker i vår."


@pytest.mark.parametrize(
    ("old", "new", "kwargs", "field", "text"),
    [
        (F.CONSIDERING, F.TAKEN_UP, {}, "project", "Choose the project"),
        (F.CONSIDERING, F.TAKEN_UP, {"in_plan": False}, "project", "Choose the project"),
        (F.RECEIVED, F.TAKEN_UP, {"project": "alna"}, "project", "the input's area"),
        (F.CONSIDERING, F.NOT_TAKEN_UP, {}, "response", "Say why"),
        (F.RECEIVED, F.NOT_TAKEN_UP, {"response": "  "}, "response", "Say why"),
        (F.TAKEN_UP, F.DONE, {"response": " "}, "response", "Say what was done"),
    ],
)
def test_follow_up_refusals_name_the_field_and_write_nothing(
    users, queued, old, new, kwargs, field, text
):
    item = at(old, response="") if old == F.TAKEN_UP else at(old)
    if kwargs.get("project") == "alna":
        kwargs = {"project": ProjectFactory(area=area(ALNA_AREA))}
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_follow_up(actor=users["project_leader"], item=item, status=new, **kwargs)

    assert text in excinfo.value.message_dict[field][0]
    assert participation_rows() == before
    assert queued == []


def test_the_secretariat_may_take_up_input_of_any_district(users):
    project = ProjectFactory(area=area(ALNA_AREA))
    item = at(F.CONSIDERING, area=area(ALNA_AREA))

    services.input_follow_up(
        actor=users["secretariat"], item=item, status=F.TAKEN_UP, project=project
    )

    assert Input.objects.get(pk=item.pk).taken_into_project == project


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_input_follow_up_refused_for_roles_that_may_not_edit_the_input(users, queued, role):
    item = at(F.RECEIVED)
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.input_follow_up(actor=users[role], item=item, status=F.CONSIDERING)

    assert participation_rows() == before
    assert queued == []


def giver(kind: str) -> dict:
    return {
        "signed-in": lambda: {"author": UserFactory()},
        "address-with-consent": lambda: {"author_email": "ola@example.org", "consent": True},
        "address-without-consent": lambda: {"author_email": "ola@example.org", "consent": False},
        "anonymous": lambda: {},
        "name-only": lambda: {"author_name": "Ola", "consent": True},
        "closed-account": lambda: {"author": UserFactory(is_active=False)},
    }[kind]()


@pytest.mark.parametrize(
    ("kind", "reachable"),
    [
        ("signed-in", True),
        ("address-with-consent", True),
        ("address-without-consent", False),
        ("anonymous", False),
        ("name-only", False),
        ("closed-account", False),
    ],
)
def test_the_giver_is_told_of_a_follow_up_only_when_reachable(
    users, queued, django_capture_on_commit_callbacks, kind, reachable
):
    item = InputFactory(**giver(kind))

    with django_capture_on_commit_callbacks(execute=True):
        services.input_follow_up(actor=users["project_leader"], item=item, status=F.CONSIDERING)

    assert only_change(item, "follow_up").notified is reachable
    assert queued == ([("send_input_status_email", item.pk)] if reachable else [])


def test_moderation_tells_nobody(users, queued, django_capture_on_commit_callbacks):
    item = InputFactory(author=UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        services.input_moderate(
            actor=users["project_leader"], item=item, show=False, reason="Spam."
        )

    assert queued == []
    assert not only_change(item, "moderation").notified
