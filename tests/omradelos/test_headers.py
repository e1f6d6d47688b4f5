"""The headers every page carries: a Content-Security-Policy without ``unsafe-inline``, a
Permissions-Policy, and ``Cache-Control: no-store`` wherever a page shows personal data; and
``HEAD /healthz`` for load balancers."""

import hashlib
import re
from base64 import b64encode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from core.inline_assets import csp_hashes
from grants import services
from tests.accounts.factories import PASSWORD, UserFactory, make_user
from tests.grants.factories import GrantRoundFactory, OrganisationFactory, submitted
from tests.participation.factories import EventFactory, RegistrationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(response) -> None:
    header = response.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'", *csp_hashes()]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


INLINE = [
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "event-handler attribute"),
    (re.compile(r"href\s*=\s*[\"']javascript:", re.I), "javascript: link"),
]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.I | re.S)


def assert_nothing_inline(response) -> None:
    """What the policy would block: the page must not need it."""
    if "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    found = [label for pattern, label in INLINE if pattern.search(html)]
    # An inline script runs only if the policy names its hash (core.inline_assets).
    allowed = set(csp_hashes())
    for text in INLINE_SCRIPT.findall(html):
        digest = b64encode(hashlib.sha256(text.encode()).digest()).decode()
        if f"'sha256-{digest}'" not in allowed:
            found.append("inline <script> the policy does not allow")
    assert not found, f"{response.request['PATH_INFO']} has {found}"


