"""Programme PDFs on the real services: rendered by Celery worker processes through Redis, on
PostgreSQL. A worker killed mid-render leaves the PDF to be rendered exactly once; a broker
that is away when the PDF is asked for loses nothing; two workers render the areas of a year in
parallel; and two requests for the same content at the same moment make one rendering."""

import copy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from areas.models import Area
from programmes import services, tasks
from programmes.compose import compose
from programmes.models import Rendering
from programmes.services.rendering import STALE_CLAIM, renderings_request_year
from tests.pdf import pdf_text
from tests.projects.factories import BudgetLineFactory, ProjectFactory

from .factories import MeasureFactory, ProgrammeFactory

# ``transactional_db`` by name in each test: the rows are committed, as a worker must see them.
pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]

R = Rendering.Status
ROOT = Path(__file__).resolve().parents[2]
YEAR = 2026


# --- Workers ------------------------------------------------------------------------------------


class Worker:
    """``celery worker`` as deployed (late acknowledgement, prefetch 1), as its own process on a
    queue of this test's, pointed at the test database; its log goes to a file."""

    def __init__(
        self, queue: str, name: str, log_dir: Path, media_root: Path, pool: str = "solo", **env
    ):
        db = connection.settings_dict
        self.name, self.log_path = name, log_dir / f"{name}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
                f"/{db['NAME']}"
            ),
            # The deployed settings (files on disk, where this test reads them back).
            "DJANGO_SETTINGS_MODULE": "omradelos.settings.base",
            "MEDIA_ROOT": str(media_root),
            "PRIVATE_MEDIA_ROOT": str(media_root.parent / "private-media"),
            "PYTHONPATH": str(ROOT),
            **env,
        }
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("celery")),
                    "-A",
                    "omradelos",
                    "worker",
                    f"--pool={pool}",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    f"--queues={queue}",
                    f"--hostname={name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def pool_processes(self) -> list[int]:
        """The ids of this worker's pool processes (its children), from /proc."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    children.append(int(entry.name))
        return children

    def log(self) -> str:
        return self.log_path.read_text()

    def wait_ready(self, seconds: float = 60) -> "Worker":
        give_up = time.monotonic() + seconds
        while " ready." not in self.log():
            assert self.proc.poll() is None, self.log()
            assert time.monotonic() < give_up, self.log()
            time.sleep(0.2)
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing handed back to the broker."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        print(f"--- {self.name} ---\n{self.log()}")

    def renders_done(self) -> int:
        """How many render tasks this worker finished (Celery logs each one it completes)."""
        return sum(
            1
            for line in self.log().splitlines()
            if "programmes.render_programme[" in line and "succeeded" in line
        )


@pytest.fixture
def media_root(tmp_path, settings):
    """This process and the workers keep files in the same folders on disk."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storages.PrivateFileSystemStorage"},
    }
    return root


