"""The workflow base: a table of named transitions, each with the statuses it starts from, where
it leads and the roles that may make it; a refusal says which of those failed."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from core.workflow import SYSTEM, Transition, Workflow


class Door:
    STATUS_FIELD = "state"


DOOR = Workflow(
    model=Door,
    transitions=[
        Transition("open", sources=["shut"], to="open", roles=["keeper"]),
        Transition("close", sources=["open"], to=["shut", "locked"], roles=["keeper", SYSTEM]),
    ],
    roles_of=lambda user, obj: {SYSTEM} if user is None else set(user.roles),
    record=lambda *args, **kwargs: None,
    status_label=lambda status: status.upper(),
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


KEEPER = SimpleNamespace(roles=["keeper"])
GUEST = SimpleNamespace(roles=[])


def test_the_table_allows_its_edges_to_the_roles_it_names():
    door = SimpleNamespace(state="shut")

    assert DOOR.refusal(door, "open", KEEPER) is None
    assert DOOR.refusal(SimpleNamespace(state="open"), "close", None, to="locked") is None
    assert DOOR.edges() == [
        ("open", "close", "locked"),
        ("open", "close", "shut"),
        ("shut", "open", "open"),
    ]
    assert DOOR.can_move("open", "locked") and not DOOR.can_move("locked", "open")


def test_a_refusal_names_the_status_or_the_role():
    door = SimpleNamespace(state="open")

    status = DOOR.refusal(door, "open", KEEPER)
    assert str(status) == "This cannot be done while it is “OPEN”." and status.forbidden
    assert not DOOR.status_refusal(door, "open", not_now=True).forbidden
    assert DOOR.status_refusal(door, "close", to="open") is not None
    role = DOOR.refusal(SimpleNamespace(state="shut"), "open", GUEST)
    assert str(role) == "Your role does not allow this."
    assert DOOR.role_refusal(door, "open", KEEPER) is None
