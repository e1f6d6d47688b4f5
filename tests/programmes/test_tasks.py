"""The render task and the sweep: a task run twice renders once, and the sweep sends again what
was lost (queued a while, or claimed by a worker that is gone) and leaves the rest alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from omradelos.celery import app
from programmes import pdf, services, tasks
from programmes.models import Rendering
from programmes.services.rendering import LOST_IN_QUEUE, RENDER_TIME_LIMIT, STALE_CLAIM

from .factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

R = Rendering.Status


@pytest.fixture
def renders(monkeypatch):
    calls = []

    def render(content):
        calls.append(content["programme_id"])
        return pdf.Document(data=b"%PDF-1.7 " + str(len(calls)).encode(), page_count=2)

    monkeypatch.setattr(pdf, "render_pdf", render)
    return calls


def pending(year: int, **changes) -> Rendering:
    """A rendering asked for and never sent on (not committed: the task did not run)."""
    programme = ProgrammeFactory(year=year)
    rendering = services.rendering_request(actor=None, programme=programme)
    if changes:
        Rendering.objects.filter(pk=rendering.pk).update(**changes)
    return rendering


def test_the_task_run_twice_renders_once(renders):
    rendering = pending(2026)

    assert tasks.render_programme.apply(args=[rendering.pk]).get() == R.READY
    assert tasks.render_programme.apply(args=[rendering.pk]).get() == "skipped"

    rendering.refresh_from_db()
    assert rendering.status == R.READY and rendering.renders == 1
    assert len(renders) == 1


def test_the_task_for_a_rendering_that_is_gone_does_nothing(renders):
    assert tasks.render_programme.apply(args=[987654]).get() == "skipped"
    assert renders == []


def test_the_task_is_acknowledged_late_rejected_on_worker_loss_and_time_limited():
    task = tasks.render_programme
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.time_limit == RENDER_TIME_LIMIT
    assert task.soft_time_limit < task.time_limit
    # A claim goes stale only after a render would have been stopped.
    assert timedelta(seconds=RENDER_TIME_LIMIT) < STALE_CLAIM
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_the_sweep_sends_what_is_lost_and_leaves_the_rest(renders):
    now = timezone.now()
    lost = pending(2020, requested_at=now - LOST_IN_QUEUE - timedelta(seconds=5))
    just_asked = pending(2021)
    dead_worker = pending(
        2022,
        status=R.RENDERING,
        task_id="dead-task",
        started_at=now - STALE_CLAIM - timedelta(seconds=5),
        requested_at=now - timedelta(minutes=30),
    )
    busy_worker = pending(
        2023,
        status=R.RENDERING,
        task_id="live-task",
        started_at=now - timedelta(seconds=20),
        requested_at=now - timedelta(minutes=30),
    )
    ready = pending(2024, status=R.READY, requested_at=now - timedelta(days=1))
    failed = pending(2025, status=R.FAILED, error="borte", requested_at=now - timedelta(days=1))

    assert tasks.sweep_pending_renderings() == 2

    statuses = dict(Rendering.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == R.READY
    assert statuses[dead_worker.pk] == R.READY
    assert statuses[just_asked.pk] == R.QUEUED
    assert statuses[busy_worker.pk] == R.RENDERING
    assert statuses[ready.pk] == R.READY
    assert statuses[failed.pk] == R.FAILED
    assert sorted(renders) == sorted([lost.programme_id, dead_worker.programme_id])
    taken_over = Rendering.objects.get(pk=dead_worker.pk)
    assert taken_over.task_id != "dead-task" and taken_over.renders == 1
    # Nothing left: a second sweep sends nothing, and nothing is rendered twice.
    assert tasks.sweep_pending_renderings() == 0
    assert len(renders) == 2


def test_the_sweep_with_the_broker_away_loses_nothing(renders, monkeypatch):
    """The sweep's own send can fail too: the row stays queued for the next sweep."""
    rendering = pending(2026, requested_at=timezone.now() - timedelta(minutes=5))

    def refused(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.render_programme, "apply_async", refused)
    app.conf.task_always_eager = False  # as with a broker configured
    try:
        assert tasks.sweep_pending_renderings() == 1  # tried, logged, not raised
    finally:
        app.conf.task_always_eager = True

    rendering.refresh_from_db()
    assert rendering.status == R.QUEUED and renders == []


def test_beat_runs_the_sweep_every_minute():
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["programmes.sweep_pending_renderings"] == 60
    assert "programmes.sweep_pending_renderings" in app.tasks
