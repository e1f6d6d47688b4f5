"""Grants on the real services: the decision letter rendered by a Celery worker process through
Redis, and references issued under concurrent submissions on PostgreSQL."""

import threading
import time

import pytest
from django.db import connection, connections

from grants import services, tasks
from grants.models import Decision, GrantApplication, ReferenceCounter
from tests.pdf import pdf_text

from .factories import GrantRoundFactory, assessed, draft_for

# ``transactional_db`` by name in each test: the rows are committed, and the reference data the
# flush removes is loaded again (tests/conftest.py).
pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]

SUBMITTERS = 50


@pytest.fixture
def media_root(tmp_path):
    return tmp_path / "media"


@pytest.fixture
def worker_env(media_root):
    """The worker stores files on disk where this test can read them (the test settings keep
    files in memory, which another process cannot see)."""
    return {
        "DJANGO_SETTINGS_MODULE": "omradelos.settings.base",
        "MEDIA_ROOT": str(media_root),
        "PRIVATE_MEDIA_ROOT": str(media_root.parent / "private-media"),
    }


def wait_for_letter(decision: Decision, seconds: int = 60) -> Decision:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        decision.refresh_from_db()
        if decision.letter_status != Decision.LetterStatus.PENDING:
            break
        time.sleep(0.5)
    return decision


def test_decision_letter_renders_on_a_real_worker_through_redis(
    transactional_db, worker, users, settings, media_root, monkeypatch
):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    settings.MEDIA_ROOT = str(media_root)
    settings.PRIVATE_MEDIA_ROOT = str(media_root.parent / "private-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storages.PrivateFileSystemStorage"},
    }
    # The service enqueues after commit, as in production; only the queue is this worker's.
    monkeypatch.setattr(
        tasks.render_decision_letter,
        "delay",
        lambda pk: tasks.render_decision_letter.apply_async((pk,), queue=worker),
    )
    leader = users["programme_leader"]
    application = assessed(users["case_handler"])
    services.impartiality_declare(actor=leader, application=application, impartial=True)

    decision = services.decision_make(
        actor=leader, application=application, outcome="innvilg", reasons=""
    )  # committed: no transaction is open around this test

    decision = wait_for_letter(decision)
    assert decision.letter_status == Decision.LetterStatus.READY, decision.letter_error
    assert decision.notified_at is not None
    application.refresh_from_db()
    assert application.accept_by is not None
    with decision.letter.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "40 000 kroner" in text
    assert application.reference in text


def test_fifty_concurrent_submissions_get_fifty_distinct_references(transactional_db, monkeypatch):
    assert connection.vendor == "postgresql"
    enqueued = []
    lock = threading.Lock()

    def record_receipt(pk, template, context=None):
        with lock:
            enqueued.append((pk, template))

    monkeypatch.setattr(tasks.send_applicant_email, "delay", record_receipt)
    grant_round = GrantRoundFactory()
    drafts = [draft_for(round=grant_round) for _ in range(SUBMITTERS)]
    start = threading.Barrier(SUBMITTERS, timeout=60)
    references, errors = [], []

    def submit(draft):
        try:
            start.wait()
            done = services.application_submit(actor=draft.applicant, application=draft)
            with lock:
                references.append(done.reference)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    year = grant_round.year
    expected = {f"BMT-{year}-{n:04d}" for n in range(1, SUBMITTERS + 1)}
    assert sorted(references) == sorted(expected)
    stored = set(
        GrantApplication.objects.filter(round=grant_round).values_list("reference", flat=True)
    )
    assert stored == expected
    assert (
        GrantApplication.objects.filter(
            round=grant_round, status=GrantApplication.Status.SUBMITTED
        ).count()
        == SUBMITTERS
    )
    assert ReferenceCounter.objects.get(year=year).last == SUBMITTERS
    # Every submission committed and enqueued its receipt.
    assert sorted(enqueued) == sorted((d.pk, "receipt") for d in drafts)
