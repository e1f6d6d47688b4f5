"""A status workflow as data: named transitions, the statuses each may start from, the status it
leads to and the roles that may make it.

Every status change of a guarded model goes through :meth:`Workflow.apply`, which checks the
table, saves the new status and writes the history row in one go. The model refuses a status
change that did not come through it (:class:`StatusGuard`), so no code path can move a case, an
input or a programme without the table and its history knowing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from .actions import ActionRefused, Refusal

SYSTEM = "system"  # the role of scheduled work (reminders, lapses): no person acts


class WorkflowBypassed(RuntimeError):
    """A status was assigned outside the workflow. A programming error, never a user's."""


class StatusGuardQuerySet(models.QuerySet):
    def update(self, **kwargs):
        field_name = self.model.STATUS_FIELD
        if field_name in kwargs and not getattr(self, "_workflow_permit", False):
            raise WorkflowBypassed(
                f"{self.model.__name__}.{field_name} changes only through its workflow."
            )
        return super().update(**kwargs)

    def _clone(self):
        clone = super()._clone()
        clone._workflow_permit = getattr(self, "_workflow_permit", False)
        return clone


class StatusGuard(models.Model):
    """Mixin for a model whose ``STATUS_FIELD`` only its workflow may change after creation."""

    STATUS_FIELD = "status"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_status", None)
        current = getattr(self, self.STATUS_FIELD)
        if (
            not self._state.adding
            and hasattr(self, "_loaded_status")
            and current != loaded
            and not getattr(self, "_workflow_permit", False)
        ):
            raise WorkflowBypassed(
                f"{type(self).__name__}.{self.STATUS_FIELD} changed from {loaded!r} to "
                f"{current!r} outside its workflow."
            )
        super().save(*args, **kwargs)
        self._loaded_status = current

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = getattr(instance, cls.STATUS_FIELD, None)
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._loaded_status = getattr(self, self.STATUS_FIELD)


@dataclass(frozen=True)
class Transition:
    """One edge (or, where an outcome decides, a few) of the table."""

    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    roles: frozenset[str]
    label: str = ""

    def __init__(
        self,
        name: str,
        *,
        sources: Iterable[str],
        to: str | Iterable[str],
        roles: Iterable[str],
        label: str = "",
    ):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        targets = (to,) if isinstance(to, str) else tuple(to)
        object.__setattr__(self, "targets", frozenset(str(t) for t in targets))
        object.__setattr__(self, "roles", frozenset(roles))
        object.__setattr__(self, "label", label)


@dataclass
class Workflow:
    """The table of one model, with how to find a user's roles and write a history row."""

    model: type[models.Model]
    transitions: Iterable[Transition]
    # The workflow roles (see each app's table) ``user`` holds for ``obj``; SYSTEM for None.
    roles_of: Callable[[Any, Any], set[str]]
    # Writes the history row of a transition: record(obj, transition, actor, old, new, **data).
    record: Callable[..., Any]
    status_label: Callable[[str], str] = str
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}

    # --- Reading the table ------------------------------------------------------------------

    def __getitem__(self, name: str) -> Transition:
        return self._by_name[name]

    def __iter__(self):
        return iter(self._by_name.values())

    def names(self) -> list[str]:
        return list(self._by_name)

    def field_name(self) -> str:
        return self.model.STATUS_FIELD

    def status_of(self, obj) -> str:
        return str(getattr(obj, self.field_name()))

    def can_move(self, current: str, target: str) -> bool:
        return any(current in t.sources and target in t.targets for t in self)

    def refusal(self, obj, name: str, user, *, to: str | None = None) -> Refusal | None:
        """``None`` when ``user`` may make transition ``name`` on ``obj`` now (to ``to``, where
        the transition has more than one outcome); otherwise why not."""
        return self.status_refusal(obj, name, to=to) or self.role_refusal(obj, name, user)

    def status_refusal(
        self, obj, name: str, *, to: str | None = None, not_now: bool = False
    ) -> Refusal | None:
        """Why transition ``name`` cannot start from ``obj``'s status (to ``to``), or ``None``.
        With ``not_now`` the refusal is one of state (``Refusal.not_now``), not of role."""
        transition = self[name]
        current = self.status_of(obj)
        if current in transition.sources and (to is None or to in transition.targets):
            return None
        reason = _("This cannot be done while it is “%(status)s”.") % {
            "status": self.status_label(current)
        }
        return Refusal.not_now(reason, code="status") if not_now else Refusal(reason)

    def role_refusal(self, obj, name: str, user) -> Refusal | None:
        """Why ``user`` holds none of the roles that may make transition ``name``, or ``None``."""
        if self.roles_of(user, obj) & self[name].roles:
            return None
        return Refusal(_("Your role does not allow this."))

    # --- Changing the status ----------------------------------------------------------------

    @transaction.atomic
    def apply(
        self,
        obj,
        name: str,
        *,
        actor,
        to: str | None = None,
        update_fields: Iterable[str] = (),
        **data,
    ):
        """Make transition ``name``: check the table, set and save the status (with any other
        ``update_fields`` the caller changed on ``obj``) and write the history row. Raises
        :class:`ActionRefused` and writes nothing when the table says no. Returns the history
        row."""
        transition = self[name]
        if to is None:
            if len(transition.targets) != 1:
                raise ValueError(f"Transition {name} needs an explicit target.")
            (to,) = transition.targets
        refusal = self.refusal(obj, name, actor, to=to)
        if refusal is not None:
            raise ActionRefused(refusal)
        old = self.status_of(obj)
        field_name = self.field_name()
        setattr(obj, field_name, to)
        obj._workflow_permit = True
        try:
            obj.save(update_fields=[field_name, *update_fields])
        finally:
            obj._workflow_permit = False
        return self.record(obj, transition, actor, old, to, **data)

    def edges(self) -> list[tuple[str, str, str]]:
        """Every (source, transition name, target) of the table, for documentation and tests."""
        return sorted((s, t.name, to) for t in self for s in t.sources for to in t.targets)


def permit_status_update(queryset: StatusGuardQuerySet) -> StatusGuardQuerySet:
    """A queryset whose ``update(status=…)`` a workflow has already checked row by row (a bulk
    lapse, for instance). Only workflow code calls this."""
    clone = queryset._clone()
    clone._workflow_permit = True
    return clone
