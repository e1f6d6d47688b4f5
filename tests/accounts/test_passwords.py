"""Passwords people here would guess: common Norwegian ones, and the email's own first part."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.passwords import norwegian_common_passwords

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "passord123",
        "Passord123!",
        "PASSORD2024",
        "p4ssord1234",
        "123456passord",
        "omradeloft",
        "Områdeløft2026",
        "omraadeloeft!",
        "sommer2024",
        "Sommer2024!",
        "vinter12345",
        "Vålerenga1913",
        "valerenga!!!",
        "rosenborg1917",
        "hemmelig123",
        "jegelskerdeg",
        "Kjæreste2025",
        "kjaereste2025",
        "god jul 2024",
        "oslooslo1234",
        "Bjerke123456",
    ],
)
def test_common_norwegian_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(email="someone@example.org"))
    assert "password_too_common_norwegian" in {e.code for e in refused.value.error_list}


@pytest.mark.parametrize(
    "password",
    ["Riktig-hest-batteri-42", "kaffe-fjell-bok-lampe", "Omradeloft-demo-2026", "tusen-fjorder-9"],
)
def test_passwords_built_of_unrelated_words_pass(password):
    validate_password(password, User(email="someone@example.org"))


def test_the_list_holds_a_few_hundred_words():
    assert len(norwegian_common_passwords()) > 500


@pytest.mark.parametrize(
    "email, password",
    [
        ("kari.nordmann@example.org", "kari.nordmann"),
        ("kari.nordmann@example.org", "KariNordmann2024!"),
        ("kari.nordmann@example.org", "min-karinordmann-konto"),
        ("kari+tilskudd@example.org", "Kari-12345678"),
        ("bjørn.åsen@example.org", "Bjorn-Asen-2024-xx"),
    ],
)
def test_a_password_containing_the_email_local_part_is_refused(email, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(email=email))
    assert "password_contains_email_local_part" in {e.code for e in refused.value.error_list}


def test_a_short_local_part_is_refused_only_as_the_whole_password():
    validate_password("Solskinn-over-Groruddalen", User(email="ola@example.org"))
    with pytest.raises(ValidationError):
        validate_password("ola", User(email="ola@example.org"))


def test_signup_shows_the_norwegian_list_refusal_at_the_field_and_keeps_the_email(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "ny@example.org", "password1": "Passord2024!", "password2": "Passord2024!"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="ny@example.org").exists()
    errors = response.context["form"].errors
    assert "Dette passordet er for vanlig" in " ".join(errors["password1"])
    assert 'value="ny@example.org"' in response.content.decode()


@pytest.mark.parametrize(
    "prefix, text",
    [
        ("", "kan ikke inneholde e-postadressen din"),
        ("/nn", "kan ikkje innehalde e-postadressa di"),
        ("/en", "must not contain your email address"),
    ],
)
def test_signup_refuses_the_email_local_part_in_each_language(client, prefix, text):
    password = "Kari.Nordmann-2024"
    response = client.post(
        f"{prefix}/accounts/signup/",
        {"email": "kari.nordmann@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors["password1"])


def test_changing_to_a_common_norwegian_password_is_refused(client):
    from tests.accounts.factories import PASSWORD, UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "sommer2025!", "password2": "sommer2025!"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
