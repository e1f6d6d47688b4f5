"""What a user can do to a case, an event or a programme, as one object per action.

An action holds its name, its labels, its form, ``check(user, obj)`` — ``None`` when allowed,
otherwise a :class:`Refusal` with a reason the user can read — and ``execute(user, obj, form)``,
which calls one service and returns the success message. The page lists the actions whose
``check`` passes, the POST view runs the same ``check`` before ``execute``, and the service
refuses with the same ``check`` (through :func:`require`), so the button on the page and the
guard in the service can never disagree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


@dataclass(frozen=True)
class Refusal:
    """Why an action may not be taken now, in words the user can read.

    ``forbidden`` (the default) says the user may never take it here (not their role): a 403.
    A refusal made with :meth:`not_now` says the user may, but not in the object's present
    state (the case moved on, a step comes first): the page says why on the form.
    ``code`` names the reason for code that must tell reasons apart; ``explain`` asks the page
    to show the reason where the action would be, so the user knows why it is missing.
    """

    reason: str
    code: str = ""
    forbidden: bool = True
    explain: bool = False

    @classmethod
    def not_now(cls, reason: str, *, code: str = "", explain: bool = False) -> Refusal:
        return cls(reason, code=code, forbidden=False, explain=explain)

    def __str__(self) -> str:
        return str(self.reason)


class ActionRefused(PermissionDenied):
    """A service refused an action whose check failed. Carries the reason; a view shows it
    (or answers 403) and nothing was written."""

    def __init__(self, refusal: Refusal):
        super().__init__(str(refusal))
        self.refusal = refusal


class ActionNotPossibleNow(ActionRefused, ValidationError):
    """An action refused for the object's state (:meth:`Refusal.not_now`), not the user's
    role: both a refusal and a validation error, so a form shows its reason."""

    def __init__(self, refusal: Refusal):
        ValidationError.__init__(self, str(refusal), code=refusal.code or None)
        self.refusal = refusal


def refusal_error(refusal: Refusal) -> ActionRefused:
    """The exception that carries ``refusal``: 403 when forbidden, a form error otherwise."""
    return ActionRefused(refusal) if refusal.forbidden else ActionNotPossibleNow(refusal)


class EmptyForm(forms.Form):
    """The form of an action that needs nothing but the button."""


class Action(ABC):
    """One thing a user may do to an object. Subclasses set the attributes and override
    ``check`` and ``execute``; everything else has a sensible default."""

    name: str = ""
    label: str = ""  # the legend of the action's form
    submit_label: str = ""  # the button; the label when empty
    intro: str = ""  # a sentence above the form
    form_class: type[forms.Form] = EmptyForm
    secondary: bool = False  # a secondary button: the less common way on

    @abstractmethod
    def check(self, user, obj) -> Refusal | None:
        """``None`` when ``user`` may take this action on ``obj`` now; otherwise the reason."""

    @abstractmethod
    def execute(self, user, obj, form) -> str:
        """Call the action's one service with the form's data; return the success message."""

    # --- Defaults a subclass may override ---------------------------------------------------

    def form_kwargs(self, user, obj) -> dict[str, Any]:
        """Extra arguments for the form (initial values, choices that depend on ``obj``)."""
        return {}

    def get_form(self, user, obj, data=None, files=None) -> forms.Form:
        return self.form_class(data, files, prefix=self.name, **self.form_kwargs(user, obj))

    def get_intro(self, user, obj) -> str:
        return str(self.intro)

    def get_submit_label(self) -> str:
        return str(self.submit_label or self.label)

    def allowed(self, user, obj) -> bool:
        return self.check(user, obj) is None

    def require(self, user, obj) -> None:
        """Raise :class:`ActionRefused` with the check's reason unless the action is allowed."""
        refusal = self.check(user, obj)
        if refusal is not None:
            raise refusal_error(refusal)


def require(action: Action | type[Action], user, obj) -> None:
    """What a service calls before it writes anything: refuse with the action's own check."""
    (action() if isinstance(action, type) else action).require(user, obj)


@dataclass
class BoundAction:
    """An action as one page shows it: with its form (bound when it came back with errors),
    the URL it posts to and the sentence above it."""

    action: Action
    form: forms.Form
    url: str
    intro: str

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def label(self) -> str:
        return str(self.action.label)

    @property
    def submit_label(self) -> str:
        return self.action.get_submit_label()

    @property
    def secondary(self) -> bool:
        return self.action.secondary


class ActionSet:
    """The actions of one kind of object, in the order the page shows them."""

    def __init__(self, actions: Iterable[Action]):
        self._actions = {action.name: action for action in actions}

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions.values())

    def __getitem__(self, name: str) -> Action:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def names(self) -> list[str]:
        return list(self._actions)

    def refusals(self, user, obj) -> dict[str, Refusal]:
        """Every action's refusal for ``user`` on ``obj`` now, by name (allowed ones left out)."""
        found = {}
        for action in self:
            refusal = action.check(user, obj)
            if refusal is not None:
                found[action.name] = refusal
        return found

    def notices(self, user, obj, *, exclude=()) -> list[tuple[Action, Refusal]]:
        """The refused actions whose reason the page should show in their place
        (``Refusal.explain``), so the user knows why the action is missing."""
        return [
            (self[name], refusal)
            for name, refusal in self.refusals(user, obj).items()
            if refusal.explain and name not in exclude
        ]

    def available(self, user, obj) -> list[Action]:
        """The actions whose check passes for ``user`` on ``obj`` now."""
        return [action for action in self if action.allowed(user, obj)]

    def bind(self, user, obj, *, url_for, bound: dict[str, forms.Form] | None = None):
        """The page's actions: those allowed now, plus any sent back with errors (so nothing
        the user typed is lost, whatever the state has become), each with its form and URL."""
        bound = bound or {}
        shown = []
        for action in self:
            if action.name in bound or action.allowed(user, obj):
                form = bound.get(action.name) or action.get_form(user, obj)
                shown.append(
                    BoundAction(action, form, url_for(action, obj), action.get_intro(user, obj))
                )
        return shown
