"""Roles × project states for every projects permission function.

States: a published Bjerke project, an unpublished (draft) Bjerke project and an Alna project.
District staff of the ``users`` fixture work in Bjerke; ``other_district_leader`` in Alna.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from areas.models import Area
from projects.permissions import (
    can_create_project,
    can_edit_project,
    can_view_staff_pages,
    projects_editable_by,
    projects_visible_to,
)
from tests.accounts.factories import make_user

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "case_handler",
    "project_leader",
    "programme_leader",
    "other_district_leader",
    "board",
    "secretariat",
]
STATES = ("bjerke", "bjerke_draft", "alna")

BJERKE = {"bjerke", "bjerke_draft"}
ALNA = {"alna"}
ALL = BJERKE | ALNA
NONE: set[str] = set()

VISIBLE = {
    "anonymous": NONE,
    "resident": NONE,
    "case_handler": BJERKE,
    "project_leader": BJERKE,
    "programme_leader": BJERKE,
    "other_district_leader": ALNA,
    "board": ALL,
    "secretariat": ALL,
}
EDITABLE = {
    "anonymous": NONE,
    "resident": NONE,
    "case_handler": NONE,
    "project_leader": BJERKE,
    "programme_leader": BJERKE,
    "other_district_leader": ALNA,
    "board": NONE,
    "secretariat": ALL,
}
CAN_CREATE = {
    "anonymous": False,
    "resident": False,
    "case_handler": False,
    "project_leader": True,
    "programme_leader": True,
    "other_district_leader": True,
    "board": False,
    "secretariat": True,
}
STAFF_PAGES = {
    "anonymous": False,
    "resident": False,
    "case_handler": True,
    "project_leader": True,
    "programme_leader": True,
    "other_district_leader": True,
    "board": True,
    "secretariat": True,
}


@pytest.fixture
def projects(db) -> dict:
    return {
        "bjerke": ProjectFactory(title="Bjerke-tiltak"),
        "bjerke_draft": ProjectFactory(
            title="Bjerke-utkast", area=Area.objects.get(slug="linderud"), is_public=False
        ),
        "alna": ProjectFactory(title="Alna-tiltak", area=Area.objects.get(slug="lindeberg")),
    }


def user_for(users: dict, role: str):
    return AnonymousUser() if role == "anonymous" else users[role]


def states_in(qs, projects: dict) -> set[str]:
    pks = set(qs.values_list("pk", flat=True))
    return {state for state, project in projects.items() if project.pk in pks}


@pytest.mark.parametrize("role", ROLES)
def test_projects_visible_to(users, projects, role):
    assert states_in(projects_visible_to(user_for(users, role)), projects) == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_projects_editable_by(users, projects, role):
    assert states_in(projects_editable_by(user_for(users, role)), projects) == EDITABLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_can_edit_project(users, projects, role):
    user = user_for(users, role)

    editable = {state for state in STATES if can_edit_project(user, projects[state])}

    assert editable == EDITABLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_can_edit_project_agrees_with_editable_scope(users, projects, role):
    user = user_for(users, role)

    scope = states_in(projects_editable_by(user), projects)
    checked = {state for state in STATES if can_edit_project(user, projects[state])}

    assert scope == checked


@pytest.mark.parametrize("role", ROLES)
def test_editable_projects_are_visible(users, projects, role):
    user = user_for(users, role)

    assert states_in(projects_editable_by(user), projects) <= states_in(
        projects_visible_to(user), projects
    )


@pytest.mark.parametrize("role", ROLES)
def test_can_create_project(users, role):
    assert can_create_project(user_for(users, role)) is CAN_CREATE[role]


@pytest.mark.parametrize("role", ROLES)
def test_can_view_staff_pages(users, role):
    assert can_view_staff_pages(user_for(users, role)) is STAFF_PAGES[role]


def test_inactive_staff_lose_every_right(projects, bjerke):
    leader = make_user("programme_leader", bjerke, is_active=False)

    assert not projects_visible_to(leader).exists()
    assert not projects_editable_by(leader).exists()
    assert not can_edit_project(leader, projects["bjerke"])
    assert not can_create_project(leader)
    assert not can_view_staff_pages(leader)


def test_superuser_counts_as_secretariat(projects):
    admin = make_user(is_superuser=True)

    assert states_in(projects_visible_to(admin), projects) == ALL
    assert states_in(projects_editable_by(admin), projects) == ALL
    assert all(can_edit_project(admin, p) for p in projects.values())
    assert can_create_project(admin)
    assert can_view_staff_pages(admin)
