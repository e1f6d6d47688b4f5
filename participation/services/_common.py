"""Helpers the participation services share."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from core import versions
from core.tasks import enqueue

from ..models import Event, EventChange


def refuse_unless(allowed: bool) -> None:
    """Raise PermissionDenied unless ``allowed``: for what is not an action on an object yet
    (creating an event or registering input), whose check is a plain yes or no."""
    if not allowed:
        raise PermissionDenied


def record(event: Event, actor: User | None, action: str, **data) -> EventChange:
    """Write a row of the event's history: the key of what happened and its codes. The page
    puts it into words in the reader's language (``participation.history``)."""
    versions.bump(versions.PARTICIPATION)
    return EventChange.objects.create(event=event, actor=actor, action=action, data=data)


def send_later(task, *args) -> None:
    """Enqueue a task once the transaction has committed (nothing is sent for a rollback)."""
    enqueue(task, *args)
