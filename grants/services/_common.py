"""Helpers every grant service shares: the case history row and notifying the applicant."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from core import versions

from ..models import CaseEvent, GrantApplication


def record(
    application: GrantApplication,
    kind: str,
    actor: User | None,
    *,
    note: str = "",
    data: dict | None = None,
    visible: bool = True,
) -> CaseEvent:
    """Append one row to the case history (call inside the service's transaction)."""
    versions.bump(versions.GRANTS)
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        note=note,
        data=data or {},
        visible_to_applicant=visible,
    )


def notify_applicant(application: GrantApplication, template: str, **context) -> None:
    """Email the organisation and its members once the transaction has committed."""
    from core.tasks import enqueue

    from ..tasks import send_applicant_email

    enqueue(send_applicant_email, application.pk, template, context)


def deny_unless(allowed: bool) -> None:
    """A 403 unless ``allowed``: for the writes that are not a case action (drafts, rounds,
    organisations), whose permission is a yes or no."""
    if not allowed:
        raise PermissionDenied


def lock(application: GrantApplication) -> GrantApplication:
    """Re-read the application under a row lock, so two requests cannot both move it.

    Staff services ask their permission check of the row returned here, not of the caller's
    copy, which may be stale (a draft in memory that has since been submitted)."""
    return (
        GrantApplication.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "area")
        .get(pk=application.pk)
    )
