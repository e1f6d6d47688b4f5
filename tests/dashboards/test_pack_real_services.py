"""The board pack on the real services: asked for on PostgreSQL, sent through Redis and rendered
by a real Celery worker process (the deployed settings, late acknowledgement), once.

The dashboard's figures are the hand-built ones of ``test_pack``: this test is about the path
from the request to the file, not about the figures."""

import time
import uuid

import pytest

from dashboards import figures, services, tasks
from dashboards.figures import Filters, Scope
from dashboards.models import BoardPack
from tests.accounts.factories import make_user
from tests.programmes.test_real_services import Worker

from .test_pack import BUDGET, build_dashboard, kr, text_of

pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]

P = BoardPack.Status


@pytest.fixture
def media_root(tmp_path, settings):
    """This process and the worker keep files in the same folders on disk."""
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
    """A queue of this test's own: every pack this process sends goes there."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    real = tasks.render_board_pack.apply_async
    monkeypatch.setattr(
        tasks.render_board_pack,
        "apply_async",
        lambda *args, **kwargs: real(*args, **{**kwargs, "queue": name}),
    )
    return name


@pytest.fixture
def worker(queue, tmp_path, media_root):
    started = Worker(queue, "pack", tmp_path, media_root)
    yield started
    started.stop()


def wait_for(board_pack: BoardPack, *statuses: str, seconds: float = 120) -> BoardPack:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        board_pack.refresh_from_db()
        if board_pack.status in statuses:
            break
        time.sleep(0.1)
    return board_pack


def packs_rendered(worker: Worker) -> int:
    return sum(
        1
        for line in worker.log().splitlines()
        if "dashboards.render_board_pack[" in line and "succeeded" in line
    )


def test_a_pack_asked_for_is_rendered_once_by_a_real_worker(transactional_db, worker, monkeypatch):
    monkeypatch.setattr(figures, "dashboard", build_dashboard)
    board = make_user("board")
    worker.wait_ready()
    scope = Scope(district_ids=None)
    board_pack = services.pack_request(actor=board, filters=Filters(), scope=scope)
    assert board_pack.status == P.QUEUED  # the request does not wait for the PDF

    board_pack = wait_for(board_pack, P.READY, P.FAILED)
    assert board_pack.status == P.READY, (board_pack.error, worker.log())
    assert board_pack.renders == 1
    assert board_pack.task_id and not board_pack.task_id.startswith("eager-")
    with board_pack.pdf.open("rb") as handle:
        text = text_of(handle.read())
    for planned, _spent in BUDGET.values():
        assert kr(planned) in text

    # Asked for again: the same pack, nothing sent, nothing rendered again.
    again = services.pack_request(actor=board, filters=Filters(), scope=scope)
    assert again.pk == board_pack.pk
    time.sleep(2)
    assert packs_rendered(worker) == 1
    again.refresh_from_db()
    assert again.renders == 1
