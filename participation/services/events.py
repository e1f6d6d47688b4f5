"""Events: create, change, publish, cancel, and the attendance recorded afterwards."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.models import User
from core.slugs import unique_slug

from ..models import Event, Registration, TargetGroup
from ..permissions import areas_for_editor, can_create, can_edit_event
from ._common import record, require, send_later

EVENT_FIELDS = [
    "title",
    "description",
    "kind",
    "project",
    "starts_at",
    "ends_at",
    "place",
    "step_free",
    "hearing_loop",
    "accessibility_notes",
    "languages",
    "interpretation",
    "target_groups",
    "ladder_rung",
    "capacity",
    "registration",
    "organiser",
]


def _slug(title: str, starts_at) -> str:
    text = f"{title} {timezone.localtime(starts_at):%Y-%m-%d}"
    return unique_slug(Event, text, fallback="arrangement")


def check_event(event: Event, areas, actor: User, kept=()) -> None:
    """``kept``: areas of another district the event already has, which the actor may keep
    but not add."""
    errors = {}
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if not areas:
        errors["areas"] = _("Choose at least one area.")
    else:
        allowed = set(areas_for_editor(actor).values_list("pk", flat=True))
        allowed |= {a.pk for a in kept}
        if any(a.pk not in allowed for a in areas):
            errors["areas"] = _("You can only choose areas in your own district.")
    unknown = [g for g in event.target_groups if g not in TargetGroup.values]
    if unknown:
        errors["target_groups"] = _("Unknown target group.")
    if event.registration != Event.Registration.NONE and event.capacity == 0:
        errors["capacity"] = _("An event that takes registrations needs at least one place.")
    if event.project_id and event.project.area_id not in {a.pk for a in areas}:
        errors["project"] = _("The project belongs to another area than the event.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, actor: User, areas, **fields) -> Event:
    """Create an event as a draft in areas the actor works in. Raises ValidationError,
    PermissionDenied."""
    require(can_create(actor))
    event = Event(**{k: v for k, v in fields.items() if k in EVENT_FIELDS}, created_by=actor)
    areas = list(areas)
    check_event(event, areas, actor)
    event.slug = _slug(event.title, event.starts_at)
    event.full_clean(exclude=["slug"])
    for _attempt in range(5):
        try:
            with transaction.atomic():
                event.save()
            break
        except IntegrityError:
            event.pk = None
            event.slug = f"{event.slug}-{get_random_string(4).lower()}"
    event.areas.set(areas)
    record(event, actor, "created", _("Event created"))
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, areas, **fields) -> Event:
    """Change an event. More places let the waiting list move up at once."""
    require(can_edit_event(actor, event))
    event = Event.objects.select_for_update().get(pk=event.pk)
    old_capacity = event.capacity
    changed = []
    for name in EVENT_FIELDS:
        if name in fields and getattr(event, name) != fields[name]:
            setattr(event, name, fields[name])
            changed.append(name)
    # An event may span districts: an editor changes their own district's areas and keeps the
    # others' as they are.
    editable = set(areas_for_editor(actor).values_list("pk", flat=True))
    kept = [a for a in event.areas.all() if a.pk not in editable]
    areas = list({a.pk: a for a in [*areas, *kept]}.values())
    check_event(event, areas, actor, kept)
    event.full_clean()
    event.save()
    event.areas.set(areas)
    record(event, actor, "updated", _("Event changed"), fields=changed)
    if event.capacity is None or (old_capacity is not None and event.capacity > old_capacity):
        from .registrations import promote_waitlist

        promote_waitlist(event)
    return event


@transaction.atomic
def event_publish(*, actor: User, event: Event) -> Event:
    require(can_edit_event(actor, event))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    record(event, actor, "published", _("Event published"))
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    """Cancel a published event; everyone registered is told by email."""
    from ..tasks import send_registration_email

    require(can_edit_event(actor, event))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("The event is already cancelled."))
    if event.status != Event.Status.PUBLISHED:
        # A cancelled event shows publicly; a draft that was never announced has nobody to tell.
        raise ValidationError(_("Only a published event can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the event is cancelled.")})
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    record(event, actor, "cancelled", _("Event cancelled"), reason=reason.strip())
    active = event.registrations.exclude(status=Registration.Status.CANCELLED)
    for pk in active.values_list("pk", flat=True):
        send_later(send_registration_email, pk, "event_cancelled", {"reason": reason.strip()})
    return event


@transaction.atomic
def attendance_record(*, actor: User, event: Event, total: int, by_group: dict[str, int]) -> Event:
    """Record how many came, in total and by target group: anonymous counts, no names."""
    require(can_edit_event(actor, event))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    if total is None or total < 0:
        raise ValidationError({"total": _("Enter how many came.")})
    errors = {}
    clean = {}
    for group, count in by_group.items():
        if group not in TargetGroup.values:
            continue
        if count is None:
            continue
        if count < 0 or count > total:
            errors[f"group_{group}"] = _("A group cannot be larger than the total.")
        clean[group] = count
    if errors:
        raise ValidationError(errors)
    event.attendance_total = total
    event.attendance_by_group = clean
    event.attendance_recorded_at = timezone.now()
    event.attendance_recorded_by = actor
    event.save()
    record(event, actor, "attendance", _("Attendance recorded"), total=total, by_group=clean)
    return event


@transaction.atomic
def registration_check_in(*, actor: User, registration: Registration, present: bool = True):
    """Tick a confirmed registration off the check-in list (or undo it)."""
    require(can_edit_event(actor, registration.event))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed registrations can be checked in."))
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    return registration
