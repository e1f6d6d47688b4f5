"""Private files are private: decision letters, application and report attachments live outside
the public media root under names that reveal nothing, have no URL, and are served only to whom
the case belongs — as downloads that no browser renders or caches."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import models
from django.urls import reverse

from core.storages import PrivateFileSystemStorage, PrivateStorageMixin, private_storage
from grants import services
from grants.models import Attachment, AttachmentKind, Decision
from tests.accounts.factories import UserFactory
from tests.grants.factories import MINIMAL_PDF, decided, pdf_upload

pytestmark = pytest.mark.django_db

PRIVATE_NAME = re.compile(r"^(letters|attachments)/[0-9a-f]{2}/[0-9a-f]{32}\.pdf$")
PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "no-store",
}


@pytest.fixture
def on_disk(tmp_path, settings):
    """Both storages on disk, as in production: public media and private media side by side."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storages.PrivateFileSystemStorage"},
    }
    return tmp_path


@pytest.fixture
def case(on_disk, users, django_capture_on_commit_callbacks):
    """A granted case with its letter, an application attachment and a report attachment."""
    with django_capture_on_commit_callbacks(execute=True):
        application = decided(users["case_handler"], users["programme_leader"])
    applicant = application.applicant
    services.grant_accept(actor=applicant, application=application)
    services.attachment_add(
        actor=applicant,
        application=application,
        kind=AttachmentKind.REPORT_DOCUMENTATION,
        upload=pdf_upload("kvitteringer.pdf"),
        for_report=True,
    )
    application.applicant = applicant
    return application


def private_files(application) -> dict[str, tuple[models.fields.files.FieldFile, str, str]]:
    """Each private file of the case: (the file, the applicant's URL, the case handler's URL)."""
    decision = application.decisions.get()
    attachment = application.attachments.get(for_report=False)
    report = application.attachments.get(for_report=True)
    pk = application.pk

    def urls(applicant_name, staff_name, other_pk):
        return (
            reverse(f"grants:{applicant_name}", args=[pk, other_pk]),
            reverse(f"grants:{staff_name}", args=[pk, other_pk]),
        )

    return {
        "letter": (decision.letter, *urls("decision_letter", "staff_decision_letter", decision.pk)),
        "attachment": (
            attachment.file,
            *urls("attachment_download", "staff_attachment", attachment.pk),
        ),
        "report attachment": (
            report.file,
            *urls("attachment_download", "staff_attachment", report.pk),
        ),
    }


KINDS = ["letter", "attachment", "report attachment"]


