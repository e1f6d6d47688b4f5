"""The applicant's organisations: registering one, its members, and invitations to act for it.

Only an admin of the organisation may invite; an invitation is accepted by the signed-in user
who holds its token. Every write is a service call; a service's ValidationError is shown on the
form field it names and the page is re-rendered with status 400 and everything the user typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.forms import show_service_errors

from .. import selectors, services
from ..forms.applicant import InvitationAcceptForm, InvitationForm, OrganisationForm
from ..models import Organisation
from ._common import _posted


def _safe_next(request) -> str | None:
    """``next`` when it is a path on this site (``/tilskudd/...``); anything else — another
    host, a bare word, a control character — is ignored and the usual page follows."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


@login_required
def organisations(request):
    return render(
        request,
        "grants/organisations.html",
        {"organisations": selectors.organisations_of(request.user).order_by("name")},
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(_posted(request))
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You can invite others to act for it.")
                % {"name": organisation.name},
            )
            # A URL, never a view name: redirect() would try to reverse a bare word and fail
            # after the organisation was saved.
            return HttpResponseRedirect(
                next_url or reverse("grants:organisation_detail", args=[organisation.pk])
            )
    return render(
        request,
        "grants/organisation_form.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_detail(request, pk: int):
    try:
        organisation = selectors.organisation_detail(request.user, pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    memberships = list(organisation.memberships.all())
    is_admin = any(m.user_id == request.user.pk and m.is_admin for m in memberships)
    form = InvitationForm(_posted(request), prefix="invite")
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=request.user, organisation=organisation, email=form.cleaned_data["email"]
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request, _("An invitation is sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("grants:organisation_detail", pk=organisation.pk)
    pending = [i for i in organisation.invitations.all() if i.is_valid()]
    return render(
        request,
        "grants/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "is_admin": is_admin,
            "invitations": pending,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def invitation_accept(request, token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    form = InvitationAcceptForm(_posted(request))
    if request.method == "POST":
        try:
            organisation = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            form.is_valid()
            show_service_errors(form, exc)
        else:
            messages.success(
                request, _("You can now act for %(name)s.") % {"name": organisation.name}
            )
            return redirect("grants:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "grants/invitation_accept.html",
        {"invitation": invitation, "valid": invitation.is_valid(), "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("tilskudd/organisasjoner/", organisations, name="organisations"),
    path("tilskudd/organisasjoner/ny/", organisation_create, name="organisation_create"),
    path("tilskudd/organisasjoner/<int:pk>/", organisation_detail, name="organisation_detail"),
    path("tilskudd/invitasjon/<str:token>/", invitation_accept, name="invitation_accept"),
]
