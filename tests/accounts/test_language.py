"""Emails are written in the language a person uses: we remember it when they sign in on a page
in that language and when they switch language."""

import pytest
from django.core import mail
from django.urls import reverse

from grants import tasks as grant_tasks
from participation.models import Registration
from tests.accounts.factories import PASSWORD, UserFactory
from tests.grants.factories import submitted
from tests.participation.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_signing_in_on_a_nynorsk_page_remembers_nynorsk(client):
    user = UserFactory(email="kari@example.org")
    client.post("/nn/accounts/login/", {"login": "kari@example.org", "password": PASSWORD})
    user.refresh_from_db()
    assert user.language == "nn"


def test_switching_language_is_remembered_for_a_signed_in_person(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_a_case_email_reaches_each_member_in_their_own_language(users):
    from grants.models import Membership

    application = submitted()
    nynorsk = application.applicant  # started the application
    nynorsk.language = "nn"
    nynorsk.save(update_fields=["language"])
    english = UserFactory(language="en")
    Membership.objects.create(organisation=application.organisation, user=english)
    mail.outbox.clear()

    grant_tasks.send_applicant_email(application.pk, "info_request", {})

    by_recipient = {tuple(sorted(m.to)): m for m in mail.outbox}
    # The organisation's own address follows the language of whoever started the application.
    nn_mail = by_recipient[tuple(sorted([nynorsk.email, application.organisation.email]))]
    en_mail = by_recipient[(english.email,)]
    assert len(mail.outbox) == 2
    assert f"/nn/tilskudd/soknader/{application.pk}/" in nn_mail.body
    assert f"/en/tilskudd/soknader/{application.pk}/" in en_mail.body
    assert nn_mail.body != en_mail.body
    assert application.reference in nn_mail.subject and application.reference in en_mail.subject


def test_a_guest_who_registers_in_english_is_written_to_in_english(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/medvirkning/{event.slug}/pamelding/",
            {"name": "Sam Guest", "email": "sam@example.org", "people": 1},
        )
    registration = Registration.objects.get(email="sam@example.org")
    assert registration.language == "en"
    [message] = mail.outbox
    assert "/en/medvirkning/pamelding/" in message.body
    assert "Confirm" in message.body or "confirm" in message.body
