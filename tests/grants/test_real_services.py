"""Grants on the real services: the decision letter rendered by a Celery worker process through
Redis, and references issued under concurrent submissions on PostgreSQL."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from grants import services, tasks
from grants.models import CaseEvent, Decision, GrantApplication, ReferenceCounter
from tests.accounts.factories import PASSWORD, UserFactory
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
    real = tasks.render_decision_letter.apply_async
    monkeypatch.setattr(
        tasks.render_decision_letter,
        "apply_async",
        lambda *args, **kwargs: real(*args, queue=worker, **kwargs),
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

    monkeypatch.setattr(
        tasks.send_applicant_email,
        "apply_async",
        lambda args, kwargs=None, **options: record_receipt(*args),
    )
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


# --- A Redis outage -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_redis_at(url: str, settings) -> None:
    """Cache and broker of this (web) process at ``url``, as if REDIS_URL pointed there."""
    from omradelos.celery import app

    settings.CACHES = {
        **settings.CACHES,  # the sign-in counters stay in the database
        "default": {**settings.CACHES["default"], "LOCATION": url},
    }
    settings.CELERY_BROKER_URL = app.conf.broker_url = url
    # The next publish takes its connection from the pool for the new address (kombu keeps one
    # pool per address, so the pool for the real Redis is there again when it is back).
    app._pool = None
    app.amqp._producer_pool = None


class Timed:
    """A test client whose every request is timed and checked: no 5xx, none slower than 2 s."""

    LIMIT = 2.0

    def __init__(self, client):
        self.client, self.slowest = client, 0.0

    def __getattr__(self, name):
        return getattr(self.client, name)

    def _timed(self, method, *args, **kwargs):
        started = time.monotonic()
        response = method(*args, **kwargs)
        took = time.monotonic() - started
        self.slowest = max(self.slowest, took)
        assert response.status_code < 500, (args, response.status_code)
        assert took < self.LIMIT, (args, took)
        return response

    def get(self, *args, **kwargs):
        return self._timed(self.client.get, *args, **kwargs)

    def post(self, *args, **kwargs):
        return self._timed(self.client.post, *args, **kwargs)


def test_a_redis_outage_costs_no_error_and_the_letter_follows_once_it_is_back(
    transactional_db, request, client, users, settings, media_root, monkeypatch
):
    real_redis = settings.CELERY_BROKER_URL
    settings.MEDIA_ROOT = str(media_root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    resident = UserFactory()
    draft = draft_for(resident)
    handler, leader = users["case_handler"], users["programme_leader"]
    web = Timed(client)
    client.get("/accounts/login/")  # a web process that has served before the outage

    # Redis stops answering: nothing listens where the portal looks for it. Whatever happens
    # below, the process points at the real Redis again afterwards, for the tests that follow.
    request.addfinalizer(lambda: _point_redis_at(real_redis, settings))
    _point_redis_at(f"redis://127.0.0.1:{_free_port()}/2", settings)
    assert client.get("/healthz").json()["down"] == ["broker", "cache"]

    # A resident signs in and submits.
    response = web.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    assert web.get(reverse("grants:my_applications")).status_code == 200
    response = web.post(reverse("grants:application_submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == GrantApplication.Status.SUBMITTED
    assert draft.receipt_sent_at is None  # the receipt waits for the sweep

    # The case is assessed, and the programme leader decides on the case page.
    services.case_take(actor=handler, application=draft)
    services.impartiality_declare(actor=handler, application=draft, impartial=True)
    services.assessment_save(
        actor=handler,
        application=draft,
        scores={"Nytte for beboerne": 4},
        recommendation="innvilg",
        recommended_amount=None,
        reasons="",
    )
    services.decision_propose(actor=handler, application=draft)
    client.force_login(leader)
    assert web.get(reverse("grants:staff_queue")).status_code == 200
    assert web.get(reverse("grants:staff_case", args=[draft.pk])).status_code == 200
    services.impartiality_declare(actor=leader, application=draft, impartial=True)
    response = web.post(
        reverse("grants:case_decide", kwargs={"pk": draft.pk}),
        {"decide-outcome": "innvilg", "decide-reasons": ""},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=draft)  # committed, though nothing was sent
    assert decision.letter_status == Decision.LetterStatus.PENDING
    page = web.get(reverse("grants:staff_case", args=[draft.pk])).content.decode()
    status_url = reverse("grants:staff_letter_status", args=[draft.pk, decision.pk])
    assert f'hx-get="{status_url}"' in page  # the page follows the letter as it comes
    assert web.slowest < Timed.LIMIT

    # Redis is back, and a worker with it.
    _point_redis_at(real_redis, settings)
    queue = request.getfixturevalue("worker")
    for task in (tasks.render_decision_letter, tasks.send_applicant_email):
        real = task.apply_async
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda *args, _real=real, **kwargs: _real(*args, queue=queue, **kwargs),
        )
    # A minute has passed: what is pending is due for the sweep (as beat would run it).
    minute_ago = timezone.now() - tasks.STALE_LETTER - timedelta(seconds=1)
    Decision.objects.filter(pk=decision.pk).update(decided_at=minute_ago)
    GrantApplication.objects.filter(pk=draft.pk).update(submitted_at=minute_ago)

    assert tasks.sweep_pending_letters() == 1
    assert tasks.sweep_pending_receipts() == 1

    decision = wait_for_letter(decision, seconds=120)
    assert decision.letter_status == Decision.LetterStatus.READY, decision.letter_error
    ready = CaseEvent.objects.filter(application=draft, kind=CaseEvent.Kind.LETTER_READY)
    assert ready.count() == 1
    assert tasks.sweep_pending_letters() == 0  # nothing left pending: rendered once
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        draft.refresh_from_db()
        if draft.receipt_sent_at:
            break
        time.sleep(0.5)
    assert draft.receipt_sent_at is not None
    assert client.get("/healthz").json()["status"] == "ok"
