"""Registrations on PostgreSQL under concurrency: however many ask for the last places at once,
the event is never overbooked, nobody is lost, and a freed place goes to the first in line."""

import threading

import pytest
from django.db import connection, connections

from participation import services, tasks
from participation.models import Registration
from tests.accounts.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

# ``transactional_db`` by name in each test: the rows are committed, and the reference data the
# flush removes is loaded again (tests/conftest.py).
pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]

R = Registration.Status
CAPACITY = 5
ALREADY_CONFIRMED = 3
REGISTRANTS = 20
CANCELLING = 2


def run_at_once(work, items) -> list[Exception]:
    """Run ``work(item)`` for every item in its own thread (and so its own database
    connection), all released together by a barrier. Returns the exceptions raised."""
    start = threading.Barrier(len(items), timeout=60)
    errors = []
    lock = threading.Lock()

    def run(item):
        try:
            start.wait()
            work(item)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_concurrent_registrations_never_overbook_and_cancellations_promote_in_order(
    transactional_db, monkeypatch
):
    assert connection.vendor == "postgresql"
    enqueued = []
    lock = threading.Lock()

    def record(pk, template, context=None):
        with lock:
            enqueued.append((pk, str(template)))

    # The services enqueue after commit, as in production; here the queue is this list.
    monkeypatch.setattr(
        tasks.send_registration_email,
        "apply_async",
        lambda args, kwargs=None, **options: record(*args),
    )
    event = EventFactory(capacity=CAPACITY)
    first = [RegistrationFactory(event=event) for _ in range(ALREADY_CONFIRMED)]
    people = [UserFactory() for _ in range(REGISTRANTS)]

    errors = run_at_once(
        lambda person: services.registration_create(
            event=event, actor=person, name="", email="", people=1
        ),
        people,
    )

    assert errors == []
    mine = Registration.objects.filter(event=event, user__in=people)
    assert mine.count() == REGISTRANTS  # nobody lost, nobody twice
    confirmed = Registration.objects.filter(event=event, status=R.CONFIRMED)
    assert confirmed.count() == CAPACITY
    assert mine.filter(status=R.CONFIRMED).count() == CAPACITY - ALREADY_CONFIRMED
    waiting = list(mine.filter(status=R.WAITLISTED).order_by("queued_at", "pk"))
    assert len(waiting) == REGISTRANTS - (CAPACITY - ALREADY_CONFIRMED)
    assert services.seats_taken(event) == CAPACITY
    # Each was told what they got: a place or the waiting list.
    told = dict(enqueued)
    assert len(enqueued) == REGISTRANTS
    for registration in mine:
        assert told[registration.pk] == registration.status

    enqueued.clear()
    leaving = first[:CANCELLING]
    errors = run_at_once(
        lambda registration: services.registration_cancel(
            registration=registration, token=registration.token
        ),
        leaving,
    )

    assert errors == []
    assert Registration.objects.filter(event=event, status=R.CONFIRMED).count() == CAPACITY
    assert services.seats_taken(event) == CAPACITY
    promoted = Registration.objects.filter(event=event, promoted_at__isnull=False)
    assert sorted(promoted.values_list("pk", flat=True)) == sorted(
        r.pk for r in waiting[:CANCELLING]
    )
    assert all(r.status == R.CONFIRMED for r in promoted)
    still_waiting = mine.filter(status=R.WAITLISTED).order_by("queued_at", "pk")
    assert list(still_waiting) == waiting[CANCELLING:]
    gone = Registration.objects.filter(pk__in=[r.pk for r in leaving], status=R.CANCELLED)
    assert gone.count() == CANCELLING
    assert sorted(enqueued) == sorted((r.pk, "promoted") for r in waiting[:CANCELLING])
