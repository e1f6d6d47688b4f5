"""Who may read and write a handlingsprogram on the staff side: every role × every staff
programme URL, read (GET) and written (POST).

Out of scope is a 404 (staff of another district), a staff page without a staff role a 403,
signed out a login redirect. In the district, the case handler and the board read every page
and write nothing (403 on every POST); the project and programme leaders and the secretariat
write the content; only the district's programme leader adopts and publishes.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from programmes import services
from programmes.actions import PROGRAMME_ACTIONS
from programmes.models import ActionProgramme, Rendering
from tests.accounts.factories import make_user
from tests.projects.factories import ProjectFactory

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db

S = ActionProgramme.Status
ROLES = (
    "anonymous",
    "resident",
    "case_handler",
    "project_leader",
    "programme_leader",
    "other_district_leader",
    "other_district_project_leader",
    "board",
    "secretariat",
)
READERS = frozenset({"case_handler", "project_leader", "programme_leader", "board", "secretariat"})
EDITORS = frozenset({"project_leader", "programme_leader", "secretariat"})
LEADER = frozenset({"programme_leader"})
OUTSIDERS = frozenset({"other_district_leader", "other_district_project_leader"})
LEADER_ACTIONS = {"adopt", "publish"}


@pytest.fixture
def world(users, alna):
    people = {
        **users,
        "other_district_project_leader": make_user(Role.PROJECT_LEADER, alna),
    }
    measure = MeasureFactory()
    programme = measure.programme
    ready = Rendering.objects.create(
        programme=programme,
        content={"area": {"slug": "x"}, "year": 2027},
        content_hash="r" * 64,
        status=Rendering.Status.READY,
        page_count=3,
        finished_at=timezone.now(),
    )
    ready.pdf.save("handlingsprogram/matrix.pdf", ContentFile(b"%PDF-1.7"), save=True)
    failed = Rendering.objects.create(
        programme=programme,
        content={},
        content_hash="f" * 64,
        status=Rendering.Status.FAILED,
        error="boom",
    )
    return {
        "users": people,
        "programme": programme,
        "measure": measure,
        "ready": ready,
        "failed": failed,
        "project": ProjectFactory(area=programme.area),
    }


def _p(w, **extra):
    return {"pk": w["programme"].pk, **extra}


def _m(w):
    return _p(w, measure_pk=w["measure"].pk)


# Pages anyone in scope reads: name and its kwargs.
PAGES = {
    "staff_programme": _p,
    "staff_programme_edit": _p,
    "staff_goal_edit": lambda w: _p(w, number=1),
    "staff_measures": _p,
    "staff_measure_comment": _m,
    "staff_rendering_status": _p,
    "staff_rendering_download": lambda w: _p(w, rendering_pk=w["ready"].pk),
    "staff_history": _p,
}

# Writes: name, kwargs, the data posted, and who may.
WRITES = {
    "staff_programme_edit": (_p, {"edit-introduction": "Ny", "edit-participation_step": "2"}),
    "staff_goal_edit": (lambda w: _p(w, number=1), {"local_goal": "Mål", "strategies": ""}),
    "staff_measure_comment": (_m, {"comment": "Kommentar"}),
    "staff_measure_move": (_m, {"retning": "ned"}),
    "staff_measure_remove": (_m, {}),
    "staff_rendering_request": (_p, {}),
    "staff_rendering_retry": (lambda w: _p(w, rendering_pk=w["failed"].pk), {}),
    **{
        f"staff_action:{name}": (lambda w, n=name: _p(w, name=n), {})
        for name in PROGRAMME_ACTIONS.names()
    },
}
POST_ONLY = {
    "staff_measure_move",
    "staff_measure_remove",
    "staff_rendering_request",
    "staff_rendering_retry",
    "staff_measure_add",
    "staff_action",
}


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def _address(name, kwargs):
    return reverse(f"programmes:{name.split(':')[0]}", kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_reading_each_page(client, world, role, name):
    address = _address(name, PAGES[name](world))
    response = _client(client, world, role).get(address, HTTP_HX_REQUEST="true")
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "resident":
        assert response.status_code == 403
    elif role in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_the_list_is_for_staff_and_shows_only_their_scope(client, world, role):
    response = _client(client, world, role).get(reverse("programmes:staff_programmes"))
    detail = reverse("programmes:staff_programme", kwargs={"pk": world["programme"].pk})
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "resident":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert (detail in response.content.decode()) == (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_starting_a_programme(client, world, role):
    area = world["programme"].area
    c = _client(client, world, role)
    get = c.get(reverse("programmes:staff_programme_create"))
    post = c.post(reverse("programmes:staff_programme_create"), {"area": area.pk, "year": 2031})
    created = ActionProgramme.objects.filter(area=area, year=2031).exists()
    if role == "anonymous":
        assert get.status_code == post.status_code == 302
    elif role in EDITORS:
        assert get.status_code == 200 and post.status_code == 302 and created
    elif role in OUTSIDERS:
        # Their own districts' areas are offered; this one is not a choice for them.
        assert get.status_code == 200 and post.status_code == 400 and not created
    else:
        assert get.status_code == post.status_code == 403 and not created


def _may_write(role, name) -> bool:
    action = name.split(":", 1)[1] if ":" in name else ""
    return role in (LEADER if action in LEADER_ACTIONS else EDITORS)


def _state(world) -> tuple:
    """Everything a write could change, to show that a refused one changed nothing."""
    programme = ActionProgramme.objects.get(pk=world["programme"].pk)
    return (
        programme.status,
        programme.introduction,
        programme.changes.count(),
        programme.measures.count(),
        Rendering.objects.count(),
        Rendering.objects.get(pk=world["failed"].pk).status,
    )


ALL_WRITES = sorted([*WRITES, "staff_measure_add"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ALL_WRITES)
def test_writing(client, world, role, name):
    if name == "staff_measure_add":
        kwargs, data = _p(world), {"project": world["project"].pk}
    else:
        make_kwargs, data = WRITES[name]
        kwargs = make_kwargs(world)
    address = _address(name, kwargs)
    before = _state(world)
    response = _client(client, world, role).post(address, data)
    got = response.status_code
    unchanged = before == _state(world)
    if role == "anonymous":
        assert got == 302 and "/accounts/login/" in response["Location"] and unchanged
    elif role == "resident":
        assert got == 403 and unchanged
    elif role in OUTSIDERS:
        assert got == 404 and unchanged
    elif _may_write(role, name):
        # Allowed: done (a redirect) or shown again with what to fix (400), never refused.
        assert got in (302, 400), got
    else:
        assert got == 403 and unchanged, got


@pytest.mark.parametrize("role", sorted(READERS))
@pytest.mark.parametrize("name", sorted(POST_ONLY - {"staff_action", "staff_measure_add"}))
def test_an_action_is_never_a_page(client, world, role, name):
    kwargs = WRITES[name][0](world)
    assert _client(client, world, role).get(_address(name, kwargs)).status_code == 405


@pytest.mark.parametrize("role", sorted(EDITORS | {"case_handler", "board"}))
def test_only_the_districts_programme_leader_adopts_and_publishes(client, world, role):
    programme = world["programme"]
    leader = world["users"]["programme_leader"]
    services.programme_send_for_review(actor=leader, programme=programme)
    c = _client(client, world, role)
    adopt = c.post(reverse("programmes:staff_action", kwargs={"pk": programme.pk, "name": "adopt"}))
    programme.refresh_from_db()
    if role == "programme_leader":
        assert adopt.status_code == 302 and programme.status == S.ADOPTED
        publish = c.post(
            reverse("programmes:staff_action", kwargs={"pk": programme.pk, "name": "publish"})
        )
        programme.refresh_from_db()
        assert publish.status_code == 302 and programme.status == S.PUBLISHED
    else:
        assert adopt.status_code == 403 and programme.status == S.REVIEW
        services.programme_adopt(actor=leader, programme=programme)
        publish = c.post(
            reverse("programmes:staff_action", kwargs={"pk": programme.pk, "name": "publish"})
        )
        programme.refresh_from_db()
        assert publish.status_code == 403 and programme.status == S.ADOPTED


@pytest.mark.parametrize("role", sorted(READERS))
def test_the_readers_who_may_not_write_see_no_form(client, world, role):
    page = _client(client, world, role).get(
        reverse("programmes:staff_programme", kwargs={"pk": world["programme"].pk})
    )
    forms = page.content.decode().count('action="/intern/')
    assert (forms > 0) == (role in EDITORS)
