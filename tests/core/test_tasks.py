"""Handing work to the background (core/tasks.py): after commit only; in embedded mode on a
background thread after the response, so a decision answers at once and its letter follows;
with a broker that does not answer, within about a second and left to the sweep."""

import logging
import socket
import threading
import time

import kombu.transport.redis  # noqa: F401 — loaded up front: the timings are the broker's
import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from core import tasks as core_tasks
from core.tasks import enqueue, send_now, wait_for_background
from grants import letters, services
from grants.models import CaseEvent, Decision, Recommendation
from tests.grants.factories import MINIMAL_PDF, assessed


class Recorder:
    """A task stand-in that records its calls (``delay`` as Celery's eager mode calls it)."""

    name = "recorder"

    def __init__(self):
        self.calls = []

    def delay(self, *args, **kwargs):
        self.calls.append(args)


@pytest.mark.django_db(transaction=True)
def test_a_task_is_sent_after_commit_and_never_for_a_rollback(transactional_db):
    task = Recorder()
    with transaction.atomic():
        enqueue(task, 1)
        assert task.calls == []  # not before the commit
    assert task.calls == [(1,)]

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(task, 2)
        raise RuntimeError
    assert task.calls == [(1,)]


# --- Embedded mode: the decision answers at once, the letter follows ---------------------------


def _decide_url(application) -> str:
    with translation.override("en"):
        return reverse("grants:case_decide", kwargs={"pk": application.pk})


@pytest.mark.django_db(transaction=True)
def test_in_embedded_mode_deciding_answers_before_the_letter_is_rendered(
    transactional_db, client, users, settings, monkeypatch
):
    leader = users["programme_leader"]
    application = assessed(users["case_handler"])
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    # Background mode from here on: the case is built first, so that the tasks its steps send
    # (emails) do not run on threads of their own beside the next step's writes (SQLite locks
    # a table that another connection reads).
    settings.TASKS_IN_BACKGROUND = True
    rendering, release = threading.Event(), threading.Event()

    def slow_render(decision, **kwargs):
        # Stands for WeasyPrint's ~10 s: the letter is not done until the test says so.
        rendering.set()
        assert release.wait(30)
        return MINIMAL_PDF

    monkeypatch.setattr(letters, "render_letter_pdf", slow_render)
    client.force_login(leader)

    try:
        # The response comes back while the letter is still being rendered (held by the test).
        response = client.post(
            _decide_url(application),
            {"decide-outcome": Recommendation.APPROVE, "decide-reasons": ""},
        )
        assert response.status_code == 302
        decision = Decision.objects.get(application=application)  # committed
        assert decision.letter_status == Decision.LetterStatus.PENDING
        assert rendering.wait(30)  # the letter is on its way, in the background

        with translation.override("en"):
            case_url = reverse("grants:staff_case", kwargs={"pk": application.pk})
            status_url = reverse("grants:staff_letter_status", args=[application.pk, decision.pk])
        page = client.get(case_url).content.decode()
        assert "Being prepared." in page
        assert f'hx-get="{status_url}"' in page
        assert f'href="{case_url}#decision-{decision.pk}"' in page  # the reload link, no JS
    finally:
        release.set()
        wait_for_background()

    decision.refresh_from_db()
    assert decision.letter_status == Decision.LetterStatus.READY
    assert (
        CaseEvent.objects.filter(application=application, kind=CaseEvent.Kind.LETTER_READY).count()
        == 1
    )
    fragment = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Download the decision letter of" in fragment
    assert "hx-get" not in fragment  # ready: the page stops asking


@pytest.mark.django_db(transaction=True)
def test_a_failing_background_task_is_logged_and_the_next_one_still_runs(
    transactional_db, settings, caplog
):
    settings.TASKS_IN_BACKGROUND = True
    app = Celery("embedded-probe", set_as_current=False)
    app.conf.task_always_eager = True
    done = []

    @app.task(name="probe.fails")
    def fails():
        raise ValueError("no fonts")

    @app.task(name="probe.works")
    def works():
        done.append(True)

    with caplog.at_level(logging.ERROR, logger="core.tasks"):
        send_now(fails)
        send_now(works)
        wait_for_background()

    assert "Background task probe.fails" in caplog.text
    assert done == [True]


# --- A broker that does not answer -------------------------------------------------------------


def _app_on(url: str) -> Celery:
    """A Celery app with the portal's publishing settings, on a broker at ``url``."""
    app = Celery("broker-probe", broker=url, set_as_current=False)
    app.conf.update(
        task_always_eager=False,
        broker_connection_timeout=django_settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        broker_transport_options=django_settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        task_publish_retry_policy=django_settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    )
    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_broker_where_nothing_listens_is_logged_and_left_to_the_sweep(caplog):
    app = _app_on(f"redis://127.0.0.1:{_free_port()}/0")

    @app.task(name="probe.noop")
    def noop(pk):
        return pk

    with caplog.at_level(logging.WARNING, logger="core.tasks"):
        started = time.monotonic()
        send_now(noop, 7)
        took = time.monotonic() - started

    assert took < 1.5
    assert "probe.noop(7,); it is left to the sweep." in caplog.text


def test_a_broker_that_accepts_but_never_answers_costs_a_request_about_a_second(caplog):
    # The kernel accepts the connection into the backlog; nothing ever replies.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        app = _app_on(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")

        @app.task(name="probe.noop")
        def noop(pk):
            return pk

        with caplog.at_level(logging.WARNING, logger="core.tasks"):
            started = time.monotonic()
            send_now(noop, 8)
            took = time.monotonic() - started
    finally:
        silent.close()

    assert took < core_tasks.PUBLISH_WAIT + 0.5
    assert "did not answer within 1.0s for probe.noop(8,)" in caplog.text
