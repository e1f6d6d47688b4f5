"""A programme's long lists a page at a time: the measures on the public page and in the staff
preview, and the results' completed projects and indicators; the PDF keeps every row."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes import services
from programmes.compose import compose
from programmes.models import PlanLink
from programmes.paging import MEASURES_PER_PAGE, RESULTS_PER_PAGE, content_pages
from programmes.pdf import render_html
from tests.participation.factories import InputFactory

from .factories import MeasureFactory, ProgrammeFactory
from .test_public_views import on_hearing, page_url, publish

pytestmark = pytest.mark.django_db

MEASURE = re.compile(r'<article id="tiltak-(\d+)" class="programme-measure"')
TOC_MEASURE = re.compile(r'<li><a href="#tiltak-(\d+)" lang="nb">')


def _programme(count: int, year: int = 2027):
    first = MeasureFactory(programme=ProgrammeFactory(year=year))
    for _ in range(count - 1):
        MeasureFactory(programme=first.programme)
    return first.programme


def _numbers(pattern, body: str) -> list[int]:
    return [int(n) for n in pattern.findall(body)]


@pytest.fixture
def published(users):
    programme = _programme(MEASURES_PER_PAGE + 5)
    publish(programme, users["programme_leader"])
    return programme


def test_the_page_shows_a_page_of_measures_and_names_those_in_its_contents(client, published):
    body = client.get(page_url(published)).content.decode()
    shown = list(range(1, MEASURES_PER_PAGE + 1))
    assert _numbers(MEASURE, body) == shown
    assert _numbers(TOC_MEASURE, body) == shown
    assert f"Tiltak 1–{MEASURES_PER_PAGE} av {MEASURES_PER_PAGE + 5}." in body
    assert 'aria-label="Tiltak" class="pagination"' in body
    assert 'href="?tiltak-side=2#tiltak"' in body


def test_the_next_page_holds_the_rest(client, published):
    body = client.get(f"{page_url(published)}?tiltak-side=2").content.decode()
    rest = list(range(MEASURES_PER_PAGE + 1, MEASURES_PER_PAGE + 6))
    assert _numbers(MEASURE, body) == rest
    assert _numbers(TOC_MEASURE, body) == rest
    assert 'href="?tiltak-side=1#tiltak"' in body
    # The sections around the measures are on every page.
    assert 'id="risiko"' in body and 'id="resultater"' in body


@pytest.mark.parametrize("value", ["abc", "0", "-1", "999999999999999999999", "2.5", "%E2%80%93"])
def test_any_page_number_in_the_address_gives_a_page(client, published, value):
    response = client.get(f"{page_url(published)}?tiltak-side={value}")
    assert response.status_code == 200
    assert len(_numbers(MEASURE, response.content.decode())) in (5, MEASURES_PER_PAGE)


def test_the_page_is_the_same_size_whatever_the_number_of_measures(client, users, published):
    small = client.get(page_url(published)).content.decode()
    larger = _programme(3 * MEASURES_PER_PAGE, year=2028)
    publish(larger, users["programme_leader"])
    big = client.get(page_url(larger)).content.decode()
    assert len(_numbers(MEASURE, big)) == len(_numbers(MEASURE, small)) == MEASURES_PER_PAGE
    assert abs(len(big) - len(small)) < 0.05 * len(small)


def test_the_pdf_holds_every_measure(published):
    content = published.versions.get().content
    html = render_html(content)
    assert len(MEASURE.findall(html)) == MEASURES_PER_PAGE + 5


def test_the_staff_preview_pages_its_measures_too(client, users, published):
    client.force_login(users["programme_leader"])
    url = reverse("programmes:staff_programme", args=[published.pk])
    first = client.get(url).content.decode()
    second = client.get(f"{url}?tiltak-side=2").content.decode()
    assert _numbers(MEASURE, first) == list(range(1, MEASURES_PER_PAGE + 1))
    assert _numbers(MEASURE, second) == list(range(MEASURES_PER_PAGE + 1, MEASURES_PER_PAGE + 6))


def test_a_comment_on_a_later_measure_returns_to_its_page(client, users):
    programme = on_hearing(_programme(MEASURES_PER_PAGE + 2), users["project_leader"])
    client.force_login(users["resident"])
    target = f"tiltak-{MEASURES_PER_PAGE + 1}"
    response = client.post(
        reverse("programmes:comment", args=[programme.area.slug, programme.year]),
        {"target": target, "text": "Gjerne flere benker her."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?tiltak-side=2#{target}")
    body = client.get(response["Location"]).content.decode()
    assert body.index("Gjerne flere benker her.") > body.index(f'id="{target}"')
    # Not on the first page, which does not hold the measure.
    assert "Gjerne flere benker her." not in client.get(page_url(programme)).content.decode()


def test_a_plan_link_to_a_later_measure_goes_to_its_page(users):
    programme = _programme(MEASURES_PER_PAGE + 1)
    last = programme.measures.order_by("-position", "-pk").first()
    link = PlanLink.objects.create(
        input=InputFactory(area=programme.area), programme=programme, measure=last
    )
    number = MEASURES_PER_PAGE + 1
    assert link.get_absolute_url() == f"{page_url(programme)}?tiltak-side=2#tiltak-{number}"


def _with_results(programme, completed: int, indicators: int) -> dict:
    content = compose(programme)
    results = content["results"]
    results["projects_completed"] = [
        {"title": f"Ferdig prosjekt {n}", "end_date": "2024-06-01"} for n in range(completed)
    ]
    results["indicators"] = [
        {
            "project": f"Prosjekt {n}",
            "name": f"Indikator {n}",
            "unit": "personer",
            "baseline": "1",
            "value": "2",
            "target": "3",
        }
        for n in range(indicators)
    ]
    return content


def _partial(request, programme, content) -> str:
    context = {"programme": programme, "content": content, "heading": 2}
    context.update(content_pages(request, content))
    return render_to_string("programmes/partials/_content.html", context, request=request)


def test_long_results_are_paged_each_by_its_own_parameter(users):
    programme = _programme(1)
    content = _with_results(programme, RESULTS_PER_PAGE + 3, RESULTS_PER_PAGE + 4)
    request = RequestFactory().get("/", {"indikator-side": "2", "tiltak-side": "1"})
    html = _partial(request, programme, content)
    assert html.count("Ferdig prosjekt ") == RESULTS_PER_PAGE
    assert "Ferdig prosjekt 0 " in html
    assert html.count("Indikator ") == 4
    assert f"Indikator {RESULTS_PER_PAGE} " in html
    # Each list's links keep the other lists' pages.
    completed = "?indikator-side=2&amp;tiltak-side=1&amp;ferdige-side=2#ferdige-prosjekter"
    assert f'href="{completed}"' in html
    assert 'href="?tiltak-side=1&amp;indikator-side=1#indikatorer"' in html
    # One name for each list's links (no two navigation landmarks alike).
    labels = re.findall(r'<nav aria-label="([^"]+)" class="pagination">', html)
    assert len(labels) == len(set(labels)) == 2


def test_the_pdf_keeps_every_result_row(users):
    content = _with_results(_programme(1), RESULTS_PER_PAGE + 3, RESULTS_PER_PAGE + 4)
    html = render_html(content)
    assert html.count("Ferdig prosjekt ") == RESULTS_PER_PAGE + 3
    assert html.count("Indikator ") == RESULTS_PER_PAGE + 4


def test_a_published_version_s_content_is_read_once_for_all_its_pages(client, users, published):
    def content_reads(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return sum('"content"' in query["sql"] for query in ctx.captured_queries)

    page = page_url(published)
    content_reads(page)
    assert content_reads(f"{page}?tiltak-side=2") == 0
    # A new version is read anew, and shows what it says.
    leader = users["programme_leader"]
    programme = services.programme_revise(actor=leader, programme=published)
    services.programme_update(actor=leader, programme=programme, risks="Ny risiko i versjon 2.")
    publish(programme, leader)
    assert content_reads(page) == 1
    assert "Ny risiko i versjon 2." in client.get(page).content.decode()
