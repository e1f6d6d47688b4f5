"""Every read a grant page needs, permission-scoped and with a fixed number of queries."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts.permissions import AnyUser
from areas.models import Area

from .models import (
    Appeal,
    Attachment,
    CaseEvent,
    CaseMessage,
    Decision,
    GrantApplication,
    GrantRound,
    Invitation,
    Organisation,
)
from .permissions import applications_for_applicant, applications_visible_to, organisations_for

S = GrantApplication.Status


def rounds_public(at=None) -> QuerySet[GrantRound]:
    """Published rounds that are open now or open later, soonest closing first."""
    at = at or timezone.now()
    return (
        GrantRound.objects.filter(is_published=True, closes_at__gt=at)
        .prefetch_related("areas")
        .order_by("closes_at")
    )


def round_public(slug: str) -> GrantRound:
    """A published round (open, upcoming or closed) with its areas; DoesNotExist otherwise."""
    areas = Area.objects.select_related("district").order_by("district__number", "name")
    return (
        GrantRound.objects.filter(is_published=True)
        .prefetch_related(Prefetch("areas", queryset=areas))
        .get(slug=slug)
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link carries, with what the invitee needs to see; None if unknown."""
    return (
        Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    )


def organisations_of(user: AnyUser) -> QuerySet[Organisation]:
    return organisations_for(user).annotate(application_count=Count("applications", distinct=True))


def organisation_detail(user: AnyUser, pk: int) -> Organisation:
    return organisations_for(user).prefetch_related("memberships__user", "invitations").get(pk=pk)


def with_cost_total(qs: QuerySet[GrantApplication]) -> QuerySet[GrantApplication]:
    from .models import CostLine

    total = (
        CostLine.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return qs.annotate(cost_total=Subquery(total))


def applicant_applications(user: AnyUser) -> QuerySet[GrantApplication]:
    """The user's applications across their organisations, newest first."""
    return (
        applications_for_applicant(user)
        .select_related("round", "organisation", "area")
        .prefetch_related("decisions")
        .order_by("-created_at")
    )


def _detail_prefetches(*, staff: bool) -> list:
    events = CaseEvent.objects.select_related("actor")
    if not staff:
        events = events.filter(visible_to_applicant=True)
    return [
        "cost_lines",
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(removed_at__isnull=True),
        ),
        Prefetch("messages", queryset=CaseMessage.objects.select_related("sender")),
        Prefetch("events", queryset=events),
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
        Prefetch("appeals", queryset=Appeal.objects.select_related("decision", "prepared_by")),
        "payments",
        "round__areas",
    ]


def application_for_applicant(user: AnyUser, pk: int) -> GrantApplication:
    """One of the user's applications with everything its page shows; DoesNotExist otherwise."""
    return (
        applications_for_applicant(user)
        .select_related("round", "organisation", "area__district", "sub_goal", "final_report")
        .prefetch_related(*_detail_prefetches(staff=False))
        .get(pk=pk)
    )


def case_queue(user: AnyUser) -> QuerySet[GrantApplication]:
    """The staff case list, scoped to the user's districts."""
    open_request = CaseMessage.objects.filter(
        application=OuterRef("pk"),
        kind=CaseMessage.Kind.INFO_REQUEST,
        answered_at__isnull=True,
    ).values("reply_by")[:1]
    appeal = open_appeals().filter(application=OuterRef("pk")).order_by("-submitted_at", "-pk")
    return with_cost_total(
        applications_visible_to(user)
        .select_related("round", "organisation", "area__district", "assigned_to")
        .annotate(
            reply_by=Subquery(open_request),
            appeal_status=Subquery(appeal.values("status")[:1]),
            appeal_received_at=Subquery(appeal.values("submitted_at")[:1]),
        )
        .order_by("submitted_at", "pk")
    )


# An appeal is settled once the district has changed its decision or the appeal body has
# decided; until then the case is open, whatever the application's own status.
APPEAL_SETTLED = (
    Appeal.Status.CHANGED,
    Appeal.Status.UPHELD,
    Appeal.Status.ALLOWED,
    Appeal.Status.DISMISSED,
)


def open_appeals() -> QuerySet[Appeal]:
    """Appeals not yet settled: waiting for the district, or with the appeal body."""
    return Appeal.objects.exclude(status__in=APPEAL_SETTLED)


def case_detail(user: AnyUser, pk: int) -> GrantApplication:
    """One case with its whole file for district staff; DoesNotExist when out of scope."""
    return (
        applications_visible_to(user)
        .select_related(
            "round",
            "organisation",
            "area__district",
            "sub_goal",
            "assigned_to",
            "final_report",
            "assessment__assessor",
        )
        .prefetch_related(
            *_detail_prefetches(staff=True),
            "impartiality_declarations__user",
        )
        .get(pk=pk)
    )


def current_decision(application: GrantApplication) -> Decision | None:
    """The decision in force: the latest that no later decision supersedes.

    From the prefetched decisions when the page prefetched them (no query); otherwise one
    query. The one way the code finds the decision in force."""
    if "decisions" in getattr(application, "_prefetched_objects_cache", {}):
        decisions = list(application.decisions.all())
        superseded = {d.supersedes_id for d in decisions if d.supersedes_id}
        current = [d for d in decisions if d.pk not in superseded]
        return max(current, key=lambda d: (d.decided_at, d.pk), default=None)
    return (
        Decision.objects.filter(application=application, superseded_by__isnull=True)
        .order_by("-decided_at", "-pk")
        .first()
    )


def round_statistics(rounds: QuerySet[GrantRound] | None = None) -> list[dict]:
    """Figures per round without any personal data: what the programme board may see."""
    rounds = rounds if rounds is not None else GrantRound.objects.all()
    submitted = ~Q(applications__status=S.DRAFT)
    # A grant that lapsed (not accepted in time) is neither counted nor summed as granted.
    granted_statuses = [S.GRANTED, S.ACCEPTED, S.REPORT_SUBMITTED, S.CLOSED]
    granted_sum = (
        Decision.objects.filter(
            application__round=OuterRef("pk"),
            application__status__in=granted_statuses,
            superseded_by__isnull=True,
        )
        .values("application__round")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    rows = rounds.annotate(
        submitted_count=Count("applications", filter=submitted),
        granted_count=Count("applications", filter=Q(applications__status__in=granted_statuses)),
        rejected_count=Count("applications", filter=Q(applications__status=S.REJECTED)),
        applied_sum=Sum("applications__amount_applied", filter=submitted),
        dugnad_sum=Sum("applications__dugnad_hours", filter=submitted),
        granted_sum=Subquery(granted_sum),
    ).order_by("-year", "-opens_at")
    return [
        {
            "round": r,
            "submitted": r.submitted_count,
            "granted": r.granted_count,
            "rejected": r.rejected_count,
            "applied": r.applied_sum or 0,
            "granted_amount": r.granted_sum or 0,
            "dugnad_hours": r.dugnad_sum or 0,
            "budget": r.budget,
        }
        for r in rows
    ]
