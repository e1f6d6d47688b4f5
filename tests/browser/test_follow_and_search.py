"""A resident follows their area from its page and confirms by the link in the email; a visitor
finds a project from the search box in the header by another inflection of a word in it.
axe-core checks every page each of them sees."""

import re

import pytest
from django.core import mail

from following.models import Follower
from tests.browser.conftest import follow, submit, visit
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

VEITVET = "veitvet-og-slettelokka"


def test_a_resident_follows_the_area_and_confirms_by_email(page):
    visit(page, f"/omradeloft/{VEITVET}/")
    follow(page, lambda: page.get_by_role("link", name=re.compile("Følg området")).click())
    assert page.locator(f"input[name=areas][value={VEITVET}]").is_checked()
    page.locator("#id_email").fill("nabo@example.org")
    page.get_by_label("Daglig").check()
    submit(page, "main form")
    assert "/folg/sendt/" in page.url
    (message,) = [m for m in mail.outbox if m.to == ["nabo@example.org"]]
    path = re.search(r"https?://[^/\s]+(/\S*folg/bekreft/\S+)", message.body).group(1)
    visit(page, path)
    submit(page, "main form")
    follower = Follower.objects.get(email="nabo@example.org")
    assert follower.is_confirmed and follower.frequency == "daglig"
    assert f"/folg/{follower.token}/" in page.url
    assert page.get_by_text("Du følger nå områdene du valgte").is_visible()


def test_a_visitor_finds_a_project_by_another_inflection(page):
    ProjectFactory(
        title="Nye benker på Sletteløkka torg",
        summary="Benkene settes opp før sommeren.",
        is_public=True,
    )
    visit(page, "/")
    page.locator("#site-search").fill("benk")
    follow(page, lambda: page.locator("header form[role=search] button").click())
    assert page.get_by_role("link", name="Nye benker på Sletteløkka torg").is_visible()
