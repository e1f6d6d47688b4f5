"""The decision letter: what forvaltningsloven requires is in the PDF the applicant downloads,
the applicant is emailed once, rendering is idempotent, and a failure is recorded, not lost."""

import subprocess
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from core import formatting
from grants import deadlines, letters, selectors, services, tasks
from grants.models import CaseEvent, Decision, GrantApplication, Recommendation
from tests.pdf import pdf_info, pdf_objects, pdf_text

from .factories import assessed

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def nb_date(day: date) -> str:
    with translation.override("nb"):
        return formats.date_format(day, "j. F Y")


def decide_and_send(
    users, django_capture_on_commit_callbacks, *, outcome=Recommendation.APPROVE, amount=None
) -> tuple[GrantApplication, Decision]:
    """A case decided by the programme leader; the letter task runs after commit (eagerly)."""
    application = assessed(users["case_handler"], recommendation=outcome, amount=amount)
    services.impartiality_declare(
        actor=users["programme_leader"], application=application, impartial=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_make(
            actor=users["programme_leader"],
            application=application,
            outcome=outcome,
            amount=amount,
            reasons=""
            if outcome == Recommendation.APPROVE
            else "Budsjettet i utlysningen er brukt opp på tiltak som når flere beboere.",
            conditions="Skiltet skal vise at tiltaket er støttet av områdeløftet.",
        )
    decision.refresh_from_db()
    application.refresh_from_db()
    return application, decision


def letter_text(decision: Decision) -> str:
    with decision.letter.open("rb") as handle:
        return pdf_text(handle.read())


def test_letter_granted_in_full_has_amount_deadlines_appeal_rights_and_norwegian_letters(
    users, django_capture_on_commit_callbacks
):
    application, decision = decide_and_send(users, django_capture_on_commit_callbacks)

    assert decision.letter_status == Decision.LetterStatus.READY
    assert application.status == S.GRANTED
    today = timezone.localdate()
    assert decision.appeal_deadline == deadlines.appeal_deadline(today)
    text = letter_text(decision)
    assert "Søknaden er innvilget" in text
    assert "40 000 kroner" in text
    assert f"Vår referanse: {application.reference}" in text
    assert (
        "Klagefristen er tre uker fra du mottok dette brevet, det vil si innen "
        f"{nb_date(decision.appeal_deadline)}" in text
    )
    assert "klage" in text.lower()
    for letter in "æøå":
        assert letter in text
    # The parties, the decision-maker and the rest of what forvaltningsloven asks for.
    assert application.organisation.name in text
    org_number = formatting.org_number(application.organisation.org_number)
    assert f"Org.nr. {org_number}" in text
    assert "Bydel Bjerke" in text
    assert users["programme_leader"].full_name in text
    assert decision.legal_basis in text
    assert "Skiltet skal vise at tiltaket er støttet av områdeløftet." in text
    assert f"innen {nb_date(application.accept_by)}" in text
    assert nb_date(application.round.report_deadline) in text
    assert decision.appeal_body in text
    assert "forvaltningsloven §§ 18 og 19" in text
    assert "§ 42" in text
    assert "skriftlig og undertegnet" in text
    assert reverse("grants:application_detail", args=[application.pk]) in text.replace(" ", "")


def test_letter_is_a_tagged_pdf_with_title_and_embedded_fonts(
    users, django_capture_on_commit_callbacks
):
    application, decision = decide_and_send(users, django_capture_on_commit_callbacks)
    with decision.letter.open("rb") as handle:
        pdf = handle.read()

    info = pdf_info(pdf)
    assert "Tagged:          yes" in info
    assert f"Vedtak om bomiljøtilskudd – {application.reference}" in info
    assert "A4" in info
    assert b"/Lang (nb)" in pdf_objects(pdf)
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows)  # embedded, subset, unicode


def test_letter_granted_in_part_gives_the_reasons_and_both_amounts(
    users, django_capture_on_commit_callbacks
):
    application, decision = decide_and_send(
        users,
        django_capture_on_commit_callbacks,
        outcome=Recommendation.PARTIAL,
        amount=25_000,
    )

    text = letter_text(decision)
    assert "Søknaden er delvis innvilget" in text
    assert "25 000 kroner" in text
    assert "Det ble søkt om 40 000 kroner" in text
    assert "Budsjettet i utlysningen er brukt opp på tiltak som når flere beboere." in text
    assert nb_date(decision.appeal_deadline) in text
    assert application.reference in text


