"""The action base every app's pages use: a refusal for the user's role is a 403, one for the
object's state is a message on the form; the page lists the allowed actions and explains the
missing ones that say so; the service refuses with the same check."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.actions import (
    Action,
    ActionNotPossibleNow,
    ActionRefused,
    ActionSet,
    Refusal,
    refusal_error,
    require,
)
from core.views import run_action


class NoteForm(forms.Form):
    note = forms.CharField()


class Close(Action):
    """Closes a thing: only its owner, only while it is open."""

    name, label = "close", "Close it"
    form_class = NoteForm

    def check(self, user, obj):
        if user != obj.owner:
            return Refusal("Only the owner can close it.")
        if obj.closed:
            return Refusal.not_now("It is already closed.", code="closed")
        return None

    def execute(self, user, obj, form):
        obj.closed = True
        obj.note = form.cleaned_data["note"]
        return "Closed."


class Explain(Close):
    name = "explain"

    def check(self, user, obj):
        return Refusal.not_now("Ask a colleague.", explain=True)


def thing(**kwargs):
    return SimpleNamespace(owner="ola", closed=False, note="", **kwargs)


def post(data):
    request = RequestFactory().post("/", data)
    request.user = "ola"
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_for_the_state_is_both_a_refusal_and_a_form_error():
    error = refusal_error(Refusal.not_now("It is already closed.", code="closed"))

    assert isinstance(error, ActionNotPossibleNow)
    assert isinstance(error, PermissionDenied) and isinstance(error, ValidationError)
    assert error.messages == ["It is already closed."]
    assert error.error_list[0].code == "closed"
    forbidden = refusal_error(Refusal("Only the owner can close it."))
    assert type(forbidden) is ActionRefused
    assert not isinstance(forbidden, ValidationError)


def test_require_refuses_with_the_actions_own_check():
    require(Close, "ola", thing())
    with pytest.raises(ActionRefused) as excinfo:
        require(Close, "kari", thing())
    assert str(excinfo.value.refusal) == "Only the owner can close it."
    with pytest.raises(ValidationError):
        require(Close(), "ola", SimpleNamespace(owner="ola", closed=True))


def test_the_page_lists_allowed_actions_and_explains_those_that_ask_to_be():
    actions = ActionSet([Close(), Explain()])
    obj = thing()

    assert [a.name for a in actions.available("ola", obj)] == ["close"]
    bound = actions.bind("ola", obj, url_for=lambda action, o: f"/{action.name}/")
    assert [(b.name, b.url, b.label) for b in bound] == [("close", "/close/", "Close it")]
    assert [(a.name, str(r)) for a, r in actions.notices("ola", obj)] == [
        ("explain", "Ask a colleague.")
    ]
    assert actions.notices("ola", obj, exclude={"explain"}) == []


def test_run_action_executes_when_allowed_and_valid():
    obj = thing()

    done, form = run_action(post({"close-note": "Ferdig"}), Close(), obj)

    assert done and obj.closed and obj.note == "Ferdig"


def test_run_action_forbidden_is_a_403_before_anything_is_read():
    request = post({"close-note": "Ferdig"})
    request.user = "kari"
    obj = thing()

    with pytest.raises(PermissionDenied):
        run_action(request, Close(), obj)
    assert not obj.closed


def test_run_action_refused_for_the_state_keeps_what_was_typed_and_says_why():
    obj = SimpleNamespace(owner="ola", closed=True, note="")

    done, form = run_action(post({"close-note": "Ferdig"}), Close(), obj)

    assert not done
    assert form.non_field_errors() == ["It is already closed."]
    assert form["note"].value() == "Ferdig"
    assert obj.note == ""


def test_run_action_puts_invalid_data_at_its_field():
    obj = thing()

    done, form = run_action(post({}), Close(), obj)

    assert not done and "note" in form.errors and not obj.closed
