"""Helpers the participation services share."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from core.tasks import enqueue

from ..models import Event, EventChange


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def record(event: Event, actor: User | None, action: str, summary: str, **data) -> None:
    EventChange.objects.create(event=event, actor=actor, action=action, summary=summary, data=data)


def send_later(task, *args) -> None:
    """Enqueue a task once the transaction has committed (nothing is sent for a rollback)."""
    enqueue(task, *args)
