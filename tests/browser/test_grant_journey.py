"""A grant from first visit to closed case, in the Norwegian interface.

A resident signs up, registers the housing co-operative, applies with an attachment; the case
handler takes the case, declares impartiality and assesses it; the programme leader decides;
the applicant downloads the decision letter (amount, appeal deadline, æøå), accepts; the district
registers the payment; the applicant sends the final report; the district approves it and the
case closes. Each person has a browser of their own, and axe-core checks every page each one sees.
"""

import re

import pytest
from django.core import mail
from django.utils import formats, timezone
from playwright.sync_api import expect

from areas.models import Area
from grants import deadlines
from grants.models import GrantApplication
from tests.accounts.factories import PASSWORD, make_user
from tests.browser.conftest import follow, staff_login, submit, visit
from tests.grants.factories import (
    DEFAULT_AREA_SLUG,
    MINIMAL_PDF,
    VALID_ACCOUNT,
    GrantRoundFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

S = GrantApplication.Status


def test_resident_applies_and_the_case_runs_to_closed(page, second_page, bjerke):
    grant_round = GrantRoundFactory(title="Bomiljøtilskudd 2026", max_amount=300_000)
    make_user("case_handler", bjerke, email="saksbehandler@example.org", full_name="Siri Sak")
    make_user("programme_leader", bjerke, email="leder@example.org", full_name="Per Leder")

    # --- The resident signs up and confirms the email address --------------------------------
    visit(page, "/")
    follow(page, lambda: page.locator("header nav a[href='/tilskudd/']").click())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit(page, "/accounts/signup/")
    page.locator("#id_email").fill("styret@slettelokka.example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    visit(page, link)
    follow(page, lambda: page.locator("main form button[type=submit]").click())

    # --- Registers the housing co-operative: a bad orgnr first, then the right one -----------
    visit(page, "/tilskudd/organisasjoner/ny/")
    page.locator("#id_name").fill("Sletteløkka borettslag")
    page.locator("#id_org_number").fill("923 609 017")
    page.locator("#id_account_number").fill(VALID_ACCOUNT)
    page.locator("input[name=kind][value=borettslag]").check()
    page.locator("#id_address").fill("Sletteløkka 10")
    page.locator("#id_postcode").fill("0597")
    page.locator("#id_email").fill("styret@slettelokka.example.org")
    submit(page, "main form.grant-form")
    expect(page.locator("#id_org_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_value("Sletteløkka borettslag")
    page.locator("#id_org_number").fill("923 609 016")
    submit(page, "main form.grant-form")

    # --- Applies, step by step -------------------------------------------------------------
    visit(page, f"/tilskudd/utlysning/{grant_round.slug}/")
    follow(page, lambda: page.locator(f"main a[href$='/{grant_round.slug}/sok/']").first.click())
    page.locator("input[name=organisation]").first.check()
    submit(page, "main form")
    follow(page, lambda: page.locator("button[value=continue]").click())  # organisation

    page.locator("#id_title").fill("Ny lekeplass i bakgården")
    page.locator("#id_description").fill("Lekeplass for barna i borettslaget, ønsket av beboerne.")
    page.locator("#id_sub_goal").select_option(index=2)
    page.locator("#id_area").select_option(str(Area.objects.get(slug=DEFAULT_AREA_SLUG).pk))
    page.locator("#id_location").fill("Bakgården, Sletteløkka 10")
    page.locator("input[name=on_own_property][value=True]").check()
    page.locator("#id_target_group").fill("Barnefamilier")
    page.locator("#id_expected_participants").fill("60")
    page.locator("#id_resident_involvement").fill("Beboermøte i mars med 40 deltakere.")
    start = timezone.localdate() + timezone.timedelta(days=30)
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill((start + timezone.timedelta(days=90)).isoformat())
    follow(page, lambda: page.locator("button[value=continue]").click())

    page.locator("#id_lines-0-description").fill("Lekeapparater")
    page.locator("#id_lines-0-amount").fill("70000")
    page.locator("#id_lines-1-description").fill("Fallunderlag")
    page.locator("#id_lines-1-amount").fill("30000")
    page.locator("#id_own_contribution").fill("50000")
    page.locator("#id_other_funding").fill("10000")
    page.locator("#id_amount_applied").fill("40000")
    page.locator("#id_dugnad_hours").fill("120")
    follow(page, lambda: page.locator("button[value=continue]").click())

    page.locator("#id_kind").select_option("styrevedtak")
    page.locator("#id_file").set_input_files(
        files=[{"name": "styrevedtak.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    follow(page, lambda: page.locator("button[value=continue]").click())
    if "/steg/vedlegg/" in page.url:  # uploading keeps the applicant on the step
        expect(page.get_by_text("styrevedtak.pdf")).to_be_visible()
        follow(page, lambda: page.locator("button[value=continue]").click())
    assert "/steg/oppsummering/" in page.url
    follow(page, lambda: page.locator("form[action$='/send/'] button[type=submit]").click())
    application = GrantApplication.objects.get()
    assert application.status == S.SUBMITTED
    expect(page.locator("main")).to_contain_text(application.reference)
    assert any(application.reference in m.body for m in mail.outbox)

    # --- The case handler takes, declares impartiality, assesses, proposes ----------------
    handler = second_page()
    staff_login(handler, "saksbehandler@example.org")
    visit(handler, "/intern/tilskudd/")
    follow(handler, lambda: handler.get_by_role("link", name=application.reference).click())
    submit(handler, "#take")
    handler.locator("input[name='impartiality-impartial'][value=yes]").check()
    submit(handler, "#impartiality")
    for i in range(len(grant_round.criteria_list)):
        handler.locator(f"#id_assess-score_{i}").select_option("4")
    handler.locator("#id_assess-recommendation").select_option("innvilg")
    handler.locator("#id_assess-internal_notes").fill("Godt forankret blant beboerne.")
    submit(handler, "#assess")
    submit(handler, "#propose")
    application.refresh_from_db()
    assert application.status == S.PROPOSED

    # --- The programme leader declares impartiality and decides ------------------------------
    leader = second_page()
    staff_login(leader, "leder@example.org")
    visit(leader, f"/intern/tilskudd/saker/{application.pk}/")
    leader.locator("input[name='impartiality-impartial'][value=yes]").check()
    submit(leader, "#impartiality")
    leader.locator("input[name='decide-outcome'][value=innvilg]").check()
    leader.locator("#id_decide-conditions").fill("Lekeplassen skal være åpen for alle beboere.")
    submit(leader, "#decide")
    application.refresh_from_db()
    assert application.status == S.GRANTED

    # --- The applicant downloads the letter and accepts -------------------------------------
    visit(page, "/tilskudd/soknader/")
    follow(page, lambda: page.get_by_role("link", name=re.compile(application.reference)).click())
    letter_link = page.locator("main a[href$='brev.pdf']").first
    expect(letter_link).to_be_visible()
    response = page.context.request.get(letter_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    deadline = deadlines.appeal_deadline(timezone.localdate())
    assert "40 000" in text
    assert formats.date_format(deadline, "j. F Y", use_l10n=True) in text or (
        deadline.strftime("%d.%m.%Y") in text
    )
    assert "æ" in text and "ø" in text and "å" in text
    assert "Sletteløkka borettslag" in text

    follow(page, lambda: page.locator("main a[href$='/aksepter/']").first.click())
    page.locator("#id_confirm").check()
    submit(page, "main form")
    application.refresh_from_db()
    assert application.status == S.ACCEPTED

    # --- The district registers the payment ---------------------------------------------------
    visit(leader, f"/intern/tilskudd/saker/{application.pk}/")
    leader.locator("#id_payment-amount").fill("40000")
    leader.locator("#id_payment-paid_on").fill(timezone.localdate().isoformat())
    submit(leader, "#payment")
    assert application.payments.get().amount == 40_000

    # --- The applicant reports; the district approves and the case closes -------------------
    visit(page, f"/tilskudd/soknader/{application.pk}/")
    follow(page, lambda: page.locator("main a[href$='/sluttrapport/']").first.click())
    page.locator("#id_what_was_done").fill("Lekeplassen ble bygget på dugnad og åpnet i juni.")
    page.locator("#id_participants").fill("75")
    page.locator("#id_dugnad_hours").fill("140")
    for field in page.locator("main form input[name^='actual_']").all():
        field.fill("35000")
    submit(page, "main form.grant-form")
    application.refresh_from_db()
    assert application.status == S.REPORT_SUBMITTED

    visit(handler, f"/intern/tilskudd/saker/{application.pk}/")
    handler.locator("input[name='report_review-approve'][value=yes]").check()
    submit(handler, "#report_review")
    application.refresh_from_db()
    assert application.status == S.CLOSED

    visit(page, f"/tilskudd/soknader/{application.pk}/")
    expect(page.locator(".grant-timeline [aria-current=step]")).to_contain_text(str(S.CLOSED.label))
