"""Lessons learned: written by the project's leaders, internal until published (and back),
read by the staff of every district, never shown publicly while internal; the pages cost the
same queries however many lessons there are."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area, SubGoal
from core.actions import ActionRefused
from core.models import AuditEntry
from core.workflow import WorkflowBypassed
from knowledge import services
from knowledge.models import Lesson
from tests.knowledge.factories import LessonFactory, RecipeFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(**extra) -> dict:
    return {
        "title": "Benkene ble en møteplass",
        "worked": "Benkene ved grendehuset samlet naboer som ikke kjente hverandre.",
        "did_not_work": "Møter på dagtid.",
        "advice": "Spør naboene først.",
        "sub_goals": [SubGoal.objects.get(number=1, sub_programme__served=True).pk],
        **extra,
    }


# --- Writing and publishing ---------------------------------------------------------------------


def test_the_project_leader_records_a_lesson_from_the_project_page(users):
    project = ProjectFactory(is_public=True)
    client = _client(users["project_leader"])
    page = client.get(reverse("projects:staff_detail", args=[project.slug])).content.decode()
    create = reverse("knowledge:staff_lesson_create", args=[project.slug])
    assert create in page
    response = client.post(create, _form())
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "knowledge:staff_lesson", args=[lesson.pk]
    )
    assert lesson.project == project and lesson.status == Lesson.Status.DRAFT
    assert lesson.written_by == users["project_leader"]
    assert [g.number for g in lesson.sub_goals.all()] == [1]
    assert AuditEntry.objects.filter(action="lesson_created", target_id=str(lesson.pk)).exists()


def test_publish_and_make_internal_again_write_the_history(users):
    lesson = LessonFactory()
    leader = users["project_leader"]
    client = _client(leader)
    response = client.post(reverse("knowledge:staff_lesson_publish", args=[lesson.pk]))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.PUBLISHED and lesson.published_at
    assert _client().get(lesson.get_absolute_url()).status_code == 200
    response = client.post(reverse("knowledge:staff_lesson_unpublish", args=[lesson.pk]))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.DRAFT
    assert _client().get(lesson.get_absolute_url()).status_code == 404
    actions = list(
        AuditEntry.objects.filter(target_id=str(lesson.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["lesson_published", "lesson_unpublished"]
    page = client.get(reverse("knowledge:staff_lesson", args=[lesson.pk])).content.decode()
    assert "Publisert" in page and "Gjort intern igjen" in page


def test_a_lesson_of_an_internal_project_cannot_be_published(users):
    lesson = LessonFactory(project=ProjectFactory(is_public=False))
    client = _client(users["project_leader"])
    page = client.get(reverse("knowledge:staff_lesson", args=[lesson.pk])).content.decode()
    assert "Publiser prosjektet først" in page
    response = client.post(reverse("knowledge:staff_lesson_publish", args=[lesson.pk]))
    assert response.status_code == 400
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.DRAFT
    with pytest.raises(ActionRefused):
        services.lesson_publish(actor=users["secretariat"], lesson=lesson)


@pytest.mark.parametrize("role", ["case_handler", "board", "other_district_leader", "resident"])
def test_only_the_projects_leaders_write_and_publish(users, role):
    lesson = LessonFactory()
    with pytest.raises(ActionRefused):
        services.lesson_publish(actor=users[role], lesson=lesson)
    with pytest.raises(ActionRefused):
        services.lesson_create(actor=users[role], project=lesson.project, **_data())
    with pytest.raises(ActionRefused):
        services.lesson_update(actor=users[role], lesson=lesson, title="Endret")
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.DRAFT and lesson.title != "Endret"
    assert not AuditEntry.objects.filter(target_id=str(lesson.pk)).exists()


def _data() -> dict:
    return {"title": "T", "worked": "W", "did_not_work": "", "advice": "", "sub_goals": []}


def test_the_status_changes_only_through_the_workflow():
    lesson = LessonFactory()
    lesson.status = Lesson.Status.PUBLISHED
    with pytest.raises(WorkflowBypassed):
        lesson.save()


def test_an_edit_is_recorded_field_by_field(users):
    lesson = LessonFactory()
    method = RecipeFactory(status="publisert")
    services.lesson_update(
        actor=users["programme_leader"], lesson=lesson, advice="Nytt råd.", methods=[method]
    )
    entry = AuditEntry.objects.get(action="lesson_changed")
    assert entry.changes["advice"][1] == "Nytt råd." and entry.changes["methods"] == [
        [],
        [method.pk],
    ]


# --- Who reads what -----------------------------------------------------------------------------


def test_staff_of_every_district_read_internal_lessons(users):
    lesson = LessonFactory(title="Intern erfaring fra Bjerke")
    for role in ("other_district_leader", "case_handler", "board", "secretariat"):
        client = _client(users[role])
        assert client.get(reverse("knowledge:staff_lesson", args=[lesson.pk])).status_code == 200
        listing = client.get(reverse("knowledge:staff_lessons")).content.decode()
        assert "Intern erfaring fra Bjerke" in listing


def test_internal_lessons_never_show_on_public_pages(users):
    public = LessonFactory(title="Offentlig erfaring", published=True)
    LessonFactory(title="Hemmelig erfaring", project=public.project)
    hidden_project = ProjectFactory(is_public=False)
    LessonFactory(title="Publisert på internt prosjekt", project=hidden_project, published=True)
    for user in (None, users["resident"], users["secretariat"]):
        client = _client(user)
        pages = [
            client.get(reverse("knowledge:lessons")),
            client.get(public.get_absolute_url()),
            client.get(reverse("projects:detail", args=[public.project.slug])),
            client.get(reverse("django.contrib.sitemaps.views.sitemap")),
        ]
        text = "".join(p.content.decode() for p in pages)
        assert all(p.status_code == 200 for p in pages)
        assert "Offentlig erfaring" in text or "/erfaringer/" in text
        assert "Hemmelig erfaring" not in text
        assert "Publisert på internt prosjekt" not in text
    internal = Lesson.objects.get(title="Hemmelig erfaring")
    assert _client().get(internal.get_absolute_url()).status_code == 404


def test_the_public_project_page_links_its_published_lessons(users):
    lesson = LessonFactory(title="Lys langs stien", published=True)
    page = _client().get(reverse("projects:detail", args=[lesson.project.slug])).content.decode()
    assert lesson.get_absolute_url() in page and "Lys langs stien" in page
    assert reverse("knowledge:staff_lesson_create", args=[lesson.project.slug]) not in page


def test_the_sitemap_lists_published_lessons_and_recipes():
    lesson = LessonFactory(published=True)
    recipe = RecipeFactory(status="publisert")
    draft = RecipeFactory()
    xml = _client().get(reverse("django.contrib.sitemaps.views.sitemap")).content.decode()
    assert lesson.get_absolute_url() in xml and recipe.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml


# --- Filters and bad input ----------------------------------------------------------------------


def test_the_list_filters_by_sub_goal_method_and_area():
    method = RecipeFactory(status="publisert")
    goal5 = SubGoal.objects.get(number=5, sub_programme__served=True)
    tagged = LessonFactory(title="Med metode", published=True)
    tagged.methods.set([method])
    tagged.sub_goals.set([goal5])
    LessonFactory(title="Uten metode", published=True)
    other = LessonFactory(
        title="Et annet sted",
        project=ProjectFactory(is_public=True, area=Area.objects.get(slug="lindeberg")),
        published=True,
    )
    url = reverse("knowledge:lessons")

    def titles(**params):
        return [lesson.title for lesson in _client().get(url, params).context["page"]]

    assert titles(method=method.pk) == ["Med metode"]
    assert titles(sub_goal=goal5.pk) == ["Med metode"]
    assert titles(area=other.project.area_id) == ["Et annet sted"]
    assert len(titles()) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"side": "99999999999999999999"},
        {"side": "tjue"},
        {"method": "x"},
        {"sub_goal": "99999999"},
        {"area": "-1"},
    ],
)
def test_bad_filters_and_page_numbers_never_fail(params):
    LessonFactory(published=True)
    for name in ("knowledge:lessons", "knowledge:recipes"):
        response = _client().get(reverse(name), params)
        assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"title": "x" * 161}, "title"),
        ({"worked": "x" * 10_001}, "worked"),
        ({"worked": ""}, "worked"),
        ({"sub_goals": ["999999"]}, "sub_goals"),
    ],
)
def test_bad_lesson_text_gets_a_message_at_the_field(users, extra, field):
    project = ProjectFactory(is_public=True)
    response = _client(users["project_leader"]).post(
        reverse("knowledge:staff_lesson_create", args=[project.slug]), _form(**extra)
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Lesson.objects.exists()


def test_a_nul_byte_is_refused_without_an_error(users):
    project = ProjectFactory(is_public=True)
    response = _client(users["project_leader"]).post(
        reverse("knowledge:staff_lesson_create", args=[project.slug]), _form(worked="Benk\x00")
    )
    assert response.status_code == 400
    assert not Lesson.objects.exists()


# --- Query counts -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _lessons(n, project=None, **kwargs):
    method = RecipeFactory(status="publisert")
    goal = SubGoal.objects.get(number=2, sub_programme__served=True)
    for _ in range(n):
        lesson = LessonFactory(project=project or ProjectFactory(is_public=True), **kwargs)
        lesson.methods.set([method])
        lesson.sub_goals.set([goal])


@pytest.mark.parametrize("staff", [False, True])
def test_the_lesson_list_costs_the_same_queries_however_many(users, staff):
    client = _client(users["programme_leader"] if staff else None)
    url = reverse("knowledge:staff_lessons" if staff else "knowledge:lessons")
    _lessons(1, published=True)
    few = _count(client, url)
    _lessons(12, published=True)
    _lessons(3)
    assert _count(client, url) == few


def test_the_project_pages_cost_the_same_queries_however_many_lessons(users):
    project = ProjectFactory(is_public=True)
    _lessons(1, project=project, published=True)
    public = reverse("projects:detail", args=[project.slug])
    staff = reverse("projects:staff_detail", args=[project.slug])
    leader = _client(users["project_leader"])
    few = (_count(_client(), public), _count(leader, staff))
    _lessons(10, project=project, published=True)
    _lessons(5, project=project)
    assert (_count(_client(), public), _count(leader, staff)) == few


def test_the_lesson_page_costs_the_same_queries_however_many_tags(users):
    lesson = LessonFactory(published=True)
    few = (_count(_client(), lesson.get_absolute_url()),)
    lesson.methods.set([RecipeFactory(status="publisert") for _ in range(5)])
    lesson.sub_goals.set(SubGoal.objects.filter(sub_programme__served=True))
    assert (_count(_client(), lesson.get_absolute_url()),) == few


# --- The permission matrix: roles × states ------------------------------------------------------

EDITORS = {"project_leader", "programme_leader", "secretariat"}
ROLES = ["resident", "case_handler", "other_district_leader", "board", *sorted(EDITORS)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["utkast", "publisert"])
def test_who_may_publish_and_unpublish_in_each_state(users, role, status):
    from knowledge.actions import LESSON_ACTIONS

    lesson = LessonFactory(published=status == "publisert")
    allowed = {a.name for a in LESSON_ACTIONS.available(users[role], lesson)}
    if role not in EDITORS:
        assert allowed == set()
    elif status == "utkast":
        assert allowed == {"publish"}
    else:
        assert allowed == {"unpublish"}


def test_the_staff_lesson_page_costs_the_same_queries_however_long_its_history(users):
    lesson = LessonFactory()
    leader = users["project_leader"]
    client = _client(leader)
    url = reverse("knowledge:staff_lesson", args=[lesson.pk])
    _count(client, url)  # the content types are cached after the first page
    few = _count(client, url)
    lesson.methods.set([RecipeFactory(status="publisert") for _ in range(4)])
    for n in range(6):
        services.lesson_update(actor=leader, lesson=lesson, advice=f"Råd {n}")
    services.lesson_publish(actor=leader, lesson=lesson)
    services.lesson_unpublish(actor=leader, lesson=lesson)
    assert _count(client, url) == few


def test_the_area_page_lists_its_published_lessons_in_a_fixed_number_of_queries():
    project = ProjectFactory(is_public=True)
    area_url = reverse("area_detail", args=[project.area.slug])
    LessonFactory(title="Offentlig i området", project=project, published=True)
    LessonFactory(title="Intern i området", project=project)
    page = _client().get(area_url).content.decode()
    assert "Offentlig i området" in page and "Intern i området" not in page
    assert f"{reverse('knowledge:lessons')}?area={project.area_id}" in page
    few = _count(_client(), area_url)
    for _ in range(8):
        LessonFactory(project=ProjectFactory(is_public=True), published=True)
    assert _count(_client(), area_url) == few