@pytest.fixture
def queue(monkeypatch):
    """A queue of this test's own: every render this process sends goes there."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    real = tasks.render_programme.apply_async
    monkeypatch.setattr(
        tasks.render_programme,
        "apply_async",
        lambda *args, **kwargs: real(*args, **{**kwargs, "queue": name}),
    )
    return name


@pytest.fixture
def workers(queue, tmp_path, media_root):
    """Start workers with ``workers(name, **env)``; every one is stopped, and its log printed,
    when the test ends."""
    started: list[Worker] = []

    def start(name: str, **env) -> Worker:
        worker = Worker(queue, name, tmp_path, media_root, **env)  # pool="prefork" passes through
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(rendering: Rendering, *statuses: str, seconds: float = 120) -> Rendering:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        rendering.refresh_from_db()
        if rendering.status in statuses:
            break
        time.sleep(0.05)
    return rendering


def programme_with_measures(count: int = 2, **kwargs):
    programme = ProgrammeFactory(**kwargs)
    for n in range(count):
        project = ProjectFactory(area=programme.area, title=f"Sletteløkka møteplass {n + 1}")
        BudgetLineFactory(project=project, year=programme.year, planned=100000 + n)
        MeasureFactory(programme=programme, project=project)
    return programme


def big_content(programme, measures: int = 60) -> dict:
    """The programme's composition with many measures: a document that takes the worker several
    seconds to render, long enough to kill it in the middle."""
    content = compose(programme)
    template = content["measures"][0]
    content["measures"] = [
        {**copy.deepcopy(template), "number": n, "title": f"Tiltak {n} på Sletteløkka"}
        for n in range(1, measures + 1)
    ]
    return content


def kill_mid_render(worker: Worker, rendering: Rendering, kill=None) -> str:
    """Kill the worker (or with ``kill``, what it kills) while it renders; returns the task id
    of the claim it leaves."""
    rendering = wait_for(rendering, R.RENDERING, R.READY, R.FAILED, seconds=60)
    assert rendering.status == R.RENDERING, (rendering.status, worker.log())
    time.sleep(0.5)  # well inside the render
    (kill or worker.kill)()
    rendering.refresh_from_db()
    # Killed in the middle: the claim is left, nothing was stored.
    assert rendering.status == R.RENDERING, worker.log()
    assert rendering.renders == 0 and not rendering.pdf
    return rendering.task_id


# --- (a) A render on a real worker --------------------------------------------------------------


def test_the_pdf_is_rendered_by_a_real_worker_through_redis(transactional_db, settings, workers):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert connection.vendor == "postgresql"
    workers("render").wait_ready()
    programme = programme_with_measures()

    rendering = services.rendering_request(actor=None, programme=programme)  # committed, sent

    rendering = wait_for(rendering, R.READY, R.FAILED)
    assert rendering.status == R.READY, rendering.error
    assert rendering.renders == 1 and rendering.page_count > 1
    with rendering.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert programme.area.name in text
    assert "Sletteløkka møteplass 2" in text
    # Asked for again: the same row and the same file, not rendered again.
    again = services.rendering_request(actor=None, programme=programme)
    assert again.pk == rendering.pk and again.pdf.name == rendering.pdf.name
    assert wait_for(again, R.READY).renders == 1


# --- (b) A worker killed mid-render -------------------------------------------------------------


def test_a_worker_killed_mid_render_leaves_it_rendered_once_by_the_redelivered_message(
    transactional_db, workers
):
    """Late acknowledgement: the message of a worker killed mid-render stays unacknowledged in
    Redis and is handed out again once the visibility timeout has passed (seconds here, as the
    test worker's settings say); the same message takes over its own claim."""
    fast_redelivery = {
        "DJANGO_SETTINGS_MODULE": "tests.programmes.worker_settings",
        "TEST_VISIBILITY_TIMEOUT": "3",
    }
    first = workers("first", **fast_redelivery).wait_ready()
    programme = programme_with_measures(1)

    rendering = services.rendering_request(
        actor=None, programme=programme, content=big_content(programme)
    )
    task_id = kill_mid_render(first, rendering)
    time.sleep(3)  # the visibility timeout passes while no worker runs

    workers("second", **fast_redelivery).wait_ready()

    rendering = wait_for(rendering, R.READY, R.FAILED, seconds=180)
    assert rendering.status == R.READY, rendering.error
    assert rendering.task_id == task_id  # the very message the killed worker had
    assert rendering.renders == 1
    with rendering.pdf.open("rb") as handle:
        assert "Tiltak 60 på Sletteløkka" in pdf_text(handle.read())
    assert tasks.sweep_pending_renderings() == 0


def test_a_pool_process_killed_mid_render_hands_the_message_straight_back(
    transactional_db, workers
):
    """As deployed (prefork): the out-of-memory killer takes the pool process that renders. The
    task is rejected on worker loss, so the same message goes back to the queue at once and the
    next pool process takes over its claim — no waiting for a visibility timeout or the sweep."""
    worker = workers("prefork", pool="prefork").wait_ready()
    programme = programme_with_measures(1)
    rendering = services.rendering_request(
        actor=None, programme=programme, content=big_content(programme)
    )
    [renderer] = worker.pool_processes()

    task_id = kill_mid_render(worker, rendering, kill=lambda: os.kill(renderer, signal.SIGKILL))

    rendering = wait_for(rendering, R.READY, R.FAILED, seconds=180)
    assert rendering.status == R.READY, (rendering.error, worker.log())
    assert rendering.task_id == task_id and rendering.renders == 1
    assert "WorkerLostError" in worker.log() or "signal 9" in worker.log()
    assert worker.pool_processes() != [renderer]  # a new pool process rendered it


def test_a_dead_workers_claim_goes_stale_and_the_sweep_has_it_rendered_once(
    transactional_db, workers
):
    """As deployed (Redis gives the message back only after an hour): the claim of the killed
    worker goes stale after the render's time limit, beat's sweep sends the rendering again and
    the new message takes it over. The old message, when it does come back, renders nothing."""
    first = workers("first").wait_ready()
    programme = programme_with_measures(1)
    rendering = services.rendering_request(
        actor=None, programme=programme, content=big_content(programme)
    )
    dead_task = kill_mid_render(first, rendering)
    second = workers("second").wait_ready()

    # A fresh claim is left alone: the dead worker might still be rendering.
    assert tasks.sweep_pending_renderings() == 0
    # The render's time limit and the margin pass (as beat would see it minutes later).
    Rendering.objects.filter(pk=rendering.pk).update(
        started_at=timezone.now() - STALE_CLAIM - timedelta(seconds=1)
    )
    assert tasks.sweep_pending_renderings() == 1

    rendering = wait_for(rendering, R.READY, R.FAILED, seconds=180)
    assert rendering.status == R.READY, rendering.error
    assert rendering.task_id != dead_task and rendering.renders == 1

    # The killed worker's message, delivered again at last, finds it done.
    late = tasks.render_programme.apply_async(args=[rendering.pk], task_id=dead_task)
    assert late.get(timeout=60) == "skipped", second.log()
    rendering.refresh_from_db()
    assert rendering.renders == 1 and rendering.status == R.READY


# --- (c) The broker away when the PDF is asked for ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_redis_at(url: str, settings) -> None:
    """Cache and broker of this (web) process at ``url``, as if REDIS_URL pointed there."""
    from omradelos.celery import app

    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": url},
    }
    settings.CELERY_BROKER_URL = app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_outage_when_the_pdf_is_asked_for_loses_nothing(
    transactional_db, request, settings, workers
):
    real_redis = settings.CELERY_BROKER_URL
    programme = programme_with_measures()
    request.addfinalizer(lambda: _point_redis_at(real_redis, settings))
    _point_redis_at(f"redis://127.0.0.1:{_free_port()}/4", settings)

    started = time.monotonic()
    rendering = services.rendering_request(actor=None, programme=programme)  # does not raise
    took = time.monotonic() - started

    assert took < 3, took
    rendering.refresh_from_db()
    assert rendering.status == R.QUEUED  # the row remembers

    # Redis is back, and a worker with it; a minute later beat's sweep finds the row.
    _point_redis_at(real_redis, settings)
    workers("render").wait_ready()
    assert tasks.sweep_pending_renderings() == 0  # asked for just now: not lost yet
    Rendering.objects.filter(pk=rendering.pk).update(
        requested_at=timezone.now() - timedelta(minutes=2)
    )
    assert tasks.sweep_pending_renderings() == 1

    rendering = wait_for(rendering, R.READY, R.FAILED)
    assert rendering.status == R.READY, rendering.error
    assert rendering.renders == 1
    with rendering.pdf.open("rb") as handle:
        assert programme.area.name in pdf_text(handle.read())
    assert tasks.sweep_pending_renderings() == 0


