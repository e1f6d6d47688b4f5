"""What the grants app holds about a person, for their data export (GDPR art. 15 and 20).

Registered in ``accounts.services.EXPORT_SECTIONS`` by ``GrantsConfig.ready``. Only the person's
own data: the organisations they act for, the applications they created, and what they wrote
themselves. Nothing a case handler wrote about the case, and no other person's name.
"""

from accounts.models import User

from .models import Appeal, CaseMessage, GrantApplication, Membership


def _date(value):
    return value.isoformat() if value else None


def grants_export(user: User) -> dict:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    applications = (
        GrantApplication.objects.filter(created_by=user)
        .select_related("round", "organisation", "area", "sub_goal")
        .prefetch_related("cost_lines")
        .order_by("created_at", "pk")
    )
    messages = (
        CaseMessage.objects.filter(sender=user, from_staff=False)
        .select_related("application")
        .order_by("created_at", "pk")
    )
    appeals = (
        Appeal.objects.filter(submitted_by=user)
        .select_related("application")
        .order_by("submitted_at", "pk")
    )
    return {
        "organisations": [
            {
                "name": m.organisation.name,
                "org_number": m.organisation.org_number,
                "may_invite_others": m.is_admin,
                "member_since": _date(m.created_at),
            }
            for m in memberships
        ],
        "applications": [
            {
                "reference": a.reference,
                "round": a.round.title,
                "organisation": a.organisation.name,
                "status": a.status,
                "title": a.title,
                "description": a.description,
                "area": a.area.name if a.area_id else None,
                "sub_goal": str(a.sub_goal) if a.sub_goal_id else None,
                "location": a.location,
                "target_group": a.target_group,
                "expected_participants": a.expected_participants,
                "resident_involvement": a.resident_involvement,
                "start_date": _date(a.start_date),
                "end_date": _date(a.end_date),
                "cost_lines": [
                    {"description": line.description, "amount": line.amount}
                    for line in a.cost_lines.all()
                ],
                "own_contribution": a.own_contribution,
                "other_funding": a.other_funding,
                "amount_applied": a.amount_applied,
                "dugnad_hours": a.dugnad_hours,
                "created_at": _date(a.created_at),
                "submitted_at": _date(a.submitted_at),
            }
            for a in applications
        ],
        "messages": [
            {
                "application": m.application.reference,
                "sent_at": _date(m.created_at),
                "text": m.body,
            }
            for m in messages
        ],
        "appeals": [
            {
                "application": a.application.reference,
                "submitted_at": _date(a.submitted_at),
                "text": a.text,
            }
            for a in appeals
        ],
    }
