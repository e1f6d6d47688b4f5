"""Case references like BMT-2026-0042: one sequence per year, unique under concurrency.

The counter row for the year is locked with SELECT … FOR UPDATE, so concurrent submissions
queue on it for the moment it takes to add one; the unique constraint on the reference is the
last line of defence.
"""

from django.db import transaction

from .models import ReferenceCounter

PREFIX = "BMT"


def next_for(year: int) -> str:
    """The next reference for ``year``. Must run inside the submitting transaction."""
    assert transaction.get_connection().in_atomic_block
    # Create the year's row if it is missing without racing: a conflict means another
    # transaction created it first, which is just as good.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX}-{year}-{counter.last:04d}"
