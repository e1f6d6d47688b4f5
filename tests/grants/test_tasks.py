"""Background work: reminders before the acceptance and report deadlines, lapsing grants not
accepted in time, re-sending letters a lost message left pending, and the applicant's emails."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from grants import selectors, services, tasks
from grants.models import (
    CaseEvent,
    CaseMessage,
    Decision,
    GrantApplication,
    Invitation,
    Recommendation,
)

from .factories import OrganisationFactory, decided, letter_sent, submitted

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def granted(users, *, accept_in_days: int, **kwargs) -> GrantApplication:
    """A granted case whose letter has gone out; the acceptance deadline ``accept_in_days`` on."""
    application = letter_sent(decided(users["case_handler"], users["programme_leader"], **kwargs))
    GrantApplication.objects.filter(pk=application.pk).update(
        accept_by=timezone.localdate() + timedelta(days=accept_in_days)
    )
    application.refresh_from_db()
    return application


def accepted(users, *, report_in_days: int) -> GrantApplication:
    application = granted(users, accept_in_days=20)
    services.grant_accept(actor=application.applicant, application=application)
    application.round.report_deadline = timezone.localdate() + timedelta(days=report_in_days)
    application.round.save(update_fields=["report_deadline"])
    application.refresh_from_db()
    return application


def nb_date(day) -> str:
    with translation.override("nb"):
        return formats.date_format(day, "j. F Y")


def case_url(application) -> str:
    return settings.SITE_URL + reverse("grants:application_detail", args=[application.pk])


def reminders(application, about: str) -> list[CaseEvent]:
    return [
        e
        for e in CaseEvent.objects.filter(application=application, kind=CaseEvent.Kind.REMINDER)
        if e.data.get("about") == about
    ]


def emails_about(application) -> list:
    return [m for m in mail.outbox if application.reference in m.subject]


# reminders -------------------------------------------------------------------------------------


def test_acceptance_reminder_goes_once_within_seven_days_of_the_deadline(
    users, django_capture_on_commit_callbacks
):
    due = granted(users, accept_in_days=5)
    later = granted(users, accept_in_days=10)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_reminders()

    assert first["acceptance"] == 1 and second["acceptance"] == 0
    assert len(reminders(due, "acceptance")) == 1
    assert reminders(later, "acceptance") == []
    [message] = emails_about(due)
    assert due.applicant.email in message.to
    assert reverse("grants:application_detail", args=[due.pk]) in message.body
    assert nb_date(due.accept_by) in message.body
    assert emails_about(later) == []


def test_report_reminder_goes_once_before_the_report_deadline(
    users, django_capture_on_commit_callbacks
):
    application = accepted(users, report_in_days=10)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
        services.reminders_send()

    assert len(reminders(application, "report")) == 1
    [message] = emails_about(application)
    assert reverse("grants:application_detail", args=[application.pk]) in message.body
    application.refresh_from_db()
    assert application.report_reminder_sent_at is not None


def test_no_report_reminder_while_the_deadline_is_far_off(users):
    application = accepted(users, report_in_days=60)

    assert services.reminders_send()["report"] == 0
    assert reminders(application, "report") == []


def test_a_grant_not_accepted_in_time_lapses_and_the_applicant_is_told(
    users, django_capture_on_commit_callbacks
):
    application = granted(users, accept_in_days=-1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.reminders_send()

    application.refresh_from_db()
    assert counts["lapsed"] == 1
    assert application.status == S.LAPSED
    assert application.closed_at is not None
    assert CaseEvent.objects.filter(application=application, kind=CaseEvent.Kind.LAPSED).exists()
    [message] = emails_about(application)
    assert nb_date(application.accept_by) in message.body
    # Running again changes nothing.
    assert services.reminders_send()["lapsed"] == 0


def test_a_grant_under_appeal_does_not_lapse(users):
    application = granted(users, accept_in_days=-1, outcome=Recommendation.PARTIAL, amount=20_000)
    services.appeal_submit(
        actor=application.applicant, application=application, text="Vi trenger hele beløpet."
    )

    counts = services.reminders_send()

    application.refresh_from_db()
    assert counts["lapsed"] == 0
    assert application.status == S.GRANTED


def test_an_accepted_grant_gets_no_acceptance_reminder_and_never_lapses(users):
    application = granted(users, accept_in_days=3)
    services.grant_accept(actor=application.applicant, application=application)
    GrantApplication.objects.filter(pk=application.pk).update(
        accept_by=timezone.localdate() - timedelta(days=2)
    )

    counts = services.reminders_send()

    application.refresh_from_db()
    assert counts["acceptance"] == 0 and counts["lapsed"] == 0
    assert application.status == S.ACCEPTED


# letters left pending --------------------------------------------------------------------------


def test_sweep_renders_stale_and_recently_failed_letters_and_leaves_the_rest(users, caplog):
    # Without a commit the task never ran: as if the broker lost the message.
    def decision():
        return selectors.current_decision(decided(users["case_handler"], users["programme_leader"]))

    stale, fresh, failed, failed_long_ago = decision(), decision(), decision(), decision()
    Decision.objects.filter(pk__in=[stale.pk, failed.pk]).update(
        decided_at=timezone.now() - timedelta(minutes=30)
    )
    Decision.objects.filter(pk=failed_long_ago.pk).update(
        decided_at=timezone.now() - timedelta(days=2)
    )
    Decision.objects.filter(pk__in=[failed.pk, failed_long_ago.pk]).update(
        letter_status=Decision.LetterStatus.FAILED
    )

    assert tasks.sweep_pending_letters() == 2

    statuses = dict(Decision.objects.values_list("pk", "letter_status"))
    assert statuses[stale.pk] == Decision.LetterStatus.READY
    assert statuses[failed.pk] == Decision.LetterStatus.READY
    assert statuses[fresh.pk] == Decision.LetterStatus.PENDING
    assert statuses[failed_long_ago.pk] == Decision.LetterStatus.FAILED
    assert "failed for more than a day" in caplog.text
    assert tasks.sweep_pending_letters() == 0


# emails ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", sorted(tasks.EMAIL_TEMPLATES))
def test_every_email_names_the_reference_and_links_to_the_case_page(users, template):
    application = letter_sent(
        decided(
            users["case_handler"],
            users["programme_leader"],
            title="Benker & bord til «Tunet»",
        )
    )
    mail.outbox.clear()

    assert tasks.send_applicant_email(application.pk, template) == 1

    [message] = mail.outbox
    assert application.reference in message.subject
    assert "\n" not in message.subject
    assert case_url(application) in message.body
    assert "&amp;" not in message.body and "&#" not in message.body
    assert "{{" not in message.body and "{%" not in message.body
    assert sorted(message.to) == sorted(
        {application.organisation.email, application.applicant.email}
    )


def test_receipt_says_what_happens_next_and_goes_once(users):
    application = submitted()
    mail.outbox.clear()

    tasks.send_applicant_email(application.pk, "receipt")
    tasks.send_applicant_email(application.pk, "receipt")

    [message] = mail.outbox
    body = message.body
    assert application.reference in body
    assert "40\xa0000\xa0kr" in body
    assert str(application.round.acceptance_days) in body
    assert nb_date(application.round.report_deadline) in body
    numbered = [line for line in body.splitlines() if line[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert len(numbered) == 5
    application.refresh_from_db()
    assert application.receipt_sent_at is not None


def test_info_request_email_gives_the_answer_date(users):
    application = submitted()
    handler = users["case_handler"]
    services.case_take(actor=handler, application=application)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    reply_by = timezone.localdate() + timedelta(days=10)
    services.info_request(
        actor=handler, application=application, body="Send et kart.", reply_by=reply_by
    )
    assert CaseMessage.objects.filter(application=application).exists()
    mail.outbox.clear()

    tasks.send_applicant_email(application.pk, "info_request")

    [message] = mail.outbox
    assert nb_date(reply_by) in message.body
    # The request itself is read on the case page, not sent around by email.
    assert "Send et kart." not in message.body


def test_unknown_email_template_is_refused(users):
    application = submitted()
    with pytest.raises(ValueError):
        tasks.send_applicant_email(application.pk, "../../settings")


def test_invitation_email_links_to_the_invitation_and_says_who_invites(
    django_capture_on_commit_callbacks,
):
    from tests.accounts.factories import UserFactory

    admin = UserFactory(full_name="Kari Styreleder")
    organisation = OrganisationFactory(member=admin, name="Tunet & Hagen borettslag")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=admin, organisation=organisation, email="nabo@example.org"
        )

    [message] = mail.outbox
    assert message.to == ["nabo@example.org"]
    assert "Tunet & Hagen borettslag" in message.subject
    assert "Kari Styreleder" in message.body
    assert reverse("grants:invitation_accept", args=[invitation.token]) in message.body
    # An invitation already used is not sent again.
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    assert tasks.send_invitation_email(invitation.pk) == 0


def test_a_letter_lost_on_the_way_is_sent_again_a_minute_after_its_decision(users):
    from omradelos.celery import app

    def decision():
        return selectors.current_decision(decided(users["case_handler"], users["programme_leader"]))

    lost, just_made = decision(), decision()
    Decision.objects.filter(pk=lost.pk).update(decided_at=timezone.now() - timedelta(seconds=70))
    Decision.objects.filter(pk=just_made.pk).update(
        decided_at=timezone.now() - timedelta(seconds=30)
    )

    assert tasks.sweep_pending_letters() == 1

    statuses = dict(Decision.objects.values_list("pk", "letter_status"))
    assert statuses[lost.pk] == Decision.LetterStatus.READY
    assert statuses[just_made.pk] == Decision.LetterStatus.PENDING
    # Beat runs the sweeps every minute: a lost letter waits a minute or two, not a quarter.
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["grants.sweep_pending_letters"] == 60
    assert schedule["grants.sweep_pending_receipts"] == 60


def test_a_receipt_not_sent_is_sent_by_the_sweep_once(users):
    waiting, long_ago, sent = submitted(), submitted(), submitted()
    a_while = timezone.now() - timedelta(minutes=2)
    GrantApplication.objects.filter(pk__in=[waiting.pk, long_ago.pk]).update(
        receipt_sent_at=None, submitted_at=a_while
    )
    GrantApplication.objects.filter(pk=long_ago.pk).update(
        submitted_at=timezone.now() - timedelta(days=2)
    )
    GrantApplication.objects.filter(pk=sent.pk).update(
        submitted_at=a_while, receipt_sent_at=timezone.now()
    )
    mail.outbox.clear()

    assert tasks.sweep_pending_receipts() == 1

    assert len(mail.outbox) == 1
    assert waiting.applicant.email in mail.outbox[0].to
    assert waiting.reference in mail.outbox[0].subject + mail.outbox[0].body
    assert tasks.sweep_pending_receipts() == 0
