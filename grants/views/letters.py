"""The decision letter's progress on the case pages (being prepared → ready, or failed), as a
fragment that htmx polls while the letter is being prepared. Without JavaScript the fragment
carries a plain link that reloads the case page; a request for the fragment without htmx is
sent to the case page itself."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from .. import permissions
from ..models import Decision, GrantApplication

S = GrantApplication.Status
L = Decision.LetterStatus
# How often the page asks again while a letter is being prepared.
POLL_SECONDS = 3


def letter_status_context(
    application: GrantApplication, decision: Decision, *, staff: bool, current: bool
) -> dict:
    """What the letter-status fragment shows, for the applicant's or the staff's case page."""
    if staff:
        page = reverse("grants:staff_case", args=[application.pk])
        status = reverse("grants:staff_letter_status", args=[application.pk, decision.pk])
        download = reverse("grants:staff_decision_letter", args=[application.pk, decision.pk])
    else:
        page = reverse("grants:application_detail", args=[application.pk])
        status = reverse("grants:letter_status", args=[application.pk, decision.pk])
        download = reverse("grants:decision_letter", args=[application.pk, decision.pk])
    ready = decision.letter_status == L.READY
    return {
        "application": application,
        "decision": decision,
        "staff": staff,
        "current": current,
        "pending": decision.letter_status == L.PENDING,
        "ready": ready,
        "failed": decision.letter_status == L.FAILED,
        "page_url": f"{page}#decision-{decision.pk}",
        "status_url": status,
        "download_url": download,
        "poll_seconds": POLL_SECONDS,
        # Once the letter is out, a grant is accepted on its own page.
        "accept_url": (
            reverse("grants:grant_accept", args=[application.pk])
            if ready and current and not staff and application.status == S.GRANTED
            else ""
        ),
    }


def _fragment(request, application: GrantApplication, decision_pk: int, *, staff: bool):
    decision = get_object_or_404(Decision, application=application, pk=decision_pk)
    context = letter_status_context(
        application,
        decision,
        staff=staff,
        current=not Decision.objects.filter(supersedes=decision).exists(),
    )
    if not request.htmx:
        return redirect(context["page_url"])
    response = render(request, "grants/partials/_letter_status_body.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def letter_status(request, pk: int, decision_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    return _fragment(request, application, decision_pk, staff=False)


@login_required
def staff_letter_status(request, pk: int, decision_pk: int):
    application = get_object_or_404(permissions.applications_visible_to(request.user), pk=pk)
    return _fragment(request, application, decision_pk, staff=True)


urlpatterns = [
    path(
        "tilskudd/soknader/<int:pk>/vedtak/<int:decision_pk>/brevstatus/",
        letter_status,
        name="letter_status",
    ),
    path(
        "intern/tilskudd/saker/<int:pk>/vedtak/<int:decision_pk>/brevstatus/",
        staff_letter_status,
        name="staff_letter_status",
    ),
]
