"""How the portal talks to PostgreSQL."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection


def _open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_select_of_rows_reads_them_without_a_cursor_held_on_the_server():
    """``iterator()`` — what every select of a model's rows in a form uses — reads the rows in
    one round trip: no server-side cursor is declared, fetched from and closed around it."""
    assert connection.vendor == "postgresql"
    # Content types: rows every database of the portal has, whatever a test emptied before.
    assert ContentType.objects.count() > 1
    before = _open_cursors()
    rows = ContentType.objects.order_by("pk").iterator(chunk_size=1)
    next(rows)
    assert _open_cursors() == before
    assert len(list(rows)) == ContentType.objects.count() - 1