def test_letter_rejected_gives_reasons_and_appeal_rights_but_no_conditions(
    users, django_capture_on_commit_callbacks
):
    application, decision = decide_and_send(
        users, django_capture_on_commit_callbacks, outcome=Recommendation.REJECT
    )

    text = letter_text(decision)
    assert "Søknaden er avslått" in text
    assert "Budsjettet i utlysningen er brukt opp" in text
    assert "Vilkår for tilskuddet" not in text
    assert "Utbetaling" not in text
    assert "Du kan klage på vedtaket" in text
    assert nb_date(decision.appeal_deadline) in text
    assert application.reference in text
    assert application.accept_by is None


def test_the_applicant_is_emailed_when_the_letter_is_ready(
    users, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    application, decision = decide_and_send(users, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert application.reference in message.subject
    assert application.applicant.email in message.to
    assert application.organisation.email in message.to
    assert reverse("grants:application_detail", args=[application.pk]) in message.body
    assert "40\xa0000\xa0kr" in message.body
    assert nb_date(decision.appeal_deadline) in message.body


def test_rendering_twice_neither_renders_nor_emails_again(
    users, django_capture_on_commit_callbacks
):
    application, decision = decide_and_send(users, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    with (
        mock.patch.object(letters, "render_letter_pdf") as render,
        django_capture_on_commit_callbacks(execute=True),
    ):
        name = tasks.render_decision_letter(decision.pk)

    render.assert_not_called()
    assert name == decision.letter.name
    assert len(mail.outbox) == sent
    assert (
        CaseEvent.objects.filter(application=application, kind=CaseEvent.Kind.LETTER_READY).count()
        == 1
    )


def test_a_letter_that_fails_is_marked_failed_and_the_decision_stands(
    users, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with mock.patch.object(letters, "render_letter_pdf", side_effect=RuntimeError("fonts missing")):
        application, decision = decide_and_send(users, django_capture_on_commit_callbacks)

    assert decision.letter_status == Decision.LetterStatus.FAILED
    assert "fonts missing" in decision.letter_error
    assert not decision.letter
    assert application.status == S.GRANTED
    assert mail.outbox == []
    # Fixed and run again (by staff or a retry), the letter comes and the applicant is told.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_decision_letter(decision.pk)
    decision.refresh_from_db()
    assert decision.letter_status == Decision.LetterStatus.READY
    assert decision.letter_error == ""
    assert len(mail.outbox) == 1


def test_letter_after_the_appeal_body_allows_an_appeal_says_it_is_final(
    users, django_capture_on_commit_callbacks
):
    leader = users["programme_leader"]
    application, decision = decide_and_send(
        users, django_capture_on_commit_callbacks, outcome=Recommendation.REJECT
    )
    services.appeal_submit(
        actor=application.organisation.memberships.first().user,
        application=application,
        text="Vi mener tiltaket oppfyller kravene.",
    )
    services.appeal_forward(actor=leader, application=application, assessment="Bydelen står fast.")
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_record_outcome(
            actor=leader,
            application=application,
            status="medhold",
            note="Klagenemnda mener tiltaket er et nytt tiltak, ikke vedlikehold.",
        )

    new = selectors.current_decision(application)
    assert new.on_appeal and new.supersedes_id == decision.pk
    text = letter_text(new)
    assert "har gitt medhold i klagen" in text
    assert "kan ikke påklages" in text
    assert "Klagefristen er tre uker" not in text
    assert "40 000 kroner" in text


def test_letter_may_load_its_own_files_only():
    fetcher = letters._asset_fetcher()

    outside = [
        "http://example.org/tracker.png",
        "file:///etc/passwd",
        (letters.ASSET_ROOT / ".." / "manage.py").as_uri(),
    ]
    for url in outside:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((letters.ASSET_ROOT / "css" / "letter.css").as_uri())
    assert b"@page" in response.read()
    response.close()


def test_kroner_groups_thousands_and_spells_out_the_currency():
    assert letters.kroner(40_000) == "40\xa0000\xa0kroner"
    assert letters.kroner(1_250_000) == "1\xa0250\xa0000\xa0kroner"
    assert letters.kroner(0) == "0\xa0kroner"
