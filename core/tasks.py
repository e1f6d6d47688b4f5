"""Handing work to the background, the one way every app does it: ``enqueue(task, *args)``.

``enqueue`` sends the task once the current transaction has committed (a rolled-back request
sends nothing). Where it goes depends on the mode:

* **A broker** (``REDIS_URL`` set): published with short timeouts and one quick retry
  (``CELERY_TASK_PUBLISH_RETRY_POLICY``). A broker that does not answer within about a second
  is logged and the request carries on: the database row remembers what is pending, and the
  periodic sweeps send it again when the broker is back.
* **Embedded, in the background** (no ``REDIS_URL``, ``TASKS_IN_BACKGROUND`` on): run in this
  process on one background thread, after the response, so a request never waits for a PDF.
* **Embedded, at once** (``TASKS_IN_BACKGROUND`` off, as in the test suite): run in the
  request, so a test sees the outcome the moment the service returns.

Core imports no app: a task is any Celery task object (or anything with ``delay``).
"""

import atexit
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError

from celery import current_app
from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

# The longest a request waits for the broker to take a task. The settings' connection timeouts
# and retry policy keep a publish short already; this bounds what they cannot (a redis client's
# own retries against a host that drops packets).
PUBLISH_WAIT = 1.0

_executor: ThreadPoolExecutor | None = None
_publishing: ThreadPoolExecutor | None = None
_pending: set[Future] = set()
_start = threading.Lock()


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task(*args, **kwargs)`` to the background once the transaction commits."""
    transaction.on_commit(lambda: send_now(task, *args, **kwargs))


def send_now(task, *args, **kwargs) -> None:
    """Send a task at once (outside any transaction, e.g. from a sweep). Never raises for a
    broker that is away: the failure is logged and the task is left to the next sweep."""
    app = getattr(task, "app", None) or current_app
    if app.conf.task_always_eager:
        if getattr(settings, "TASKS_IN_BACKGROUND", False):
            future = _background().submit(_run_in_background, task, args, kwargs)
            _pending.add(future)
            future.add_done_callback(_pending.discard)
            return
        task.delay(*args, **kwargs)
        return
    # Nobody waits for a task's result (the database row is the outcome), so none is stored,
    # and publishing never touches the result backend.
    future = _publisher().submit(task.apply_async, args, kwargs, ignore_result=True)
    try:
        future.result(timeout=PUBLISH_WAIT)
    except TimeoutError:
        logger.warning(
            "The broker did not answer within %ss for %s%r; it is left to the sweep.",
            PUBLISH_WAIT,
            getattr(task, "name", task),
            args,
        )
    except Exception:  # the broker's errors vary by transport; all mean "not sent now"
        logger.warning(
            "The broker did not take %s%r; it is left to the sweep.",
            getattr(task, "name", task),
            args,
            exc_info=True,
        )


def wait_for_background(timeout: float = 60) -> None:
    """Wait until every task handed to the background thread so far has run (tests, shutdown)."""
    while _pending:
        for future in list(_pending):
            future.result(timeout=timeout)


def _background() -> ThreadPoolExecutor:
    global _executor
    with _start:
        if _executor is None:
            # One thread: tasks run one after another, as on a single worker, and SQLite sees at
            # most one background writer.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tasks")
            atexit.register(_executor.shutdown, wait=True)
    return _executor


def _publisher() -> ThreadPoolExecutor:
    global _publishing
    with _start:
        if _publishing is None:
            _publishing = ThreadPoolExecutor(max_workers=4, thread_name_prefix="publish")
    return _publishing


def _run_in_background(task, args, kwargs) -> None:
    close_old_connections()
    try:
        task.apply(args=args, kwargs=kwargs, throw=True)
    except Exception:
        logger.exception("Background task %s%r failed.", getattr(task, "name", task), args)
    finally:
        connections.close_all()
