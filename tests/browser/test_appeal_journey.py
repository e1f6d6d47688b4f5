"""An appeal is never lost, in the Norwegian interface.

A resident's application is rejected. On the case page the decision letter is first being
prepared, and the page follows it (htmx) until the letter is ready; then the resident appeals.
The appellant gets a receipt and the district's staff an email; the case handler finds the case
in the queue's default view with its "Klage" marker and the date to handle it by, and with the
queue's appeal filter. axe-core checks every page, also after the letter status is swapped in.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from grants import deadlines, letters, services, tasks
from grants.models import Appeal, Decision, GrantApplication, Recommendation
from tests.accounts.factories import PASSWORD, UserFactory, make_user
from tests.browser.conftest import follow, staff_login, submit, visit
from tests.grants.factories import MINIMAL_PDF, OrganisationFactory, decided

pytestmark = pytest.mark.django_db(transaction=True)


class NotYet:
    """The letter task while the case is set up: it has not run yet (as after the decision)."""

    name = "grants.render_decision_letter"

    def delay(self, *args):
        pass


def test_resident_appeals_and_the_case_is_in_the_handlers_default_queue(
    page, second_page, bjerke, monkeypatch
):
    handler = make_user("case_handler", bjerke, email="saksbehandler@example.org")
    leader = make_user("programme_leader", bjerke, email="leder@example.org")
    make_user("project_leader", bjerke, email="prosjekt@example.org")
    resident = UserFactory(email="styret@veitvet.example.org")
    organisation = OrganisationFactory(name="Veitvet borettslag", member=resident)
    monkeypatch.setattr(letters, "render_letter_pdf", lambda decision, **kw: MINIMAL_PDF)
    with monkeypatch.context() as setup:
        setup.setattr(tasks, "render_decision_letter", NotYet())
        application = decided(
            handler, leader, resident, outcome=Recommendation.REJECT, organisation=organisation
        )
    decision = Decision.objects.get(application=application)
    assert decision.letter_status == Decision.LetterStatus.PENDING

    # --- The resident follows the letter on the case page -------------------------------------
    visit(page, "/accounts/login/")
    page.locator("#id_login").fill(resident.email)
    page.locator("#id_password").fill(PASSWORD)
    follow(page, lambda: page.locator("form button[type=submit]").last.click())
    case_path = f"/tilskudd/soknader/{application.pk}/"
    visit(page, case_path)
    status = page.locator(f"#letter-status-{decision.pk}")
    expect(status).to_contain_text("Vedtaksbrevet blir laget")
    expect(status.get_by_role("link", name="Last inn siden på nytt")).to_have_attribute(
        "href", f"{case_path}#decision-{decision.pk}"
    )

    services.decision_letter_render(decision_id=decision.pk)  # what the worker does

    letter = status.get_by_role("link", name=re.compile("Last ned vedtaksbrevet"))
    expect(letter).to_be_visible(timeout=15_000)  # swapped in by htmx, no reload
    assert page.url.endswith(case_path)
    expect(status).not_to_have_attribute("hx-get", re.compile(".+"))
    page.axe.check()  # the page again, as it is after the swap

    # --- The resident appeals ---------------------------------------------------------------
    visit(page, case_path)
    follow(page, lambda: page.get_by_role("link", name="Klag på vedtaket").click())
    submit(page, "main form")  # empty: the message is at the field, nothing sent
    expect(page.locator("#id_text")).to_have_attribute("aria-invalid", "true")
    page.locator("#id_text").fill("Vi har dokumentert egenandelen i styrevedtaket.")
    mail.outbox.clear()
    submit(page, "main form")
    assert page.url.split("#")[0].endswith(case_path)
    expect(page.locator("main")).to_contain_text("Mottatt")
    appeal = Appeal.objects.get(application=application)
    assert appeal.status == Appeal.Status.RECEIVED

    # --- Both sides are told ----------------------------------------------------------------
    handle_by = deadlines.appeal_handling_deadline(timezone.localdate(appeal.submitted_at))
    by_recipient = {to: m for m in mail.outbox for to in m.to}
    receipt = by_recipient[resident.email]
    assert f"Vi har mottatt klagen din i {application.reference}" in receipt.subject
    for staff in (handler, leader):
        told = by_recipient[staff.email]
        assert f"Klage mottatt i {application.reference}" in told.subject
        assert f"{handle_by:%d.%m.%Y}" in told.subject
    assert "prosjekt@example.org" not in by_recipient

    # --- The case handler finds it in the default queue -----------------------------------------
    staff_page = second_page()
    staff_login(staff_page, handler.email)
    visit(staff_page, "/intern/tilskudd/")
    row = staff_page.locator("tr", has_text=application.reference)
    expect(row.locator(".queue-appeal")).to_have_text("Klage")
    expect(row).to_contain_text(f"Behandle klagen innen {handle_by:%d.%m.%Y}")
    staff_page.locator("#id_appeal").select_option("klage")
    follow(staff_page, lambda: staff_page.locator("form.filter-form button[type=submit]").click())
    expect(staff_page.locator("tbody tr")).to_have_count(1)
    expect(staff_page.locator("tbody tr")).to_contain_text(application.reference)
    follow(
        staff_page,
        lambda: staff_page.get_by_role("link", name=application.reference).click(),
    )
    expect(staff_page.locator("main")).to_contain_text("Vi har dokumentert egenandelen")
    # The appeal reopened the case for the district without touching the decision in force.
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.REJECTED
