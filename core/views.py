"""The one way a POST of an action is run, for every app's staff pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from .actions import Action, ActionRefused
from .forms import show_service_errors


def run_action(request, action: Action, obj):
    """Check, validate and execute ``action`` on ``obj`` for ``request.user``.

    Returns ``(True, form)`` after success (the success message is queued) or ``(False, form)``
    with the form carrying every error, so the page can be shown again with what was typed.
    A forbidden check is a 403 before anything is read or written; a check refused for the
    object's state (``Refusal.not_now``: a colleague was quicker, a step comes first) puts its
    reason on the form instead."""
    refusal = action.check(request.user, obj)
    if refusal is not None and refusal.forbidden:
        raise PermissionDenied(str(refusal))
    form = action.get_form(request.user, obj, data=request.POST, files=request.FILES)
    if refusal is not None:
        form.is_valid()  # keep what was typed, with the field errors it has
        form.add_error(None, str(refusal))
        return False, form
    if not form.is_valid():
        return False, form
    try:
        message = action.execute(request.user, obj, form)
    except ActionRefused as exc:
        # The state changed between the check and the service's own check (a colleague was
        # quicker): say why on the form instead of a bare 403.
        form.add_error(None, str(exc.refusal))
        return False, form
    except ValidationError as exc:
        show_service_errors(form, exc)
        return False, form
    messages.success(request, message)
    return True, form
