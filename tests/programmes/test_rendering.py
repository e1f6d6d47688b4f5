"""The programme PDF as a job: the same content is one row and one file, rendered once; a
worker claims it by status and task id; a failure is recorded and can be tried again."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from programmes import pdf, services
from programmes.compose import compose, content_hash
from programmes.models import Rendering
from programmes.services.rendering import STALE_CLAIM, pdf_name
from tests.pdf import pdf_text
from tests.projects.factories import ProjectFactory

from .factories import MeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

R = Rendering.Status


@pytest.fixture
def programme():
    measure = MeasureFactory(project=ProjectFactory(title="Møteplass på Sletteløkka torg"))
    return measure.programme


@pytest.fixture
def fake_pdf(monkeypatch):
    """A render that takes no time and counts how often it ran; its bytes name the content."""
    calls = []

    def render(content):
        calls.append(content)
        return pdf.Document(data=b"%PDF-1.7 " + content["area"]["name"].encode(), page_count=3)

    monkeypatch.setattr(pdf, "render_pdf", render)
    return calls


def request(programme, capture, **kwargs):
    with capture(execute=True) as callbacks:
        rendering = services.rendering_request(actor=None, programme=programme, **kwargs)
    rendering.refresh_from_db()
    return rendering, callbacks


# --- Content hash: one row, one file, one render -------------------------------------------------


def test_the_same_content_is_one_row_one_file_and_one_render(
    programme, fake_pdf, django_capture_on_commit_callbacks
):
    first, sent = request(programme, django_capture_on_commit_callbacks)
    second, sent_again = request(programme, django_capture_on_commit_callbacks)

    assert first.pk == second.pk
    assert first.status == R.READY and first.renders == 1
    assert second.pdf.name == first.pdf.name == pdf_name(first)
    assert first.content_hash == content_hash(compose(programme))
    assert len(fake_pdf) == 1
    assert len(sent) == 1 and len(sent_again) == 0  # the second ask enqueues nothing
    assert Rendering.objects.count() == 1


def test_asking_while_it_is_queued_or_rendering_enqueues_nothing_more(
    programme, fake_pdf, django_capture_on_commit_callbacks
):
    # Not committed: the task never ran, as if it waits in the broker's queue.
    queued = services.rendering_request(actor=None, programme=programme)
    again, sent = request(programme, django_capture_on_commit_callbacks)
    assert again.pk == queued.pk and again.status == R.QUEUED
    assert sent == [] and fake_pdf == []

    assert services.rendering_claim(rendering_id=queued.pk, task_id="a")
    again, sent = request(programme, django_capture_on_commit_callbacks)
    assert again.status == R.RENDERING and sent == [] and fake_pdf == []


def test_changed_content_is_a_new_rendering_and_a_new_file(
    programme, fake_pdf, django_capture_on_commit_callbacks
):
    before, _ = request(programme, django_capture_on_commit_callbacks)
    programme.introduction = "Et nytt innledende avsnitt om året som kommer."
    programme.save()

    after, _ = request(programme, django_capture_on_commit_callbacks)

    assert after.pk != before.pk
    assert after.content_hash != before.content_hash
    assert after.pdf.name != before.pdf.name
    assert after.content["prose"]["introduction"].startswith("Et nytt")
    assert len(fake_pdf) == 2


def test_the_file_is_the_pdf_of_the_content_byte_for_byte(
    programme, django_capture_on_commit_callbacks
):
    rendering, _ = request(programme, django_capture_on_commit_callbacks)

    stored = rendering.pdf.open("rb").read()
    assert rendering.status == R.READY, rendering.error
    assert stored.startswith(b"%PDF")
    # Rendering the same content again gives the very same bytes: the same content, the same file.
    assert stored == pdf.render_pdf(rendering.content).data
    assert rendering.page_count > 1
    text = pdf_text(stored)
    assert programme.area.name in text
    assert "Møteplass på Sletteløkka torg" in text


def test_two_programmes_with_the_same_text_are_two_renderings(
    fake_pdf, django_capture_on_commit_callbacks
):
    one = ProgrammeFactory(year=2026)
    other = ProgrammeFactory(year=2027)

    first, _ = request(one, django_capture_on_commit_callbacks)
    second, _ = request(other, django_capture_on_commit_callbacks)

    assert first.pk != second.pk and first.pdf.name != second.pdf.name
    assert "-2026-" in first.pdf.name and "-2027-" in second.pdf.name


# --- The claim ----------------------------------------------------------------------------------


def queued_rendering(programme) -> Rendering:
    return services.rendering_request(actor=None, programme=programme)  # never committed


def test_a_queued_rendering_is_claimed_by_one_task_only(programme):
    rendering = queued_rendering(programme)

    assert services.rendering_claim(rendering_id=rendering.pk, task_id="task-a")
    assert not services.rendering_claim(rendering_id=rendering.pk, task_id="task-b")

    rendering.refresh_from_db()
    assert rendering.status == R.RENDERING and rendering.task_id == "task-a"
    assert rendering.started_at is not None


def test_the_same_message_delivered_again_takes_over_its_own_claim(programme):
    rendering = queued_rendering(programme)
    assert services.rendering_claim(rendering_id=rendering.pk, task_id="task-a")

    # Its worker died; the broker hands the same message (the same task id) to another.
    assert services.rendering_claim(rendering_id=rendering.pk, task_id="task-a")


def test_another_message_takes_a_claim_only_once_it_is_stale(programme):
    rendering = queued_rendering(programme)
    assert services.rendering_claim(rendering_id=rendering.pk, task_id="task-a")
    Rendering.objects.filter(pk=rendering.pk).update(
        started_at=timezone.now() - STALE_CLAIM + timedelta(seconds=30)
    )
    assert not services.rendering_claim(rendering_id=rendering.pk, task_id="task-b")

    Rendering.objects.filter(pk=rendering.pk).update(
        started_at=timezone.now() - STALE_CLAIM - timedelta(seconds=1)
    )
    assert services.rendering_claim(rendering_id=rendering.pk, task_id="task-b")
    rendering.refresh_from_db()
    assert rendering.task_id == "task-b"


@pytest.mark.parametrize("status", [R.READY, R.FAILED])
def test_a_ready_or_failed_rendering_is_not_claimed(programme, status):
    rendering = queued_rendering(programme)
    Rendering.objects.filter(pk=rendering.pk).update(status=status, task_id="task-a")

    assert not services.rendering_claim(rendering_id=rendering.pk, task_id="task-a")
    assert not services.rendering_claim(rendering_id=rendering.pk, task_id="task-b")


def test_a_missing_rendering_is_not_claimed():
    assert not services.rendering_claim(rendering_id=987654, task_id="task-a")


def test_a_task_that_cannot_claim_renders_nothing(programme, fake_pdf):
    rendering = queued_rendering(programme)
    assert services.rendering_claim(rendering_id=rendering.pk, task_id="task-a")

    assert services.rendering_run(rendering_id=rendering.pk, task_id="task-b") is None

    assert fake_pdf == []
    rendering.refresh_from_db()
    assert rendering.status == R.RENDERING and rendering.renders == 0


def test_a_render_taken_over_midway_is_counted_once(programme, monkeypatch):
    """The first task's claim went stale while it rendered and a second took over: only the
    holder of the claim marks it ready, so the render is counted once."""
    rendering = queued_rendering(programme)

    def slow_render(content):
        Rendering.objects.filter(pk=rendering.pk).update(
            started_at=timezone.now() - STALE_CLAIM - timedelta(seconds=1)
        )
        monkeypatch.setattr(pdf, "render_pdf", quick_render)
        services.rendering_run(rendering_id=rendering.pk, task_id="task-b")
        return quick_render(content)

    def quick_render(content):
        return pdf.Document(data=b"%PDF-1.7 fake", page_count=2)

    monkeypatch.setattr(pdf, "render_pdf", slow_render)
    services.rendering_run(rendering_id=rendering.pk, task_id="task-a")

    rendering.refresh_from_db()
    assert rendering.status == R.READY
    assert rendering.task_id == "task-b"
    assert rendering.renders == 1


# --- Failure and retry --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, shown",
    [
        (RuntimeError("Oslo Sans mangler"), "Oslo Sans mangler"),
        (SoftTimeLimitExceeded(), "SoftTimeLimitExceeded"),
        (OSError(28, "No space left on device"), "No space left on device"),
    ],
)
def test_a_failure_is_recorded_on_the_row_not_raised(
    programme, monkeypatch, django_capture_on_commit_callbacks, error, shown
):
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=error))

    rendering, _ = request(programme, django_capture_on_commit_callbacks)

    assert rendering.status == R.FAILED
    assert shown in rendering.error
    assert rendering.finished_at is not None
    assert not rendering.pdf and rendering.renders == 0


def test_a_storage_failure_is_recorded_too(
    programme, fake_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    storage = Rendering._meta.get_field("pdf").storage
    monkeypatch.setattr(storage, "save", mock.Mock(side_effect=OSError("read-only file system")))

    rendering, _ = request(programme, django_capture_on_commit_callbacks)

    assert rendering.status == R.FAILED and "read-only file system" in rendering.error


def test_a_failed_rendering_is_tried_again_and_then_rendered_once(
    programme, monkeypatch, django_capture_on_commit_callbacks, users
):
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=RuntimeError("borte")))
    failed, _ = request(programme, django_capture_on_commit_callbacks)
    assert failed.status == R.FAILED
    monkeypatch.setattr(
        pdf, "render_pdf", mock.Mock(return_value=pdf.Document(data=b"%PDF-1.7 x", page_count=2))
    )

    with django_capture_on_commit_callbacks(execute=True) as sent:
        retried = services.rendering_retry(rendering=failed, actor=users["project_leader"])
    assert retried.status == R.QUEUED and retried.error == "" and len(sent) == 1
    retried.refresh_from_db()

    assert retried.pk == failed.pk
    assert retried.status == R.READY and retried.renders == 1
    # A retry of a rendering that is not failed does nothing.
    with django_capture_on_commit_callbacks(execute=True) as sent:
        services.rendering_retry(rendering=retried)
    assert sent == []
    retried.refresh_from_db()
    assert retried.renders == 1


def test_asking_again_for_failed_content_tries_it_again(
    programme, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=RuntimeError("borte")))
    failed, _ = request(programme, django_capture_on_commit_callbacks)
    monkeypatch.setattr(
        pdf, "render_pdf", mock.Mock(return_value=pdf.Document(data=b"%PDF-1.7 x", page_count=2))
    )

    again, sent = request(programme, django_capture_on_commit_callbacks)

    assert again.pk == failed.pk and again.status == R.READY and len(sent) == 1


@pytest.mark.parametrize("role", ["board", "other_district_leader", "resident"])
def test_only_those_who_edit_the_programme_may_try_again(programme, users, role):
    rendering = queued_rendering(programme)
    Rendering.objects.filter(pk=rendering.pk).update(status=R.FAILED, error="borte")

    with pytest.raises(PermissionDenied):
        services.rendering_retry(rendering=rendering, actor=users[role])

    rendering.refresh_from_db()
    assert rendering.status == R.FAILED