# --- (d) Every area of a year on two workers ----------------------------------------------------


def test_two_workers_render_the_twelve_areas_in_parallel(transactional_db, workers):
    one, two = workers("one").wait_ready(), workers("two").wait_ready()
    areas = list(Area.objects.all())
    assert len(areas) == 12
    for area in areas:
        programme = ProgrammeFactory(area=area, year=YEAR)
        MeasureFactory(programme=programme, project=ProjectFactory(area=area))

    started = time.monotonic()
    outcome = renderings_request_year(actor=None, year=YEAR)
    renderings = [rendering for _programme, rendering in outcome.renderings]
    for rendering in renderings:
        wait_for(rendering, R.READY, R.FAILED, seconds=240)
    took = time.monotonic() - started

    assert len(renderings) == 12
    assert [r.status for r in renderings] == [R.READY] * 12, [r.error for r in renderings]
    assert all(r.renders == 1 for r in renderings)
    names = {r.pdf.name for r in renderings}
    assert len(names) == 12
    # Both workers took areas, and their renders overlapped in time.
    done_by = {w.name: w.renders_done() for w in (one, two)}
    assert all(done_by.values()), done_by
    assert sum(done_by.values()) == 12, done_by
    spans = sorted((r.started_at, r.finished_at) for r in renderings)
    overlapping = [
        1 for before, after in zip(spans, spans[1:], strict=False) if after[0] < before[1]
    ]
    assert overlapping, spans
    print(f"Twelve areas on two workers: {took:.1f} s; by worker: {done_by}")


# --- The same content asked for at the same moment ----------------------------------------------

ASKERS = 16


def test_concurrent_requests_for_the_same_content_make_one_rendering(transactional_db, monkeypatch):
    assert connection.vendor == "postgresql"
    sent, lock = [], threading.Lock()

    def record(args, kwargs=None, **options):
        with lock:
            sent.append(args)

    monkeypatch.setattr(tasks.render_programme, "apply_async", record)
    programme = programme_with_measures()
    start = threading.Barrier(ASKERS, timeout=60)
    results, errors = [], []

    def ask():
        try:
            start.wait()
            rendering = services.rendering_request(actor=None, programme=programme)
            with lock:
                results.append(rendering.pk)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(ASKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == ASKERS and len(set(results)) == 1
    assert Rendering.objects.filter(programme=programme).count() == 1
    assert sent == [(results[0],)]  # enqueued once
