"""Search: inflections find each other, what a searcher may not see is never found, and the
page costs the same number of queries however much there is to search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search import engine
from tests.accounts.factories import make_user
from tests.participation.factories import EventFactory, area
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

VEITVET = "veitvet-og-slettelokka"
ALNA_AREA = "trosterud-og-haugerud"


def _search(client, q, **params):
    return client.get(reverse("search:search"), {"q": q, **params})


def _titles(response) -> list[str]:
    return [hit.title for group in response.context["groups"] for hit in group["hits"]]


@pytest.mark.parametrize(
    "word, stem",
    [("benker", "benk"), ("benkene", "benk"), ("møteplassene", "møteplass"), ("lek", "lek")],
)
def test_the_fallback_stems_norwegian_words(word, stem):
    assert engine.stem(word) == stem


@pytest.mark.parametrize("query", ["benk", "benker", "benkene", "BENKER"])
def test_an_inflection_finds_the_project(client, query):
    ProjectFactory(
        title="Nye benker på torget",
        summary="Vi setter opp en benk ved lekeplassen.",
        is_public=True,
    )
    ProjectFactory(title="Skatepark", summary="Ramper og rails.", is_public=True)
    assert _titles(_search(client, query)) == ["Nye benker på torget"]


@pytest.mark.postgres
def test_postgres_ranks_with_the_norwegian_configuration(client):
    assert connection.vendor == "postgresql"
    ProjectFactory(title="Belysning", summary="Lys langs stien forbi benkene.", is_public=True)
    ProjectFactory(title="Benker i parken", summary="Nye benker.", is_public=True)
    # Snowball's Norwegian stemmer: "benker" and "benkene" are both "benk"; the title weighs more.
    assert _titles(_search(client, "benk")) == ["Benker i parken", "Belysning"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('norwegian', 'benkene') @@ to_tsquery('norwegian', 'benker')"
        )
        assert cursor.fetchone()[0] is True


def test_what_the_searcher_may_not_see_is_never_found(client, bjerke):
    ProjectFactory(title="Hemmelig benkeplan", is_public=False)
    EventFactory(title="Benkemøte i utkast", status="utkast", areas=[area(VEITVET)])
    EventFactory(title="Åpent benkemøte", areas=[area(VEITVET)])
    assert _titles(_search(client, "benkeplan")) == []
    assert _titles(_search(client, "benkemøte")) == ["Åpent benkemøte"]
    # The district's staff find their own internal project, marked as internal.
    client.force_login(make_user("project_leader", bjerke))
    response = _search(client, "benkeplan")
    (hit,) = [h for g in response.context["groups"] for h in g["hits"]]
    assert hit.internal and "/intern/" in hit.url


def test_staff_of_another_district_do_not_find_internal_projects(client, alna):
    ProjectFactory(title="Hemmelig benkeplan", is_public=False)  # in Bjerke
    client.force_login(make_user("project_leader", alna))
    assert _titles(_search(client, "benkeplan")) == []


def _queries(client, q) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _search(client, q).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"type": "prosjekter"}])
def test_the_page_costs_the_same_queries_however_many_hits(client, params):
    ProjectFactory(title="Benk 0", is_public=True)
    EventFactory(title="Benkemøte 0", areas=[area(VEITVET)])
    few = _queries(client, "benk")
    for n in range(1, 30):
        ProjectFactory(title=f"Benk {n}", summary="Om benker.", is_public=True)
        EventFactory(title=f"Benkemøte {n}", areas=[area(VEITVET)])
    many = _queries(client, "benk")
    assert many == few
    assert len(_titles(_search(client, "benk", **params))) <= 20


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "benk", "type": "ukjent"},
        {"q": "benk", "side": "99999999999999999999"},
    ],
)
def test_bad_input_gets_a_message_or_the_first_page(client, params):
    response = client.get(reverse("search:search"), params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.context["form"].errors


def test_every_page_has_the_search_box(client):
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search:search")}"' in page and 'role="search"' in page


def test_an_empty_search_shows_the_form_only(client):
    response = client.get(reverse("search:search"))
    assert response.status_code == 200 and response.context["groups"] == []