def check_page(client, url: str, *, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, url
    assert_strict_csp(response)
    assert_nothing_inline(response)
    return response


@pytest.fixture
def objects(users):
    project = ProjectFactory(title="Sletteløkka torg", is_public=True)
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    application = submitted()
    return {
        "project": project,
        "event": event,
        "registration": registration,
        "application": application,
    }


def test_public_pages_carry_the_policy(client, objects):
    event, project = objects["event"], objects["project"]
    for url in [
        reverse("home"),
        reverse("area_detail", args=[project.area.slug]),
        reverse("projects:detail", args=[project.slug]),
        reverse("participation:events"),
        reverse("participation:event_detail", args=[event.slug]),
        reverse("participation:registration_status", args=[objects["registration"].token]),
        reverse("grants:rounds"),
        reverse("accessibility"),
        reverse("privacy"),
        "/en/",
        "/nn/",
    ]:
        check_page(client, url)


def test_account_pages_carry_the_policy(client):
    for url in [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]:
        check_page(client, url)


def test_the_second_factor_page_carries_the_policy(client, bjerke):
    staff = make_user("case_handler", bjerke)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    check_page(client, reverse("mfa_authenticate"))


def test_the_totp_set_up_page_carries_the_policy_and_its_qr_code_is_allowed(client, bjerke):
    staff = make_user("case_handler", bjerke, totp=False)
    client.force_login(staff)
    # allauth asks for the password once more before a second factor is added.
    reauthenticate = check_page(client, reverse("account_reauthenticate"))
    assert reauthenticate.status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = check_page(client, reverse("mfa_activate_totp"))
    assert "data:" in policy(response)["img-src"]
    assert 'src="data:image/svg+xml' in response.content.decode()


def test_grant_steps_and_the_applicant_case_page_carry_the_policy(client):
    applicant = UserFactory()
    organisation = OrganisationFactory(member=applicant)
    draft = services.application_start(
        actor=applicant, grant_round=GrantRoundFactory(), organisation=organisation
    )
    case = submitted(applicant)
    client.force_login(applicant)
    for step in ("organisasjon", "tiltak", "budsjett", "vedlegg", "oppsummering"):
        check_page(client, reverse("grants:application_step", args=[draft.pk, step]))
    for url in [
        reverse("grants:my_applications"),
        reverse("grants:organisations"),
        reverse("grants:organisation_create"),
        reverse("grants:application_detail", args=[case.pk]),
        reverse("accounts:profile"),
    ]:
        check_page(client, url)


def test_staff_lists_and_the_case_page_carry_the_policy(client, users, objects):
    client.force_login(users["programme_leader"])
    event, project = objects["event"], objects["project"]
    for url in [
        reverse("staff_home"),
        reverse("grants:staff_queue"),
        reverse("grants:staff_rounds"),
        reverse("grants:staff_case", kwargs={"pk": objects["application"].pk}),
        reverse("projects:staff_list"),
        reverse("projects:staff_detail", args=[project.slug]),
        reverse("participation:staff_events"),
        reverse("participation:staff_event", args=[event.slug]),
        reverse("participation:staff_inputs"),
    ]:
        check_page(client, url)


def test_the_admin_carries_the_policy(client, users):
    client.force_login(users["secretariat"])
    for url in [
        reverse("admin:index"),
        reverse("admin:grants_grantround_changelist"),
        reverse("admin:grants_grantround_add"),
        reverse("admin:accounts_user_changelist"),
    ]:
        check_page(client, url)


def test_error_pages_carry_the_policy(client, users, monkeypatch):
    check_page(client, "/finnes-ikke/", status=404)
    check_page(client, reverse("participation:events") + "?omrade=%00", status=400)
    client.force_login(users["resident"])
    check_page(client, reverse("projects:staff_list"), status=403)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("omradelos.views.render", broken)
    client.raise_request_exception = False
    response = client.get(reverse("accessibility"))
    assert response.status_code == 500
    assert_strict_csp(response)


def _plain_routes():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    return sorted(r for r in set(walk(get_resolver())) if not re.search(r"[<(^$]", r))


def test_every_page_without_parameters_carries_the_policy_for_every_kind_of_visitor(client, users):
    """Whatever the page answers (a page, a redirect, a 403, a 405), the policy is on it."""
    routes = _plain_routes()
    assert len(routes) > 40
    for who in (None, "resident", "case_handler", "secretariat"):
        client.logout()
        if who:
            client.force_login(users[who])
        for route in routes:
            response = client.get("/" + route)
            assert response.status_code < 500, route
            sandboxed = "sandbox" in response.get("Content-Security-Policy", "")
            if not (sandboxed and "attachment" in response.get("Content-Disposition", "")):
                # Only a private download (a CSV with names, a data export) carries the
                # stricter sandbox of a private file instead of the portal's policy.
                assert_strict_csp(response)


# --- Cache-Control ------------------------------------------------------------------------------


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_page_a_signed_in_person_sees_is_not_stored(client, users, objects):
    client.force_login(users["resident"])
    for url in [
        reverse("home"),
        reverse("projects:detail", args=[objects["project"].slug]),
        reverse("accounts:profile"),
        reverse("grants:my_applications"),
        reverse("participation:my_registrations"),
    ]:
        assert no_store(client.get(url)), url
    client.force_login(users["case_handler"])
    for url in [
        reverse("grants:staff_queue"),
        reverse("grants:staff_case", kwargs={"pk": objects["application"].pk}),
        reverse("participation:staff_inputs"),
    ]:
        assert no_store(client.get(url)), url


def test_a_page_reached_by_a_secret_link_is_not_stored(client, objects):
    token = objects["registration"].token
    assert no_store(client.get(reverse("participation:registration_status", args=[token])))
    assert no_store(client.get(reverse("participation:registration_cancel", args=[token])))


def test_the_answer_to_a_posted_form_is_not_stored(client, objects):
    event = objects["event"]
    response = client.post(
        reverse("participation:event_register", args=[event.slug]), {"name": "Kari"}
    )
    assert response.status_code == 400
    assert no_store(response)


def test_public_pages_for_anonymous_visitors_may_be_cached(client, objects):
    response = client.get(reverse("projects:detail", args=[objects["project"].slug]))
    assert not no_store(response)


# --- HEAD /healthz ------------------------------------------------------------------------------


def test_head_on_healthz_answers_200_with_no_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert client.get("/healthz").json()["status"] == "ok"


def test_other_methods_on_healthz_are_not_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_the_policy_is_the_same_in_every_language(client):
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            assert_strict_csp(client.get(reverse("home")))


def test_production_behind_gunicorn_sends_the_policy_and_answers_head(tmp_path):
    """As deployed: production settings, gunicorn with the image's configuration, a request as
    the reverse proxy forwards it."""
    import http.client

    from tests.omradelos.test_deploy import production_env, random_secret_key
    from tests.servers import gunicorn

    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS=".example.org",
        SQLITE_PATH=str(tmp_path / "headers.sqlite3"),
        GUNICORN_THREADS="2",
    )
    headers = {"Host": "portal.example.org", "X-Forwarded-Proto": "https"}

    with gunicorn(env, tmp_path) as port:

        def request(method: str):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request(method, "/healthz", headers=headers)
                response = connection.getresponse()
                return response, response.read()
            finally:
                connection.close()

        response, body = request("GET")
        assert response.status == 200, body
        csp = response.getheader("Content-Security-Policy")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "upgrade-insecure-requests" in csp
        assert "camera=()" in response.getheader("Permissions-Policy")

        response, body = request("HEAD")
        assert response.status == 200
        assert body == b""
