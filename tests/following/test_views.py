"""Following from the pages: a guest confirms by email, a signed-in person starts at once, the
follow's own page changes or ends it, and the mail client's one-click unsubscribe works."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from following.models import Follower
from tests.accounts.factories import UserFactory
from tests.participation.factories import area

pytestmark = pytest.mark.django_db

VEITVET = "veitvet-og-slettelokka"
LINDERUD = "linderud"


def _post_follow(client, **data):
    defaults = {
        "email": "gjest@example.org",
        "areas": [VEITVET],
        "frequency": "ukentlig",
        "language": "nb",
    }
    return client.post(reverse("following:follow"), {**defaults, **data})


def test_a_guest_confirms_by_email_then_manages_and_stops(
    client, django_capture_on_commit_callbacks
):
    page = client.get(reverse("following:follow") + f"?omrade={VEITVET}")
    assert page.status_code == 200
    ticked = re.findall(
        r'<input type="checkbox" name="areas" value="([^"]+)"[^>]*checked', page.content.decode()
    )
    assert ticked == [VEITVET]

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_follow(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("following:sent")
    follower = Follower.objects.get()
    assert not follower.is_confirmed
    (email,) = mail.outbox
    assert "Bekreft" in email.subject
    confirm_path = "/" + re.search(r"https?://[^/]+/(\S*folg/bekreft/\S+)", email.body)[1]

    # Opening the link changes nothing (link previews); the button does.
    assert client.get(confirm_path).status_code == 200
    follower.refresh_from_db()
    assert not follower.is_confirmed
    response = client.post(confirm_path)
    assert response.status_code == 302
    follower.refresh_from_db()
    assert follower.is_confirmed and follower.covered_until is not None
    manage = reverse("following:manage", kwargs={"token": follower.token})
    assert response["Location"] == manage

    response = client.post(
        manage,
        {"areas": [VEITVET, LINDERUD], "frequency": "daglig", "language": "en"},
    )
    assert response.status_code == 302
    follower.refresh_from_db()
    assert follower.frequency == "daglig" and follower.language == "en"
    assert set(follower.areas.values_list("slug", flat=True)) == {VEITVET, LINDERUD}

    unfollow = reverse("following:unfollow", kwargs={"token": follower.token})
    assert client.get(unfollow).status_code == 200
    assert Follower.objects.exists()
    assert client.post(unfollow).status_code == 200
    assert not Follower.objects.exists()


def test_a_signed_in_person_follows_at_once_with_their_own_address(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="beboer@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_follow(client, email="beboer@example.org", language="nn")
    follower = Follower.objects.get()
    assert follower.is_confirmed and follower.user == user
    assert response["Location"] == reverse("following:manage", kwargs={"token": follower.token})
    (email,) = mail.outbox
    assert email.subject.endswith("Du følgjer nabolaget ditt")
    assert "List-Unsubscribe" in email.extra_headers


def test_another_persons_address_is_never_changed_from_the_form(
    client, django_capture_on_commit_callbacks
):
    """Anyone may type any address: one that already follows is sent its own link, and the
    follow is unchanged; asking again at once sends nothing more."""
    follower = Follower.objects.create(
        email="eier@example.org", language="nb", token="t" * 40, frequency="ukentlig"
    )
    follower.areas.set([area(VEITVET)])
    Follower.objects.filter(pk=follower.pk).update(confirmed_at="2026-01-01T00:00:00Z")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post_follow(
                client, email="EIER@example.org", areas=[LINDERUD], frequency="daglig"
            )
        assert response["Location"] == reverse("following:sent")
    follower.refresh_from_db()
    assert follower.frequency == "ukentlig"
    assert list(follower.areas.values_list("slug", flat=True)) == [VEITVET]
    (email,) = mail.outbox
    assert f"/folg/{follower.token}/" in email.body


def test_asking_again_does_not_mail_bomb_a_guest(client, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            _post_follow(client)
    assert len(mail.outbox) == 1
    assert Follower.objects.count() == 1


def test_the_mail_clients_one_click_unsubscribe_needs_no_csrf_token():
    follower = Follower.objects.create(email="a@example.org", language="nb", token="u" * 40)
    url = reverse("following:unfollow", kwargs={"token": follower.token})
    strict = Client(enforce_csrf_checks=True)
    # A plain POST without the token is refused (a forged form elsewhere cannot end a follow)…
    assert strict.post(url, {}).status_code == 403
    assert Follower.objects.exists()
    # …the one-click POST of RFC 8058 is taken: the secret link is the proof.
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follower.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": ""}, "email"),
        ({"email": "ikke-en-adresse"}, "email"),
        ({"email": "x" * 250 + "@example.org"}, "email"),
        ({"areas": []}, "areas"),
        ({"areas": ["999999999999999999999"]}, "areas"),
        ({"areas": ["abc"]}, "areas"),
        ({"frequency": "hvert-minutt"}, "frequency"),
        ({"language": "sv"}, "language"),
    ],
)
def test_bad_input_is_told_at_the_field_and_keeps_the_rest(client, data, field):
    response = _post_follow(client, **data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert not Follower.objects.exists()
    if field != "email" and "email" not in data:
        assert 'value="gjest@example.org"' in response.content.decode()


def test_unknown_links_find_nothing(client):
    for name in ("manage", "unfollow", "confirm"):
        assert client.get(reverse(f"following:{name}", kwargs={"token": "nope"})).status_code == 404
    assert client.post(reverse("following:confirm", kwargs={"token": "nope"})).status_code == 404


def test_the_area_page_offers_to_follow(client):
    page = client.get(area(VEITVET).get_absolute_url())
    assert f"{reverse('following:follow')}?omrade={VEITVET}" in page.content.decode()
