"""Data versions: a number per topic that changes whenever the topic's data does.

The writing services call ``bump(topic)`` (inside or outside a transaction); the number is
raised once the transaction commits, so a reader never sees a new version with old data. A
cache of figures computed from some topics puts ``current(*topics)`` into its key: after any
write the key is new and the figures are computed again; nothing waits for a timeout.

The numbers live in the database (``core.models.DataVersion``), not in the cache: a cache
that restarts, evicts or is away cannot bring an old number back. ``core`` names the topics
but imports no app; the apps call ``bump`` with their own topic.
"""

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F

from .models import DataVersion

PROJECTS = "projects"
GRANTS = "grants"
PARTICIPATION = "participation"
PROGRAMMES = "programmes"
AREAS = "areas"
KNOWLEDGE = "knowledge"
TOPICS = (AREAS, PROJECTS, GRANTS, PARTICIPATION, PROGRAMMES, KNOWLEDGE)


def _raise(topic: str) -> None:
    if DataVersion.objects.filter(topic=topic).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(topic=topic, version=1)
    except IntegrityError:  # another process created it first
        DataVersion.objects.filter(topic=topic).update(version=F("version") + 1)


def bump(*topics: str) -> None:
    """Raise the topics' versions when the current transaction commits (at once outside one)."""
    for topic in dict.fromkeys(topics):
        transaction.on_commit(lambda topic=topic: _raise(topic))


def current(*topics: str) -> tuple[int, ...]:
    """The topics' versions now, in the order asked (0 for a topic never written). One query.

    On a request's first query Django checks a kept connection with a round trip of its own
    (``CONN_HEALTH_CHECKS``). Here, on every page served from the visitors' cache, this query
    is that check: a connection the database has closed fails it, is dropped, and the query
    is asked again on a new one, so a cached page costs one round trip, not two."""
    if not topics:
        return ()
    if (
        connection.connection is None
        or connection.in_atomic_block
        or not connection.health_check_enabled
        or connection.health_check_done
    ):
        return _read(topics)
    connection.health_check_done = True
    try:
        return _read(topics)
    except (InterfaceError, OperationalError):
        connection.close()
        return _read(topics)


def _read(topics: tuple[str, ...]) -> tuple[int, ...]:
    # Asked on every page served from the visitors' cache, so written out rather than built by
    # the ORM each time (a third of such a request's time went on compiling the query).
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(topics))
    query = f"SELECT topic, version FROM {table} WHERE topic IN ({marks})"  # nosec B608 - names from the model, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(query, list(topics))
        found = dict(cursor.fetchall())
    return tuple(found.get(topic, 0) for topic in topics)
