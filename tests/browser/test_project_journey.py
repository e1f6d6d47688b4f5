"""A project leader signs in with two factors, registers a project and its progress, and the
public page shows it. axe-core checks every page on the way."""

import pytest
from playwright.sync_api import expect

from participation.models import Input
from projects.models import Project
from tests.accounts.factories import PASSWORD, make_user
from tests.browser.conftest import follow, visit
from tests.browser.totp import TOTP_SECRET, totp_now
from tests.participation.factories import InputFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_project_leader_registers_a_project_and_the_public_page_shows_it(page, bjerke):
    make_user("project_leader", bjerke, email="leder@example.org", full_name="Lise Leder")

    visit(page, "/accounts/login/")
    page.get_by_label("E-post").fill("leder@example.org")
    page.get_by_label("Passord").fill(PASSWORD)
    follow(page, lambda: page.get_by_role("button", name="Logg inn").click())
    assert "/accounts/2fa/authenticate/" in page.url
    page.get_by_label("Kode").fill(totp_now(TOTP_SECRET, valid_for=10))
    follow(page, lambda: page.get_by_role("button", name="Logg inn").click())

    visit(page, "/intern/")
    follow(page, lambda: page.get_by_role("link", name="Prosjekter").last.click())
    follow(page, lambda: page.get_by_role("link", name="Nytt prosjekt").click())
    page.get_by_label("Område").select_option(label="Linderud")
    page.get_by_label("Tittel").fill("Lys på snarveien")
    page.get_by_label("Sammendrag").fill("Belysning på snarveien til skolen, ønsket av beboerne.")
    page.get_by_label("Bomiljø", exact=False).first.check()
    page.get_by_label("Status").select_option(label="Pågår")
    page.get_by_label("Start").fill("2026-03-01")
    follow(page, lambda: page.get_by_role("button", name="Lagre").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Lys på snarveien")

    milestone = page.locator("#milestone")
    milestone.get_by_label("Tittel").fill("Lyktestolper satt opp")
    milestone.get_by_label("Frist").fill("2026-10-01")
    follow(page, lambda: milestone.get_by_role("button").click())
    page.get_by_role("button", name="Merk som fullført").click()
    page.wait_for_load_state()
    page.axe.check()

    indicator = page.locator("#indicator")
    indicator.get_by_label("Navn").fill("Lyspunkter")
    indicator.get_by_label("Enhet").fill("stolper")
    indicator.get_by_label("Målverdi").fill("12")
    follow(page, lambda: indicator.get_by_role("button").click())
    measurement = page.locator("form.small-form").filter(has_text="Lyspunkter")
    measurement.get_by_label("Verdi").fill("12")
    follow(page, lambda: measurement.get_by_role("button").click())

    update = page.locator("#update")
    update.get_by_label("Tekst").fill("Alle tolv lyktestolpene lyser nå.")
    update.get_by_label("Offentlig").check()
    follow(page, lambda: update.get_by_role("button").click())

    follow(page, lambda: page.get_by_role("link", name="Offentlig side").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Lys på snarveien")
    expect(page.get_by_text("Alle tolv lyktestolpene lyser nå.")).to_be_visible()
    expect(page.get_by_text("Lyktestolper satt opp")).to_be_visible()
    expect(page.get_by_role("cell", name="12 stolper")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "100")

    # What residents said that was taken up in the project shows on its page, without names.
    project = Project.objects.get(title="Lys på snarveien")
    InputFactory(
        area=project.area,
        text="Det er så mørkt på snarveien om vinteren.",
        author_name="Kari Nordmann",
        taken_into_project=project,
        follow_up=Input.FollowUp.TAKEN_UP,
        response="Vi satte opp tolv lyktestolper.",
    )
    visit(page, project.get_absolute_url())
    expect(page.get_by_role("heading", name="Dette sa dere – dette gjorde vi")).to_be_visible()
    expect(page.get_by_text("Det er så mørkt på snarveien om vinteren.")).to_be_visible()
    expect(page.get_by_text("Kari Nordmann")).to_have_count(0)

    # The history, written on bokmål pages, reads in English with labels and dates.
    visit(page, f"/en/intern/prosjekter/{project.slug}/historikk/")
    expect(page.get_by_text("Milestone done: Lyktestolper satt opp")).to_be_visible()
    expect(page.get_by_text("Done on:")).to_be_visible()
