"""A project's pages show the residents' input taken up into it: what was said and what became
of it — only input shown publicly, never who gave it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.models import Input
from projects import selectors
from projects.models import Project
from tests.participation.factories import InputFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _taken_up(project: Project, **kwargs) -> Input:
    fields = {
        "taken_into_project": project,
        "follow_up": Input.FollowUp.TAKEN_UP,
        "author_name": "Kari Nordmann",
        "author_email": "kari.nordmann@example.no",
        "consent": True,
    }
    return InputFactory(**(fields | kwargs))


def test_the_public_project_page_shows_the_input_taken_up_into_it(client):
    project = ProjectFactory()
    other = ProjectFactory()
    _taken_up(project, text="Lys på stien til skolen, takk!", response="Vi setter opp lys i mai.")
    _taken_up(project, text="Dette er skjult.", moderation=Input.Moderation.HIDDEN)
    _taken_up(project, text="Dette venter på moderering.", moderation=Input.Moderation.PENDING)
    _taken_up(other, text="Benker ved et annet tiltak.")
    InputFactory(project=project, text="Bare om prosjektet, ikke tatt inn.")

    html = client.get(project.get_absolute_url()).content.decode()

    assert "Dette sa dere – dette gjorde vi" in html
    assert "Lys på stien til skolen, takk!" in html
    assert "Vi setter opp lys i mai." in html and "Tatt inn" in html
    for absent in [
        "Dette er skjult.",
        "Dette venter på moderering.",
        "Benker ved et annet tiltak.",
        "Bare om prosjektet, ikke tatt inn.",
        "Kari Nordmann",
        "kari.nordmann@example.no",
    ]:
        assert absent not in html, absent

    english = client.get(f"/en{project.get_absolute_url()}").content.decode()
    assert "What you said – what we did" in english and "Taken up" in english


def test_a_project_with_no_input_taken_up_shows_no_such_section(client):
    project = ProjectFactory()
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Dette sa dere" not in html


def test_the_staff_project_page_shows_it_too_without_personal_data(client, users):
    project = ProjectFactory()
    _taken_up(project, text="Flere benker ved Veitvet senter.")
    _taken_up(project, text="Skjult innspill.", moderation=Input.Moderation.HIDDEN)
    client.force_login(users["project_leader"])

    html = client.get(f"/intern/prosjekter/{project.slug}/").content.decode()

    assert "Dette sa dere – dette gjorde vi" in html
    assert "Flere benker ved Veitvet senter." in html
    assert "Skjult innspill." not in html
    assert "Kari Nordmann" not in html and "kari.nordmann@example.no" not in html


def test_the_selector_costs_one_query_for_one_input_and_for_many(django_assert_num_queries):
    project = ProjectFactory()
    _taken_up(project)
    with django_assert_num_queries(1):
        assert len(selectors.inputs_taken_up(project)) == 1
    for _ in range(6):
        _taken_up(project)
    with django_assert_num_queries(1):
        items = selectors.inputs_taken_up(project)
        assert len(items) == 7
        assert all(item.get_follow_up_display() for item in items)  # nothing fetched later


@pytest.mark.parametrize("page", ["public", "staff"])
def test_the_project_pages_cost_the_same_queries_with_one_input_and_many(client, users, page):
    project = ProjectFactory()
    client.force_login(users["project_leader"])
    url = project.get_absolute_url() if page == "public" else f"/intern/prosjekter/{project.slug}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _taken_up(project)
    one = queries()
    for _ in range(8):
        _taken_up(project, response="Vi gjorde det.")
    assert queries() == one


def _page_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_project_page_shows_a_page_of_the_input_with_its_number_and_no_more_queries(client):
    """A project that took up hundreds of inputs shows ten a page, their number counted by the
    database, in as many queries and about as many bytes as a project with a dozen."""
    from projects.views import INPUTS_PAGE_SIZE

    project = ProjectFactory()
    for n in range(12):
        _taken_up(project, text=f"Innspill nummer {n:03d}.")
    queries_few, html_few = _page_queries(client, project.get_absolute_url())
    for n in range(12, 40):
        _taken_up(project, text=f"Innspill nummer {n:03d}.")
    queries_many, html = _page_queries(client, project.get_absolute_url())

    assert queries_many == queries_few
    assert html.count('class="input-item__text"') == INPUTS_PAGE_SIZE
    assert "40 innspill fra innbyggerne ble tatt inn" in html
    assert abs(len(html) - len(html_few)) < 200
    assert 'side=2#inputs-heading"' in html
    _q, second = _page_queries(client, project.get_absolute_url() + "?side=4")
    assert second.count('class="input-item__text"') == 40 - 3 * INPUTS_PAGE_SIZE
    # Nonsense page numbers are the first or the last page, never an error.
    for side in ("x", "999", "-1"):
        assert client.get(project.get_absolute_url() + f"?side={side}").status_code == 200
