"""Search in the documents (title, summary and the PDF's text), the lessons learned and the
method recipes: inflections find each other, internal knowledge is found by staff alone, and
the page costs the same queries however much there is."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowledge.simple_pdf import simple_pdf
from tests.accounts.factories import make_user
from tests.knowledge.factories import DocumentFactory, LessonFactory, RecipeFactory

pytestmark = pytest.mark.django_db


def _search(client, q, **params):
    return client.get(reverse("search:search"), {"q": q, **params})


def _hits(response, key=None) -> list:
    return [
        hit
        for group in response.context["groups"]
        if key is None or group["source"].key == key
        for hit in group["hits"]
    ]


def _titles(response, key=None) -> list[str]:
    return [hit.title for hit in _hits(response, key)]


def _document(title, text, **kwargs):
    return DocumentFactory(
        title=title,
        text=text,
        file=ContentFile(simple_pdf([text]), name="x.pdf"),
        **kwargs,
    )


@pytest.mark.parametrize("query", ["benk", "benker", "benkene"])
def test_a_document_is_found_by_its_pdf_text(client, query):
    _document("Årsrapport 2025", "Nye benker og belysning langs stien.")
    _document("Stedsanalyse", "Om grøntarealer.")
    assert _titles(_search(client, query), "dokumenter") == ["Årsrapport 2025"]


@pytest.mark.parametrize("query", ["benk", "benker"])
def test_a_published_lesson_and_recipe_are_found_by_another_inflection(client, query):
    LessonFactory(
        title="Naboene tok benkene i bruk", worked="Benkene ble en møteplass.", published=True
    )
    RecipeFactory(
        title="Benkedugnad",
        summary="Bygg benker sammen med naboene.",
        status="publisert",
    )
    response = _search(client, query)
    assert _titles(response, "erfaringer") == ["Naboene tok benkene i bruk"]
    assert _titles(response, "oppskrifter") == ["Benkedugnad"]
    (lesson,) = _hits(response, "erfaringer")
    assert not lesson.internal and lesson.url.startswith("/erfaringer/")


def test_internal_knowledge_is_found_by_staff_of_every_district_only(client, alna, users):
    LessonFactory(title="Intern benkeerfaring", worked="Om benker.")
    _document("Internt benkenotat", "Benker.", is_public=False)
    RecipeFactory(title="Benkeoppskrift i utkast", summary="Benker.")
    for user in (None, users["resident"]):
        if user is not None:
            client.force_login(user)
        assert _titles(_search(client, "benkeerfaring")) == []
        assert _titles(_search(client, "benkenotat")) == []
        assert _titles(_search(client, "benkeoppskrift")) == []
    client.force_login(make_user("project_leader", alna))  # another district than the lesson's
    for q, title in [
        ("benkeerfaring", "Intern benkeerfaring"),
        ("benkenotat", "Internt benkenotat"),
        ("benkeoppskrift", "Benkeoppskrift i utkast"),
    ]:
        (hit,) = _hits(_search(client, q))
        assert hit.title == title and hit.internal and hit.url.startswith("/intern/")


def _queries(client, q, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _search(client, q, **params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("key", ["", "dokumenter", "erfaringer", "oppskrifter"])
@pytest.mark.parametrize("staff", [False, True])
def test_the_page_costs_the_same_queries_however_many_hits(client, users, key, staff):
    if staff:
        client.force_login(users["case_handler"])

    def add(n):
        _document(f"Benkerapport {n}", "Om benker.")
        _document(f"Internt benkenotat {n}", "Om benker.", is_public=False)
        LessonFactory(title=f"Benkeerfaring {n}", worked="Benker.", published=True)
        LessonFactory(title=f"Intern benkeerfaring {n}", worked="Benker.")
        RecipeFactory(title=f"Benkeoppskrift {n}", status="publisert")
        RecipeFactory(title=f"Benkeutkast {n}")

    add(0)
    few = _queries(client, "benk", type=key)
    for n in range(1, 25):
        add(n)
    assert _queries(client, "benk", type=key) == few


@pytest.mark.parametrize(
    "params",
    [
        {"q": "benk\x00"},
        {"q": "x" * 10_000},
        {"q": "benk", "type": "erfaringer", "side": "99999999999999999999"},
        {"q": "benk", "type": "dokumenter", "side": "-3"},
        {"q": "benk", "type": "oppskrifter", "side": "1e9"},
    ],
)
def test_bad_input_never_fails(client, params):
    LessonFactory(title="Benk", published=True)
    response = client.get(reverse("search:search"), params)
    assert response.status_code in (200, 400)


# --- PostgreSQL: the Norwegian configuration ------------------------------------------------


@pytest.mark.postgres
def test_postgres_stems_documents_lessons_and_recipes_in_norwegian(client):
    assert connection.vendor == "postgresql"
    _document("Årsrapport", "Vi satte opp benkene langs gangveien.")
    LessonFactory(title="Møteplassene", worked="Benkene samlet naboene.", published=True)
    RecipeFactory(
        title="Dugnad", summary="Bygg en benk sammen.", steps="Snekre benkene", status="publisert"
    )
    response = _search(client, "benker")
    assert _titles(response, "dokumenter") == ["Årsrapport"]
    assert _titles(response, "erfaringer") == ["Møteplassene"]
    assert _titles(response, "oppskrifter") == ["Dugnad"]
    # "møteplass" finds "Møteplassene" only through the stemmer (no shared prefix trick).
    assert _titles(_search(client, "møteplass"), "erfaringer") == ["Møteplassene"]


@pytest.mark.postgres
def test_postgres_ranks_a_documents_title_before_its_pdf_text(client):
    assert connection.vendor == "postgresql"
    _document("Belysning", "Lys ved benkene.")
    _document("Benker i parken", "Om parken.")
    _document("Nye benker", "Benker, benker og benker.", summary="Om benker.")
    titles = _titles(_search(client, "benk", type="dokumenter"))
    assert titles[-1] == "Belysning"
    assert set(titles[:2]) == {"Benker i parken", "Nye benker"}