def test_every_file_field_but_public_images_is_on_the_private_storage():
    public = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                if isinstance(field.storage, PrivateStorageMixin):
                    assert field.storage is private_storage()
                else:
                    public.append(field.model._meta.label + "." + field.name)
    assert public == ["projects.ProjectImage.image"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_private_file_lies_outside_the_public_root_and_has_no_url(case, on_disk, kind, client):
    field_file, _applicant_url, _staff_url = private_files(case)[kind]

    path = Path(field_file.path).resolve()
    assert path.is_file()
    assert path.is_relative_to((on_disk / "private-media").resolve())
    assert not path.is_relative_to((on_disk / "media").resolve())
    assert not any((on_disk / "media").rglob("*.pdf"))
    with pytest.raises(ValueError):
        field_file.url  # noqa: B018 (the property raises)
    # Nothing at MEDIA_URL reaches it, by its name or by climbing out of the public root.
    assert client.get(f"/media/{field_file.name}").status_code == 404
    assert client.get(f"/media/../private-media/{field_file.name}").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_private_file_is_named_by_nothing_but_a_random_token(case, kind):
    field_file, _applicant_url, _staff_url = private_files(case)[kind]

    assert PRIVATE_NAME.match(field_file.name), field_file.name  # no case id, no reference
    for revealing in (case.reference, "vedtak", "kvittering", "styrevedtak", "grants"):
        assert revealing not in field_file.name


@pytest.mark.parametrize("kind", KINDS)
def test_a_private_file_is_refused_to_anyone_outside_the_case(case, users, client, kind):
    _file, applicant_url, staff_url = private_files(case)[kind]

    for url in (applicant_url, staff_url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())  # another resident
    assert client.get(applicant_url).status_code == 404
    assert client.get(staff_url).status_code == 404
    for outsider in ("other_district_leader", "board"):
        client.force_login(users[outsider])
        assert client.get(staff_url).status_code == 404, outsider
        assert client.get(applicant_url).status_code == 404, outsider


@pytest.mark.parametrize("kind", KINDS)
def test_a_private_file_is_a_sandboxed_uncached_download_for_the_case(case, users, client, kind):
    field_file, applicant_url, staff_url = private_files(case)[kind]
    with field_file.open("rb") as handle:
        content = handle.read()

    for user, url in ((case.applicant, applicant_url), (users["case_handler"], staff_url)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Content-Disposition"].endswith('.pdf"')
        for header, value in PRIVATE_HEADERS.items():
            assert response[header] == value, header


def test_the_letter_downloads_under_its_reference(case, client):
    _file, applicant_url, _staff_url = private_files(case)["letter"]
    client.force_login(case.applicant)

    response = client.get(applicant_url)

    decision = case.decisions.get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="vedtak-{case.reference}-{decision.pk}.pdf"'
    )


def test_an_old_attachment_with_a_false_name_downloads_as_what_it_is(case, client):
    """Uploaded before names were checked: ``tilbud.html`` whose content is a PDF."""
    attachment = case.attachments.get(for_report=False)
    Attachment.objects.filter(pk=attachment.pk).update(original_name="tilbud.html")
    client.force_login(case.applicant)

    response = client.get(reverse("grants:attachment_download", args=[case.pk, attachment.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="tilbud.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_a_missing_private_file_is_a_404_not_a_500(case, users, client):
    attachment = case.attachments.get(for_report=False)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(users["case_handler"])

    response = client.get(reverse("grants:staff_attachment", args=[case.pk, attachment.pk]))

    assert response.status_code == 404


def test_private_media_inside_the_public_root_is_refused_at_start(on_disk, settings):
    settings.PRIVATE_MEDIA_ROOT = str(on_disk / "media" / "private")
    with pytest.raises(ImproperlyConfigured, match="must lie outside MEDIA_ROOT"):
        PrivateFileSystemStorage()
    settings.PRIVATE_MEDIA_ROOT = str(on_disk)  # the public root inside the private one
    with pytest.raises(ImproperlyConfigured):
        PrivateFileSystemStorage()


def test_files_stored_publicly_before_are_moved_to_private_storage_and_still_download(
    case, client, django_capture_on_commit_callbacks
):
    """Letters and attachments of an existing installation sat in public media under guessable
    names; the data migration moves them, and the case keeps its files."""
    decision = case.decisions.get()
    attachment = case.attachments.get(for_report=False)
    letter_pdf = decision.letter.read()
    old_letter = f"grants/vedtak/vedtak-{case.reference}-{decision.pk}.pdf"
    old_attachment = f"grants/{case.pk}/abcdefghijklmnopqrstuvwx.pdf"
    default_storage.save(old_letter, ContentFile(letter_pdf))
    default_storage.save(old_attachment, ContentFile(MINIMAL_PDF))
    Decision.objects.filter(pk=decision.pk).update(letter=old_letter)
    Attachment.objects.filter(pk=attachment.pk).update(file=old_attachment)
    orphan = "grants/vedtak/vedtak-BMT-2025-0007-1.pdf"  # its row is gone: still a case file
    default_storage.save(orphan, ContentFile(letter_pdf))
    assert client.get(f"/media/{old_letter}").status_code == 200  # the hole being closed

    migration = importlib.import_module("grants.migrations.0003_move_private_files")
    with django_capture_on_commit_callbacks(execute=True):
        migration.move_to_private_storage(apps, None)

    decision.refresh_from_db()
    attachment.refresh_from_db()
    assert PRIVATE_NAME.match(decision.letter.name) and PRIVATE_NAME.match(attachment.file.name)
    assert not default_storage.exists(old_letter) and not default_storage.exists(old_attachment)
    assert client.get(f"/media/{old_letter}").status_code == 404
    assert not default_storage.exists(orphan)
    assert client.get(f"/media/{orphan}").status_code == 404
    assert storages["private"].open(f"legacy/{orphan}").read() == letter_pdf
    client.force_login(case.applicant)
    letter = client.get(reverse("grants:decision_letter", args=[case.pk, decision.pk]))
    assert b"".join(letter.streaming_content) == letter_pdf
    download = client.get(reverse("grants:attachment_download", args=[case.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    # Run again, it has nothing left to do.
    names = (decision.letter.name, attachment.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        migration.move_to_private_storage(apps, None)
    decision.refresh_from_db()
    attachment.refresh_from_db()
    assert (decision.letter.name, attachment.file.name) == names
    assert storages["private"].exists(names[0])


def test_the_admin_shows_a_decision_without_linking_its_private_letter(case, users, client):
    decision = case.decisions.get()
    client.force_login(users["secretariat"])

    page = client.get(reverse("admin:grants_decision_change", args=[decision.pk]))

    assert page.status_code == 200
    assert decision.letter.name not in page.content.decode()
    assert "/media/" not in page.content.decode()
