import importlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from areas.models import District

_reference = importlib.import_module("areas.migrations.0002_reference_data")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the tables the data migration filled; put the rows back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.apps import apps

        _reference.load(apps, None)


@pytest.fixture(autouse=True)
def _no_background_task_outlives_its_test():
    """A task a test handed to the background thread (``TASKS_IN_BACKGROUND``) has run before
    the next test begins: it would otherwise write beside the next test's setup."""
    yield
    from core.tasks import wait_for_background

    wait_for_background()


@pytest.fixture(autouse=True)
def _fresh_ratelimit_cache(request):
    """Sign-in rate limits live in a database table that transactional tests do not flush."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.core.cache import caches

        caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    """``client.force_login`` stands for a completed sign-in: for a user with TOTP that includes
    the second factor, recorded in the session as allauth does. Tests of the sign-in itself go
    through the login pages or ``client.login`` (password alone)."""
    from django.test import Client

    from tests.accounts.factories import record_second_factor

    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        record_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /en/ or /nn/ leaves its language active in the test's thread; every test
    starts, and ends, in the site's default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages live in the cache; no test sees another's."""
    from django.core.cache import cache

    from core import page_cache

    cache.clear()
    page_cache.forget()
    yield


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Celery tasks run in-process in every test not marked ``real_services``, on both runs of
    the suite, so an outcome never depends on whether a worker happens to listen on Redis. The
    ``real_services`` tests are the ones that send tasks to a real worker. They run inside the
    request, not on the embedded mode's background thread, so a test sees the outcome at once
    (tests/grants/test_tasks.py shows the background thread itself)."""
    if request.node.get_closest_marker("real_services"):
        yield
        return
    from django.test import override_settings

    from omradelos.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    with override_settings(TASKS_IN_BACKGROUND=False):
        yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def bjerke(db) -> District:
    return District.objects.get(number="09")


@pytest.fixture
def alna(db) -> District:
    return District.objects.get(number="12")


@pytest.fixture
def users(db, bjerke, alna) -> dict:
    """One user per role of the permission matrix; district staff work in Bjerke."""
    from tests.accounts.factories import make_user

    return {
        "resident": make_user(),
        "case_handler": make_user("case_handler", bjerke),
        "project_leader": make_user("project_leader", bjerke),
        "programme_leader": make_user("programme_leader", bjerke),
        "other_district_leader": make_user("programme_leader", alna),
        "board": make_user("board"),
        "secretariat": make_user("secretariat"),
    }


def _real_services_configured() -> bool:
    import os

    return bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    """Tests marked ``real_services`` need PostgreSQL and Redis, those marked ``postgres`` need
    PostgreSQL. On embedded defaults they are
    deselected (not skipped): the PostgreSQL + Redis run of the suite is where they count, and
    there they must run — CI fails that run if they are missing."""
    import os

    if _real_services_configured():
        return
    if os.environ.get("REQUIRE_REAL_SERVICES"):
        raise pytest.UsageError("REQUIRE_REAL_SERVICES is set but DATABASE_URL/REDIS_URL are not.")
    # ``postgres`` tests need the database alone.
    needed = ("real_services",) if os.environ.get("DATABASE_URL") else ("real_services", "postgres")
    keep, drop = [], []
    for item in items:
        dropped = any(item.get_closest_marker(name) for name in needed)
        (drop if dropped else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def worker_env() -> dict:
    """Extra environment for the ``worker`` process; a test module may override this fixture."""
    return {}


@pytest.fixture
def worker(worker_env):
    """Start ``celery worker`` on a queue of its own, pointed at the test database.

    Yields the queue's name: send a task there with ``apply_async(queue=worker)``. The worker's
    log is printed when the test ends, so a failing test shows what the worker did.
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    env["DJANGO_SETTINGS_MODULE"] = "omradelos.settings.test"
    env.update(worker_env)
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "omradelos",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output)
