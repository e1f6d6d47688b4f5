"""A registration's own pages, reached by the link in the emails (the token): its status,
confirming a guest's email address, and cancelling; and the signed-in person's list of their
registrations.

Confirming and cancelling are POSTs behind a page with a button, so a mail client or a link
preview that fetches the link changes nothing. Doing either twice is harmless: the services
return the registration as it is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.forms import show_service_errors

from .. import selectors, services
from ..forms.public import RegistrationActionForm
from ..models import Registration
from ._public import public_event

R = Registration.Status


def _registration(token: str) -> Registration:
    try:
        registration = services.by_token(token)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
    return registration


def _status_page(registration):
    return redirect("participation:registration_status", token=registration.token)


def _event_of(registration):
    """The event with its places counted, if it is still public; else the bare event."""
    try:
        return public_event(registration.event.slug)
    except Http404:
        return registration.event


@require_GET
def registration_status(request, token: str):
    try:
        registration = selectors.registration_by_token(token)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "participation/registration_status.html",
        {"registration": registration, "event": _event_of(registration)},
    )


def registration_confirm(request, token: str):
    """GET shows a button; POST confirms (``services.registration_confirm``). The token is the
    one sent by email, never the one the status page shows."""
    try:
        registration = services.by_confirm_token(token)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "GET" and registration.status != R.PENDING:
        return _status_page(registration)
    form = RegistrationActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_confirm(token=token)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if registration.status == R.CONFIRMED:
                messages.success(request, _("Thank you. Your place is confirmed."))
            elif registration.status == R.WAITLISTED:
                messages.info(
                    request,
                    _("Thank you. The event is full, so you are on the waiting list."),
                )
            return _status_page(registration)
    return render(
        request,
        "participation/registration_confirm.html",
        {"registration": registration, "event": registration.event, "form": form},
        status=400 if form.errors else 200,
    )


def registration_cancel(request, token: str):
    """GET asks "are you sure?"; POST cancels (``services.registration_cancel``)."""
    registration = _registration(token)
    if request.method == "GET" and registration.status == R.CANCELLED:
        return _status_page(registration)
    form = RegistrationActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        try:
            registration = services.registration_cancel(
                registration=registration, actor=actor, token=token
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your registration is cancelled."))
            if request.POST.get("from") == "mine" and actor is not None:
                return redirect("participation:my_registrations")
            return _status_page(registration)
    return render(
        request,
        "participation/registration_cancel.html",
        {"registration": registration, "event": registration.event, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def my_registrations(request):
    return render(
        request,
        "participation/my_registrations.html",
        {"registrations": list(selectors.my_registrations(request.user))},
    )


urlpatterns = [
    path("medvirkning/mine/", my_registrations, name="my_registrations"),
    path("medvirkning/pamelding/<str:token>/", registration_status, name="registration_status"),
    path(
        "medvirkning/pamelding/<str:token>/bekreft/",
        registration_confirm,
        name="registration_confirm",
    ),
    path(
        "medvirkning/pamelding/<str:token>/avmeld/",
        registration_cancel,
        name="registration_cancel",
    ),
]
