"""An appealed case is an open case: it is in the staff queue's default view with a marker and
the date to handle it by, it can be filtered for, and the district's staff and the appellant are
emailed when the appeal arrives."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from grants import deadlines, services
from grants.models import Appeal, Decision, GrantApplication, Recommendation
from tests.accounts.factories import make_user
from tests.grants.factories import decided, submitted

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def queue(client, query: str = "", language: str = "en") -> str:
    with translation.override(language):
        url = reverse("grants:staff_queue")
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")


def notified(application: GrantApplication) -> Decision:
    """The letter is out (as the letter task leaves it, without rendering a PDF)."""
    decision = application.decisions.get(superseded_by__isnull=True)
    decision.letter_status = Decision.LetterStatus.READY
    decision.notified_at = timezone.now()
    decision.appeal_deadline = timezone.localdate() + timedelta(weeks=3)
    decision.save()
    return decision


def rejected(users) -> GrantApplication:
    application = decided(
        users["case_handler"], users["programme_leader"], outcome=Recommendation.REJECT
    )
    notified(application)
    return application


def appealed(users, *, received_days_ago: int = 0) -> tuple[GrantApplication, Appeal]:
    application = rejected(users)
    appeal = services.appeal_submit(
        actor=application.applicant,
        application=application,
        text="Vi har dokumentert egenandelen; se vedlagt styrevedtak.",
    )
    if received_days_ago:
        Appeal.objects.filter(pk=appeal.pk).update(
            submitted_at=timezone.now() - timedelta(days=received_days_ago)
        )
    return application, appeal


# --- The deadline -------------------------------------------------------------------------------


def test_the_district_has_four_weeks_to_handle_an_appeal(settings):
    assert settings.GRANT_APPEAL_HANDLING_WEEKS == 4
    # Tuesday 3 March 2026 + four weeks is Tuesday 31 March, a working day.
    assert deadlines.appeal_handling_deadline(date(2026, 3, 3)) == date(2026, 3, 31)


def test_an_appeal_deadline_on_holidays_and_a_weekend_runs_to_the_next_working_day():
    # 3 Dec 2026 + 4 weeks = 31 Dec (a holiday here), then 1 Jan, then the weekend: Monday 4 Jan.
    assert deadlines.appeal_handling_deadline(date(2026, 12, 3)) == date(2027, 1, 4)
    # 6 Mar 2026 + 4 weeks = Friday 3 April 2026, langfredag; 2. påskedag follows the weekend.
    assert deadlines.appeal_handling_deadline(date(2026, 3, 6)) == date(2026, 4, 7)


def test_the_handling_period_is_a_setting(settings):
    settings.GRANT_APPEAL_HANDLING_WEEKS = 2
    assert deadlines.appeal_handling_deadline(date(2026, 3, 3)) == date(2026, 3, 17)


# --- The queue ----------------------------------------------------------------------------------


def test_an_appealed_case_is_in_the_default_queue_with_its_marker_and_deadline(client, users):
    application, appeal = appealed(users)
    quiet = rejected(users)  # decided, not appealed: no longer the district's to handle
    client.force_login(users["case_handler"])

    html = queue(client)

    assert application.reference in html
    assert quiet.reference not in html
    row = html.split(application.reference, 1)[1].split("</tr>", 1)[0]
    assert '<span class="pkt-tag queue-appeal">Appeal</span>' in row
    assert "Received" in row  # the appeal's stage, in words
    due = deadlines.appeal_handling_deadline(timezone.localdate())
    assert f"Handle the appeal by {due:%d.%m.%Y}" in row
    assert "overdue" not in row


def test_the_marker_reads_klage_on_the_norwegian_queue(client, users):
    appealed(users)
    client.force_login(users["programme_leader"])

    html = queue(client, language="nb")

    assert '<span class="pkt-tag queue-appeal">Klage</span>' in html
    assert "Behandle klagen innen" in html


def test_an_appeal_not_handled_in_time_is_marked_overdue(client, users):
    application, _ = appealed(users, received_days_ago=40)
    client.force_login(users["case_handler"])

    row = queue(client).split(application.reference, 1)[1].split("</tr>", 1)[0]

    assert "(overdue)" in row
    assert 'class="overdue"' in row


def test_the_queue_filters_for_appeals_and_their_stage(client, users):
    with_district, _ = appealed(users)
    forwarded, _ = appealed(users)
    services.appeal_forward(
        actor=users["programme_leader"],
        application=forwarded,
        assessment="Egenandelen er fortsatt under 30 prosent.",
    )
    plain = submitted()
    client.force_login(users["case_handler"])

    default = queue(client)
    for case in (with_district, forwarded, plain):
        assert case.reference in default
    forwarded_row = default.split(forwarded.reference, 1)[1].split("</tr>", 1)[0]
    assert "With the appeal body" in forwarded_row
    assert "Handle the appeal by" not in forwarded_row

    under_appeal = queue(client, "?appeal=klage")
    assert with_district.reference in under_appeal
    assert forwarded.reference in under_appeal
    assert plain.reference not in under_appeal
    assert "2 cases" in under_appeal

    district = queue(client, "?appeal=bydel")
    assert with_district.reference in district and forwarded.reference not in district

    body = queue(client, "?appeal=klageinstans")
    assert forwarded.reference in body and with_district.reference not in body

    # The filter sits in the queue's filter form, labelled.
    assert 'for="id_appeal">Appeals' in default
    assert '<option value="klage">Under appeal</option>' in default


def test_a_settled_appeal_leaves_the_default_queue(client, users):
    application, _ = appealed(users)  # the programme leader declared impartiality to decide
    services.appeal_change_decision(
        actor=users["programme_leader"],
        application=application,
        outcome=Recommendation.APPROVE,
        assessment="Egenandelen er dokumentert.",
    )
    client.force_login(users["case_handler"])

    assert application.reference not in queue(client)
    assert application.reference not in queue(client, "?appeal=klage")
    assert application.reference in queue(client, "?status=all")


def test_another_districts_staff_do_not_see_the_appeal(client, users):
    application, _ = appealed(users)
    client.force_login(users["other_district_leader"])

    assert application.reference not in queue(client, "?appeal=klage")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?appeal=klage"])
def test_queue_queries_stay_flat_with_more_appeals(client, users, query):
    client.force_login(users["case_handler"])
    with translation.override("en"):
        url = reverse("grants:staff_queue") + query
    appealed(users)
    submitted()
    small = _count(client, url)
    for i in range(6):
        appealed(users, received_days_ago=40 if i % 2 else 0)
        submitted()
    assert Appeal.objects.count() == 7
    assert _count(client, url) == small


# --- The emails ---------------------------------------------------------------------------------


def test_the_districts_staff_and_the_appellant_are_emailed_when_an_appeal_arrives(
    users, bjerke, django_capture_on_commit_callbacks
):
    handler, leader = users["case_handler"], users["programme_leader"]
    handler.language = "nn"
    handler.save(update_fields=["language"])
    second_handler = make_user("case_handler", bjerke, language="en")
    application = rejected(users)
    applicant = application.applicant
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_submit(
            actor=applicant, application=application, text="Vi er uenige i avslaget."
        )

    by_recipient = {to: message for message in mail.outbox for to in message.to}
    # The district's case handlers and programme leader; not the project leader, not another
    # district's programme leader.
    staff = {handler.email, leader.email, second_handler.email}
    assert staff <= set(by_recipient)
    assert users["project_leader"].email not in by_recipient
    assert users["other_district_leader"].email not in by_recipient
    due = deadlines.appeal_handling_deadline(timezone.localdate(appeal.submitted_at))

    in_english = by_recipient[second_handler.email]
    assert f"Appeal received in {application.reference}: handle by {due:%d.%m.%Y}" in (
        in_english.subject
    )
    assert application.organisation.name in in_english.body
    assert f"/en/intern/tilskudd/saker/{application.pk}/" in in_english.body

    in_nynorsk = by_recipient[handler.email]
    assert f"Klage motteken i {application.reference}" in in_nynorsk.subject
    in_bokmal = by_recipient[leader.email]
    assert f"Klage mottatt i {application.reference}" in in_bokmal.subject
    assert f"/intern/tilskudd/saker/{application.pk}/" in in_bokmal.body

    receipt = by_recipient[applicant.email]
    assert receipt.subject.endswith(f"We have received your appeal in {application.reference}")
    assert f"{due:%-d}" in receipt.body and str(due.year) in receipt.body
    assert "The district considers the case again" in receipt.body
    assert f"/en/tilskudd/soknader/{application.pk}/" in receipt.body


def test_a_late_appeal_says_so_in_both_emails(users, django_capture_on_commit_callbacks):
    application = rejected(users)
    Decision.objects.filter(application=application).update(
        appeal_deadline=timezone.localdate() - timedelta(days=2)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_submit(
            actor=application.applicant, application=application, text="Vi ble syke."
        )

    staff = next(m for m in mail.outbox if users["case_handler"].email in m.to)
    receipt = next(m for m in mail.outbox if application.applicant.email in m.to)
    assert "etter klagefristen" in staff.body
    assert "etter fristen" in receipt.body


def test_a_refused_appeal_emails_nobody(users, django_capture_on_commit_callbacks):
    application = rejected(users)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.appeal_submit(actor=application.applicant, application=application, text=" ")

    assert mail.outbox == []
    assert not Appeal.objects.exists()


def test_the_district_is_told_once_even_when_a_send_fails_and_is_tried_again(
    users, bjerke, monkeypatch, django_capture_on_commit_callbacks
):
    """A retry after a failed send (the SMTP server went away half-way) reaches only those not
    yet written to; running the task again writes to nobody twice."""
    from grants import tasks

    users["case_handler"].language = "nn"
    users["case_handler"].save(update_fields=["language"])
    application = rejected(users)
    with django_capture_on_commit_callbacks(execute=False):
        appeal = services.appeal_submit(
            actor=application.applicant, application=application, text="Vi er uenige."
        )
    mail.outbox.clear()

    real_send, calls = tasks.send_mail, []

    def send_then_fail(subject, body, sender, recipients, **kwargs):
        calls.append(list(recipients))
        if len(calls) == 2:
            raise OSError("SMTP server went away")
        return real_send(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", send_then_fail)
    with pytest.raises(OSError):
        tasks.send_appeal_to_district.run(appeal.pk)
    first_reached = {to for message in mail.outbox for to in message.to}
    assert len(first_reached) == 1  # one language group went out before the failure

    monkeypatch.setattr(tasks, "send_mail", real_send)
    tasks.send_appeal_to_district.run(appeal.pk)  # the retry
    tasks.send_appeal_to_district.run(appeal.pk)  # and once more, by a sweep or a double send
    reached = [to for message in mail.outbox for to in message.to]
    staff = {users["case_handler"].email, users["programme_leader"].email}
    assert sorted(reached) == sorted(staff)  # everyone once, nobody twice
