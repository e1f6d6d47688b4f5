"""The budget step in a real browser: a too-low own share stops "Lagre og gå videre" on the step,
with the message at its field and focus on the error summary, and nothing typed is lost.
The same focus after a failed submit elsewhere: an organisation with a bad number, and the
property question left unanswered. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import follow, visit
from tests.grants.factories import GrantRoundFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def resident_login(page, email: str) -> None:
    visit(page, "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    follow(page, lambda: page.locator("main form button[type=submit]").last.click())


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.fixture
def draft(page):
    from grants import services

    user = UserFactory(email="styret@veitvet.example.org")
    application = services.application_start(
        actor=user,
        grant_round=GrantRoundFactory(min_own_share_percent=30),
        organisation=OrganisationFactory(member=user),
    )
    resident_login(page, user.email)
    return application


def test_a_too_low_own_share_stays_at_its_field_with_focus_on_the_summary(page, draft):
    url = f"/tilskudd/soknader/{draft.pk}/steg/budsjett/"
    visit(page, url)
    page.locator("#id_lines-0-description").fill("Lekeapparater")
    page.locator("#id_lines-0-amount").fill("80000")
    page.locator("#id_own_contribution").fill("10000")  # 12.5 %
    page.locator("#id_other_funding").fill("30000")
    page.locator("#id_amount_applied").fill("40000")
    page.locator("#id_dugnad_hours").fill("25")
    follow(page, lambda: page.locator("button[value=continue]").click())

    assert page.url.endswith(url)  # still on the budget step
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_have_attribute("tabindex", "-1")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("minst 30 %")

    own = page.locator("#id_own_contribution")
    expect(own).to_have_attribute("aria-invalid", "true")
    described = own.get_attribute("aria-describedby").split()
    assert "id_own_contribution_error" in described
    message = page.locator("#id_own_contribution_error")
    expect(message).to_contain_text("minst 30 %")
    expect(message).to_contain_text("24 000 kr")

    # Nothing typed is lost.
    expect(page.locator("#id_lines-0-description")).to_have_value("Lekeapparater")
    expect(page.locator("#id_lines-0-amount")).to_have_value("80000")
    expect(own).to_have_value("10000")
    expect(page.locator("#id_other_funding")).to_have_value("30000")
    expect(page.locator("#id_amount_applied")).to_have_value("40000")
    expect(page.locator("#id_dugnad_hours")).to_have_value("25")

    # The summary's link takes the keyboard to the field.
    summary.locator("a[href='#id_own_contribution']").click()
    assert page.url.endswith("#id_own_contribution")

    # Fixed, the step lets the applicant go on.
    own.fill("30000")
    page.locator("#id_other_funding").fill("10000")
    follow(page, lambda: page.locator("button[value=continue]").click())
    assert f"/tilskudd/soknader/{draft.pk}/steg/vedlegg/" in page.url
    assert page.locator(".error-summary").count() == 0


def test_the_property_question_is_not_answered_for_the_applicant(page, draft):
    visit(page, f"/tilskudd/soknader/{draft.pk}/steg/tiltak/")
    radios = page.locator("input[name=on_own_property]")
    expect(radios).to_have_count(2)
    for n in range(2):
        expect(radios.nth(n)).not_to_be_checked()
    page.locator("#id_title").fill("Benker i bakgården")
    follow(page, lambda: page.locator("button[value=continue]").click())
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_on_own_property_error")).to_contain_text(
        "Svar på om tiltaket er på organisasjonens egen eiendom"
    )
    expect(page.locator("#id_title")).to_have_value("Benker i bakgården")


def test_focus_moves_to_the_error_summary_after_any_failed_submit(page, draft):
    visit(page, "/tilskudd/organisasjoner/ny/")
    page.locator("#id_name").fill("Veitvet velforening")
    page.locator("#id_org_number").fill("123")
    follow(page, lambda: page.locator("main form.grant-form button[type=submit]").click())
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("Veitvet velforening")
