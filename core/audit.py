"""Writing the audit of rule changes: one row per change, inside the changing transaction.

Values are stored as codes — a model's primary key, a date's ISO form, a choice's value — so the
row says exactly what the rule was before and after, whatever language the reader uses.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry


def as_code(value: Any) -> Any:
    """A value as plain JSON data: models by primary key, dates in ISO form, sets sorted."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime) and timezone.is_aware(value):
        # The same moment reads the same whatever time zone it was handed over in.
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(value, set | frozenset):
        return sorted(as_code(v) for v in value)
    if isinstance(value, list | tuple):
        return [as_code(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): as_code(v) for k, v in value.items()}
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list]:
    """``{field: [old, new]}`` for each field whose code differs (fields of ``new`` only)."""
    changes = {}
    for name, value in new.items():
        before, after = as_code(old.get(name)), as_code(value)
        if before != after:
            changes[name] = [before, after]
    return changes


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: Mapping[str, Iterable] | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Append one audit row: ``actor`` (None for the system) did ``action`` to ``target``.

    Must run inside the changing service's transaction, so a rolled-back change leaves no row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An audit row is written inside the change's transaction.")
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=(target_repr if target_repr is not None else str(target))[:200],
        changes={k: [as_code(v) for v in pair] for k, pair in (changes or {}).items()},
    )


def audit_anonymise_target(*, target: models.Model, target_repr: str) -> int:
    """Replace the description of ``target`` in its audit rows (an erased person's name and
    email), keeping what was done and when. The only rewrite the audit allows."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
    ).erase_personal_data(target_repr=target_repr[:200])
