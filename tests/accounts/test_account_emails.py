"""The account emails are the portal's own, in the language of the page the person used: no
"Hello from 127.0.0.1:8000!", no stock allauth text."""

import re

import pytest
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STOCK = ("Hello from", "Hei fra", "Thank you for using", "127.0.0.1", "example.com")


def only_mail():
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    for stock in STOCK:
        assert stock not in message.subject and stock not in message.body, stock
    return message


@pytest.mark.parametrize(
    ("prefix", "subject", "greeting", "signature", "link_text"),
    [
        ("", "Bekreft e-postadressen din", "Hei,", "Vennlig hilsen", "Åpne denne lenken"),
        ("/nn", "Stadfest e-postadressa di", "Hei,", "Venleg helsing", "Opne denne lenkja"),
        ("/en", "Confirm your email address", "Hello,", "Best regards,", "Open this link"),
    ],
)
def test_sign_up_verification_email_is_branded_in_the_pages_language(
    client, prefix, subject, greeting, signature, link_text
):
    response = client.post(
        f"{prefix}/accounts/signup/",
        {"email": "ny@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    message = only_mail()
    assert message.subject == f"[Områdeløft] {subject}"
    assert message.body.startswith(greeting)
    assert "Områdeløft Oslo" in message.body and signature in message.body
    assert link_text in message.body
    assert re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)


def test_password_reset_email_is_branded(client):
    UserFactory(email="kari@example.org")
    client.post("/accounts/password/reset/", {"email": "kari@example.org"})
    message = only_mail()
    assert message.subject == "[Områdeløft] Sett et nytt passord"
    assert "Noen har bedt om å sette et nytt passord" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "Passordet ditt blir ikke endret" in message.body


def test_reset_for_an_unknown_address_is_branded(client, settings):
    settings.ACCOUNT_PREVENT_ENUMERATION = True
    client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    message = only_mail()
    assert message.subject == "[Områdeløft] No account with this email address"
    assert "nobody@example.org" in message.body and "/accounts/signup/" in message.body


def test_signing_up_again_with_a_known_address_is_branded(client):
    UserFactory(email="kjent@example.org")
    client.post(
        "/accounts/signup/",
        {"email": "kjent@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    message = only_mail()
    assert message.subject == "[Områdeløft] Du har allerede en konto"
    assert "kjent@example.org" in message.body and "/accounts/password/reset/" in message.body
