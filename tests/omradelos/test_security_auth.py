"""Sign-in security: two factors for every staff page and the admin, throttling per account and
per client address behind the reverse proxy, and how long sessions last."""

import os
import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import sessions
from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory, make_user
from tests.browser.totp import TOTP_SECRET, totp_now

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.1"  # the reverse proxy in front of gunicorn, as docker-compose publishes it


def superuser_with_totp(email: str = "drift@example.org") -> User:
    """A superuser as ``createsuperuser`` makes one, who has confirmed the address at the first
    sign-in and set up TOTP."""
    user = User.objects.create_superuser(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    return user


def _paths(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "^" not in route:
            yield route


def staff_and_admin_paths() -> list[str]:
    """Every URL pattern under /intern/ and /admin/, its parameters filled with placeholders:
    the two-factor check answers before any view looks an object up."""
    paths = set()
    for route in _paths(get_resolver().url_patterns):
        if route.startswith(("intern/", "admin/")):
            route = re.sub(r"<int:[^>]+>", "1", route)
            paths.add("/" + re.sub(r"<(?:\w+:)?[^>]+>", "x", route))
    return sorted(paths)


def test_the_staff_and_admin_url_list_is_complete():
    paths = staff_and_admin_paths()
    assert "/intern/" in paths and "/admin/" in paths and "/admin/accounts/user/" in paths
    assert any(p.startswith("/intern/tilskudd/") for p in paths)
    assert len(paths) > 40


def test_admin_login_form_signs_nobody_in_and_sends_to_the_portal_sign_in(client):
    admin = superuser_with_totp()
    for _ in range(25):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": admin.email, "password": "feil"}
        )
        assert response.status_code == 302
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD}
    )

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_superuser_with_totp_reaches_admin_only_after_the_code_at_sign_in(client):
    admin = superuser_with_totp()
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"

    response = client.post(
        "/accounts/login/?next=/admin/", {"login": admin.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/intern/").status_code == 200


def test_superuser_session_without_totp_reaches_no_staff_page_until_it_passes(client):
    """A session signed in with the password alone (any way around allauth's two-factor stage)
    is sent to confirm a TOTP code, page by page, and then comes back where it was going."""
    admin = superuser_with_totp()
    assert client.login(email=admin.email, password=PASSWORD)  # password only

    for path in staff_and_admin_paths():
        response = client.get(path)
        assert response.status_code == 302, path
        assert (
            response["Location"] == f"/accounts/2fa/reauthenticate/?next={quote(path, safe='')}"
        ), path
    # The admin refuses the session on its own too, not only because of the middleware.
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user, request.session = admin, client.session
    assert not django_admin.site.has_permission(request)

    response = client.get("/accounts/2fa/reauthenticate/?next=/admin/accounts/user/")
    assert response.status_code == 200
    response = client.post(
        "/accounts/2fa/reauthenticate/?next=/admin/accounts/user/", {"code": "000000"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        "/accounts/2fa/reauthenticate/?next=/admin/accounts/user/", {"code": totp_now()}
    )
    assert response["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/intern/tilskudd/").status_code == 200
    request.session = client.session
    assert django_admin.site.has_permission(request)


def test_a_resident_given_a_staff_role_mid_session_must_pass_totp(client, bjerke):
    resident = UserFactory()
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200

    RoleAssignment = resident.role_assignments.model
    RoleAssignment.objects.create(user=resident, role="case_handler", district=bjerke)
    Authenticator.objects.create(
        user=resident, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    assert client.get("/intern/")["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_demo_mode_without_staff_mfa_lets_a_password_session_in(client, settings):
    settings.REQUIRE_STAFF_MFA = False
    admin = superuser_with_totp()
    assert client.login(email=admin.email, password=PASSWORD)

    assert client.get("/intern/").status_code == 200
    assert client.get("/admin/").status_code == 200


# --- Throttling ---------------------------------------------------------------------------------


def through_proxy(client_address: str) -> Client:
    """A browser at ``client_address`` whose requests arrive through the reverse proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def login(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_trusted_proxy_is_configured_from_the_environment_and_compose():
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text(encoding="utf-8"))
    env = compose["x-django-environment"]
    assert env["ALLAUTH_TRUSTED_PROXY_COUNT"] == "${ALLAUTH_TRUSTED_PROXY_COUNT:-1}"
    assert "ALLAUTH_TRUSTED_CLIENT_IP_HEADER" in env
    assert "ALLAUTH_TRUSTED_PROXY_COUNT" in (root / "README.md").read_text(encoding="utf-8")

    script = (
        "from omradelos.settings import base; "
        "print(base.ALLAUTH_TRUSTED_PROXY_COUNT, base.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    for environ, expected in (
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": "1"}, "1 None"),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 X-Real-IP"),
        ({}, "0 None"),
    ):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("ALLAUTH_")}
        output = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env=clean | environ,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert output == expected


def test_ten_wrong_passwords_throttle_that_account_and_that_address_not_the_site(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    kari = UserFactory(email="kari@example.org")
    ola = UserFactory(email="ola@example.org")
    UserFactory(email="per@example.org")

    attacker = through_proxy("203.0.113.66")
    for _ in range(10):
        response = login(attacker, kari.email, "feil-passord")
        assert response.status_code == 200 and not signed_in(attacker)

    # Another worker has its own memory, and Redis may be absent: the counters are in the database.
    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM omradelos_ratelimit_cache")
        assert cursor.fetchone()[0] > 0

    # The account is throttled, from any address, even with the right password.
    kari_at_home = through_proxy("198.51.100.20")
    response = login(kari_at_home, kari.email, PASSWORD)
    assert not signed_in(kari_at_home)
    assert "For mange innloggingsforsøk" in response.content.decode()
    # The attacker's address is throttled, for any account.
    login(attacker, ola.email, PASSWORD)
    assert not signed_in(attacker)

    # Everyone else behind the same proxy signs in as usual.
    neighbour = through_proxy("198.51.100.21")
    login(neighbour, ola.email, PASSWORD)
    assert signed_in(neighbour)
    colleague = through_proxy("198.51.100.22")
    login(colleague, "per@example.org", PASSWORD)
    assert signed_in(colleague)


def test_more_than_thirty_sign_ins_a_minute_behind_the_proxy_are_not_refused(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    users = [UserFactory() for _ in range(35)]
    statuses = [
        login(through_proxy(f"198.51.100.{n + 1}"), user.email, PASSWORD).status_code
        for n, user in enumerate(users)
    ]
    assert statuses == [302] * 35


def test_without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    UserFactory(email="kari@example.org")
    ola = UserFactory(email="ola@example.org")
    for n in range(10):
        client = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        login(client, f"person-{n}@example.org", "feil")
    client = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.9.9.9")
    login(client, ola.email, PASSWORD)
    assert not signed_in(client)


def test_a_client_address_header_set_by_the_proxy_is_used_when_configured(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    ola = UserFactory()
    for n in range(10):
        login(Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.66"), f"p{n}@example.org", "x")
    blocked = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.66")
    login(blocked, ola.email, PASSWORD)
    assert not signed_in(blocked)
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.5")
    login(other, ola.email, PASSWORD)
    assert signed_in(other)


def test_a_forwarded_header_without_an_address_is_no_error(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="ikke-en-adresse")
    response = login(client, "kari@example.org", "feil")
    assert response.status_code == 200


def test_guessing_totp_codes_is_throttled_per_account(client, bjerke):
    leader = make_user("programme_leader", bjerke)
    assert login(client, leader.email, PASSWORD)["Location"] == "/accounts/2fa/authenticate/"
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 200 and not signed_in(client)


def test_a_used_totp_code_is_refused_again_on_every_worker(bjerke):
    leader = make_user("programme_leader", bjerke)
    code = totp_now()
    first = Client()
    login(first, leader.email, PASSWORD)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert signed_in(first)

    cache.clear()  # another worker: its own memory, the same database
    second = Client()
    login(second, leader.email, PASSWORD)
    response = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200 and not signed_in(second)


def test_the_ratelimit_cache_is_a_database_table():
    from django.core.cache.backends.db import DatabaseCache

    assert isinstance(caches["ratelimit"], DatabaseCache)
    from allauth.core.internal import ratelimit
    from allauth.mfa.totp.internal import auth

    ratelimit.cache.set("probe", 1)
    assert caches["ratelimit"].get("probe") == 1 and auth.cache.get("probe") == 1
    assert cache.get("probe") is None


# --- Session lifetimes --------------------------------------------------------------------------


class Clock:
    def __init__(self, start: float):
        self.now = start

    def time(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    import time

    clock = Clock(time.time())
    monkeypatch.setattr(sessions, "time", clock)
    return clock


def test_staff_session_ends_after_thirty_minutes_idle(client, clock, bjerke):
    handler = make_user("case_handler", bjerke)
    client.force_login(handler)
    assert client.get("/intern/").status_code == 200
    clock.advance(29)
    assert client.get("/intern/").status_code == 200
    clock.advance(29)  # active a minute ago: the 30 minutes count from the last request
    assert client.get("/intern/").status_code == 200

    clock.advance(31)
    response = client.get("/intern/tilskudd/")
    assert response["Location"] == "/accounts/login/?next=%2Fintern%2Ftilskudd%2F"
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "30 minutter uten aktivitet" in page


def test_staff_session_ends_after_a_working_day_however_active(client, clock, bjerke):
    handler = make_user("case_handler", bjerke)
    client.force_login(handler)
    for _ in range(29):  # a request every 20 minutes for 9 h 40 min
        assert client.get("/intern/").status_code == 200
        clock.advance(20)
    assert client.get("/intern/").status_code == 200
    clock.advance(21)
    response = client.get("/intern/")
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)
    assert "høyst 10 timer" in client.get(response["Location"]).content.decode()


def test_staff_session_cookie_follows_the_idle_timeout_even_with_remember_me(client, bjerke):
    leader = make_user("programme_leader", bjerke)
    login_response = client.post(
        "/accounts/login/", {"login": leader.email, "password": PASSWORD, "remember": "on"}
    )
    assert login_response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert client.get("/intern/").status_code == 200


def test_staff_session_cookie_is_shortened_without_a_second_factor_stage(client, bjerke, settings):
    settings.REQUIRE_STAFF_MFA = False
    leader = make_user("programme_leader", bjerke, totp=False)
    client.post("/accounts/login/", {"login": leader.email, "password": PASSWORD, "remember": "on"})
    response = client.get("/intern/")
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 30 * 60


def test_resident_session_is_not_ended_by_the_staff_idle_timeout(client, clock):
    client.force_login(UserFactory())
    clock.advance(8 * 60)
    assert client.get("/accounts/profil/").status_code == 200


def test_resident_without_remember_me_gets_a_browser_session(client):
    resident = UserFactory()
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_resident_with_remember_me_stays_signed_in_two_weeks(client):
    resident = UserFactory()
    page = client.get("/accounts/login/").content.decode()
    assert "Husk meg" in page
    response = client.post(
        "/accounts/login/", {"login": resident.email, "password": PASSWORD, "remember": "on"}
    )
    assert response.cookies["sessionid"]["max-age"] == 14 * 24 * 60 * 60


def test_an_htmx_request_of_a_timed_out_session_sends_the_whole_page_to_sign_in(
    client, clock, bjerke
):
    client.force_login(make_user("case_handler", bjerke))
    clock.advance(31)
    response = client.get("/intern/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fintern%2F"
    assert not signed_in(client)


def test_a_throttled_visitor_is_told_in_norwegian_what_to_do():
    """When one address sends more sign-ins a minute than anyone would, the refusal is the
    portal's own page in the reader's language, with the way on: wait, or set a new password."""
    client = Client()
    answers = [login(client, f"person{n}@example.org", "feil").status_code for n in range(40)]
    assert 429 in answers
    response = login(client, "kari@example.org", "feil-passord")
    assert response.status_code == 429
    page = response.content.decode()
    assert "For mange forsøk" in page
    assert "Vent 15 minutter" in page
    assert reverse("account_reset_password") in page
