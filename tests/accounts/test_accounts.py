import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail

from accounts import services
from accounts.models import RoleAssignment, User
from tests.accounts.factories import PASSWORD, UserFactory, make_user
from tests.browser.totp import totp_now

pytestmark = pytest.mark.django_db


def test_signup_needs_email_verification_before_login(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "Ny.Beboer@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="ny.beboer@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)

    client.logout()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" in response["Location"]

    client.post(link.split("testserver")[-1])
    assert EmailAddress.objects.get(user=user).verified


def test_login_by_email_and_wrong_password_keeps_what_was_typed(client):
    user = UserFactory(email="kari@example.org")
    response = client.post("/accounts/login/", {"login": "kari@example.org", "password": "feil"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="kari@example.org"' in html
    assert 'role="alert"' in html

    response = client.post("/accounts/login/", {"login": "kari@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_logins_are_rate_limited_per_account(client):
    UserFactory(email="kari@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "kari@example.org", "password": "feil"})

    # Even the right password is refused until the limit has passed.
    response = client.post("/accounts/login/", {"login": "kari@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_login_requests_are_rate_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post("/accounts/login/", {"login": f"x{n}@example.org", "password": "x"}).status_code
        for n in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_password_reset_sends_a_mail(client):
    UserFactory(email="kari@example.org")
    response = client.post("/accounts/password/reset/", {"email": "kari@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


# Transactional: allauth announces a new authenticator once it is committed, as in production.
def test_staff_without_totp_must_enrol_before_anything_else(transactional_db, client, bjerke):
    leader = make_user("project_leader", bjerke, totp=False)
    response = client.post("/accounts/login/", {"login": leader.email, "password": PASSWORD})
    assert response.status_code == 302

    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before a second factor is added.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/nn/").status_code == 302

    # Setting up TOTP takes a code from the new authenticator: that session has its two factors.
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=leader, type=Authenticator.Type.TOTP).exists()
    assert client.get("/intern/").status_code == 200


def test_staff_totp_requirement_can_be_turned_off_for_the_demo(client, bjerke, settings):
    settings.REQUIRE_STAFF_MFA = False
    client.force_login(make_user("project_leader", bjerke, totp=False))

    assert client.get("/intern/").status_code == 200


def test_residents_are_not_asked_for_a_second_factor(client):
    client.force_login(UserFactory())

    assert client.get("/").status_code == 200
    assert client.get("/accounts/profil/").status_code == 200


def test_staff_with_totp_are_asked_for_a_code_at_login(client, bjerke):
    leader = make_user("project_leader", bjerke)
    response = client.post("/accounts/login/", {"login": leader.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


def test_profile_update_keeps_input_on_error_and_saves_on_success(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/accounts/profil/", {"full_name": "x" * 200})
    assert response.status_code == 200
    assert "x" * 200 in response.content.decode()
    response = client.post("/accounts/profil/", {"full_name": "Kari Nordmann"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Kari Nordmann"


def test_export_contains_account_email_and_roles(client, bjerke):
    user = make_user("case_handler", bjerke, email="kari@example.org", full_name="Kari")
    client.force_login(user)

    response = client.post("/accounts/profil/eksport/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mine-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "kari@example.org"
    assert data["email_addresses"] == [
        {"email": "kari@example.org", "verified": True, "primary": True}
    ]
    assert data["roles"][0]["district"] == "Bjerke"


def test_export_is_post_only(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/profil/eksport/").status_code == 405


def test_delete_needs_the_password_and_anonymises_the_account(client, bjerke):
    user = make_user("case_handler", bjerke, email="kari@example.org", full_name="Kari")
    client.force_login(user)

    response = client.post("/accounts/profil/slett/", {"password": "feil", "confirm": "on"})
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).full_name == "Kari"

    response = client.post("/accounts/profil/slett/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == f"slettet-{user.pk}@anonymisert.invalid"
    assert user.full_name == "" and not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session


def test_account_delete_service_keeps_the_row_for_archived_records():
    user = UserFactory()
    services.account_delete(user=user)
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_an_account_removes_it_from_its_organisations_but_keeps_their_cases(client):
    from grants.models import CaseEvent, Membership
    from tests.grants.factories import submitted

    application = submitted()
    applicant, organisation = application.applicant, application.organisation
    board_member = UserFactory(full_name="Ola Styremedlem")
    Membership.objects.create(organisation=organisation, user=board_member, is_admin=True)
    events = CaseEvent.objects.filter(application=application).count()

    services.account_delete(user=applicant)

    assert list(organisation.memberships.values_list("user", flat=True)) == [board_member.pk]
    application.refresh_from_db()
    assert application.created_by_id == applicant.pk
    assert CaseEvent.objects.filter(application=application).count() == events
    client.force_login(board_member)
    page = client.get(f"/tilskudd/organisasjoner/{organisation.pk}/").content.decode()
    assert "anonymisert.invalid" not in page and "Ola Styremedlem" in page
