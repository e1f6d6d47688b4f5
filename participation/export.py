"""What the participation app holds about a person, for their data export (GDPR art. 15 and 20).

Registered in ``accounts.services.EXPORT_SECTIONS`` by ``ParticipationConfig.ready``. Only the
person's own data: the registrations made from their account, with the needs they told us, and
the input they gave while signed in. Nothing staff wrote about it, and no other person's name.
"""

from accounts.models import User

from .models import Input, Registration


def _date(value):
    return value.isoformat() if value else None


def participation_export(user: User) -> dict:
    registrations = (
        Registration.objects.filter(user=user).select_related("event").order_by("created_at", "pk")
    )
    inputs = (
        Input.objects.filter(author=user)
        .select_related("area", "project", "event", "sub_goal")
        .order_by("created_at", "pk")
    )
    return {
        "registrations": [
            {
                "event": r.event.title,
                "starts_at": _date(r.event.starts_at),
                "place": r.event.place,
                "status": r.status,
                "name": r.name,
                "email": r.email,
                "people": r.people,
                "interpretation_needed": r.interpretation_needed,
                "accessibility_needs": r.accessibility_needs,
                "registered_at": _date(r.created_at),
                "confirmed_at": _date(r.confirmed_at),
                "cancelled_at": _date(r.cancelled_at),
                "checked_in_at": _date(r.checked_in_at),
            }
            for r in registrations
        ],
        "inputs": [
            {
                "area": i.area.name,
                "project": i.project.title if i.project_id else None,
                "event": i.event.title if i.event_id else None,
                "topic": i.topic,
                "sub_goal": str(i.sub_goal) if i.sub_goal_id else None,
                "text": i.text,
                "given_at": _date(i.created_at),
                "may_contact_me": i.consent,
                "shown_publicly": i.moderation == Input.Moderation.APPROVED,
                "follow_up": i.follow_up,
            }
            for i in inputs
        ],
    }


def participation_erase(user: User) -> None:
    """On account deletion: give up the person's places at events still to come (the waiting
    list moves up), and remove their name, address and needs from every registration. Their
    input stays, without a name, since the follow-up is part of the public record."""
    from django.utils import timezone

    from .services import registration_cancel

    upcoming = Registration.objects.filter(
        user=user,
        event__ends_at__gte=timezone.now(),
        status__in=[
            Registration.Status.PENDING,
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
        ],
    )
    for registration in upcoming:
        registration_cancel(registration=registration, actor=user)
    Registration.objects.filter(user=user).update(
        name="",
        email=f"slettet-{user.pk}@anonymisert.invalid",
        interpretation_needed="",
        accessibility_needs="",
    )
    Input.objects.filter(author=user).update(author_name="", author_email="", consent=False)
