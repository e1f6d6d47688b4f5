import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.accounts.factories import make_user
from tests.browser.conftest import follow, visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_finds_an_area_and_switches_language(page):
    visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Områdeløft i Oslo")
    expect(page.locator(".area-card")).to_have_count(12)

    follow(page, lambda: page.get_by_role("link", name="Veitvet og Sletteløkka").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Veitvet og Sletteløkka")
    expect(page.get_by_text("2017–2026")).to_be_visible()

    follow(page, lambda: page.get_by_role("button", name="English").click())
    assert page.url.endswith("/en/omradeloft/veitvet-og-slettelokka/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Social life and volunteering")).to_be_visible()

    follow(page, lambda: page.get_by_role("button", name="Norsk nynorsk").click())
    expect(page.locator("html")).to_have_attribute("lang", "nn")

    follow(page, lambda: page.get_by_role("link", name=re.compile("Tilgjenge")).click())
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnholdet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_signup_with_errors_keeps_input_and_then_staff_login(page, bjerke):
    visit(page, "/accounts/signup/")
    page.get_by_label("E-post").fill("ny.beboer@example.org")
    page.get_by_label("Passord", exact=True).fill("kort")
    page.get_by_label("Passord (gjenta)").fill("annet")
    follow(page, lambda: page.get_by_role("button", name="Registrer deg").click())
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("E-post")).to_have_value("ny.beboer@example.org")

    leader = make_user("project_leader", bjerke, email="leder@example.org")
    leader.set_password(DEMO_PASSWORD)
    leader.save()
    visit(page, "/accounts/login/")
    page.get_by_label("E-post").fill("leder@example.org")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    follow(page, lambda: page.get_by_role("button", name="Logg inn").click())
    # Staff with an authenticator are asked for the code before they are signed in.
    assert "/accounts/2fa/authenticate/" in page.url
