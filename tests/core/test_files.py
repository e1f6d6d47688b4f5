"""Downloads with personal data: sandboxed, never sniffed, never cached; names fit for a header."""

import pytest
from django.urls import reverse

from core.files import PRIVATE_FILE_HEADERS, safe_filename
from tests.accounts.factories import UserFactory
from tests.participation.factories import EventFactory, RegistrationFactory


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("tilbud.pdf", "tilbud.pdf"),
        ("Tilbud fra Bygg A.S.pdf", "Tilbud fra Bygg A.S.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\kari\\kvittering.pdf", "kvittering.pdf"),
        ('a"b\r\nSet-Cookie: x.pdf', "a_bSet-Cookie_ x.pdf"),
        ("...", "fil"),
        ("æøå.pdf", "æøå.pdf"),
        ("tilbud\u202egpj.pdf", "tilbudgpj.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_a_download_name_has_no_path_no_control_characters_and_a_sane_length(name, safe):
    assert safe_filename(name) == safe


def assert_private(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    for header, value in PRIVATE_FILE_HEADERS.items():
        assert response[header] == value, header


@pytest.mark.django_db
def test_the_account_export_is_a_private_download(client):
    client.force_login(UserFactory())

    assert_private(client.post("/accounts/profil/eksport/"))


@pytest.mark.django_db
def test_the_list_of_who_registered_is_a_private_download(client, users):
    event = EventFactory()
    RegistrationFactory(event=event, name="Amina Hassan", email="amina@example.org")
    client.force_login(users["project_leader"])

    response = client.get(
        reverse("participation:staff_event_registrations_csv", kwargs={"slug": event.slug})
    )

    assert_private(response)
    assert "amina@example.org" in response.content.decode()
