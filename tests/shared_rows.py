"""Rows that every test of a module reads, written once for the module.

Seeding the demo data takes seconds; a module whose tests all read the same seeded rows writes
them once, in a transaction that is rolled back when the module's last test has run. Each test
runs inside it in a savepoint of its own, as any database test does, so what one test writes is
gone before the next begins. A module that uses this holds no transactional test: a flush would
wait on the open transaction.
"""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rows_for_the_module(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
