import pytest
from django.urls import reverse
from django.utils import translation

from areas.models import Area

pytestmark = pytest.mark.django_db

LANGUAGE_PREFIXES = {"nb": "", "nn": "/nn", "en": "/en"}


@pytest.mark.parametrize("lang", LANGUAGE_PREFIXES)
def test_home_lists_the_twelve_areas_grouped_by_programme_and_district(client, lang):
    response = client.get(f"{LANGUAGE_PREFIXES[lang]}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    groups = response.context["programme_groups"]
    assert [g.programme.name for g in groups] == [
        "Groruddalssatsingen",
        "Oslo sør-satsingen",
        "Oslo indre øst-satsingen",
    ]
    assert sum(g.area_count for g in groups) == 12
    groruddalen = groups[0]
    assert [d.district.name for d in groruddalen.districts] == [
        "Bjerke",
        "Grorud",
        "Stovner",
        "Alna",
    ]
    for area in Area.objects.all():
        assert area.name in html


def test_home_is_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/")


@pytest.mark.parametrize("lang", LANGUAGE_PREFIXES)
def test_every_area_page_answers_in_every_language(client, lang):
    for area in Area.objects.all():
        with translation.override(lang):
            url = area.get_absolute_url()
        assert url.startswith(f"{LANGUAGE_PREFIXES[lang]}/omradeloft/")
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert area.name in html
        assert area.period in html


def test_area_page_shows_period_phase_district_and_sub_goals(client):
    response = client.get("/omradeloft/veitvet-og-slettelokka/")

    html = response.content.decode()
    assert "Bydel Bjerke (09)" in html
    assert "2017–2026" in html
    assert "Sosialt liv og frivillighet" in html
    assert "Ny kommunal praksis" in html


def test_area_page_in_english_uses_english_goal_titles(client):
    html = client.get("/en/omradeloft/romsas/").content.decode()

    assert "Social life and volunteering" in html
    assert "Sosialt liv og frivillighet" not in html


def test_unpublished_and_unknown_areas_are_404(client):
    Area.objects.filter(slug="romsas").update(is_published=False)

    assert client.get("/omradeloft/romsas/").status_code == 404
    assert client.get("/omradeloft/finnes-ikke/").status_code == 404
    assert "Romsås" not in client.get("/").content.decode()


@pytest.mark.parametrize("name", ["accessibility", "privacy"])
@pytest.mark.parametrize("lang", LANGUAGE_PREFIXES)
def test_statements_are_published_and_linked_from_every_page(client, name, lang):
    with translation.override(lang):
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    home = client.get(f"{LANGUAGE_PREFIXES[lang]}/").content.decode()
    assert f'href="{url}"' in home


def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/omradeloft/romsas/"})

    assert response.status_code == 302
    assert response["Location"] == "/nn/omradeloft/romsas/"


def test_sitemap_lists_public_pages_in_all_languages(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    for area in Area.objects.all():
        assert f"/omradeloft/{area.slug}/" in xml
        assert f"/nn/omradeloft/{area.slug}/" in xml
        assert f"/en/omradeloft/{area.slug}/" in xml
    assert "/tilgjengelighet/" in xml
    assert "/intern/" not in xml
    assert "/admin/" not in xml


def test_base_layout_has_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


@pytest.mark.parametrize(
    ("start", "language", "target"),
    [
        ("/en/omradeloft/romsas/", "nn", "/nn/omradeloft/romsas/"),
        ("/en/omradeloft/romsas/", "nb", "/omradeloft/romsas/"),
        ("/nn/tilgjengelighet/", "en", "/en/tilgjengelighet/"),
    ],
)
def test_language_switch_from_any_language(client, start, language, target):
    client.cookies["omradelos_language"] = "en"
    response = client.post("/i18n/setlang/", {"language": language, "next": start})

    assert response["Location"] == target
    assert client.get(target).content.decode().count(f'<html lang="{language}">') == 1
