"""Method recipes: written by the secretariat or a district's leaders, drafts only for staff,
published ones in the cookbook with their ingredients, steps, projects and lessons; the pages
cost the same queries however many there are."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import District
from core.actions import ActionRefused
from core.models import AuditEntry
from knowledge import services
from knowledge.models import Recipe
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
        "title": "Trygghetsvandring",
        "summary": "Gå sammen gjennom nabolaget om kvelden.",
        "introduction": "",
        "ingredients": "Innbyggere\n- Bymiljøetaten\n\nEt kart",
        "steps": "Inviter bredt\nGå ruten\nFølg opp",
        **extra,
    }


def test_a_district_leader_writes_a_recipe_for_their_district_and_publishes_it(users, bjerke):
    project = ProjectFactory(is_public=True)
    client = _client(users["project_leader"])
    response = client.post(
        reverse("knowledge:staff_recipe_create"),
        _form(district=bjerke.pk, projects=[project.pk]),
    )
    recipe = Recipe.objects.get()
    assert response.status_code == 302
    assert recipe.slug == "trygghetsvandring" and recipe.status == Recipe.Status.DRAFT
    assert recipe.ingredient_list == ["Innbyggere", "Bymiljøetaten", "Et kart"]
    assert recipe.step_list == ["Inviter bredt", "Gå ruten", "Følg opp"]
    assert _client().get(recipe.get_absolute_url()).status_code == 404
    client.post(reverse("knowledge:staff_recipe_publish", args=[recipe.slug]))
    recipe.refresh_from_db()
    assert recipe.status == Recipe.Status.PUBLISHED
    page = _client().get(recipe.get_absolute_url()).content.decode()
    assert "<ol" in page and "Gå ruten" in page and project.title in page
    assert list(
        AuditEntry.objects.filter(target_id=str(recipe.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["recipe_created", "recipe_published"]


def test_a_district_leader_cannot_write_for_the_whole_programme_or_another_district(users, alna):
    client = _client(users["project_leader"])
    for district in ("", alna.pk):
        response = client.post(reverse("knowledge:staff_recipe_create"), _form(district=district))
        assert response.status_code == 400
    assert not Recipe.objects.exists()


def test_the_secretariats_recipe_is_the_secretariats_to_change(users):
    recipe = RecipeFactory()
    with pytest.raises(ActionRefused):
        services.recipe_save(actor=users["programme_leader"], recipe=recipe, title="Endret")
    with pytest.raises(ActionRefused):
        services.recipe_publish(actor=users["programme_leader"], recipe=recipe)
    services.recipe_publish(actor=users["secretariat"], recipe=recipe)
    recipe.refresh_from_db()
    assert recipe.is_published


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"ingredients": "\n  \n"}, "ingredients"),
        ({"steps": ""}, "steps"),
        ({"title": "x" * 161}, "title"),
        ({"steps": "x" * 10_001}, "steps"),
    ],
)
def test_bad_recipe_text_gets_a_message_at_the_field(users, extra, field):
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_recipe_create"), _form(**extra)
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Recipe.objects.exists()


def test_the_public_recipe_shows_only_public_projects_and_published_lessons():
    recipe = RecipeFactory(status="publisert")
    shown = ProjectFactory(title="Åpent prosjekt", is_public=True)
    hidden = ProjectFactory(title="Lukket prosjekt", is_public=False)
    recipe.projects.set([shown, hidden])
    LessonFactory(title="Publisert erfaring", project=shown, published=True).methods.set([recipe])
    LessonFactory(title="Intern erfaring", project=shown).methods.set([recipe])
    page = _client().get(recipe.get_absolute_url()).content.decode()
    assert "Åpent prosjekt" in page and "Publisert erfaring" in page
    assert "Lukket prosjekt" not in page and "Intern erfaring" not in page
    draft = RecipeFactory(title="Hemmelig oppskrift")
    listing = _client().get(reverse("knowledge:recipes")).content.decode()
    assert recipe.title in listing and "Hemmelig oppskrift" not in listing
    assert _client().get(draft.get_absolute_url()).status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_cookbook_pages_cost_the_same_queries_however_many(users):
    bjerke = District.objects.get(number="09")
    recipe = RecipeFactory(status="publisert", district=bjerke)
    recipe.projects.set([ProjectFactory(is_public=True)])
    LessonFactory(published=True).methods.set([recipe])
    pages = [
        (_client(), reverse("knowledge:recipes")),
        (_client(), recipe.get_absolute_url()),
        (_client(users["programme_leader"]), reverse("knowledge:staff_recipes")),
        (
            _client(users["programme_leader"]),
            reverse("knowledge:staff_recipe", args=[recipe.slug]),
        ),
    ]
    few = [_count(c, u) for c, u in pages]
    for _ in range(10):
        RecipeFactory(status="publisert", district=bjerke)
        RecipeFactory()
    recipe.projects.add(*[ProjectFactory(is_public=True) for _ in range(6)])
    for _ in range(6):
        LessonFactory(published=True).methods.set([recipe])
    assert [_count(c, u) for c, u in pages] == few


def test_a_recipe_called_ny_does_not_take_the_address_of_the_new_recipe_page(users):
    recipe = services.recipe_save(
        actor=users["secretariat"], title="Ny", summary="S", ingredients="I", steps="S"
    )
    assert recipe.slug == "ny-oppskrift"
    staff = _client(users["secretariat"])
    assert staff.get(reverse("knowledge:staff_recipe", args=[recipe.slug])).status_code == 200
