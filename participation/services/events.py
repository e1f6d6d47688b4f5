"""Events: create, change, publish, cancel, and the attendance recorded afterwards."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import require
from core.slugs import unique_slug

from .. import actions
from ..history import event_code
from ..models import EVENT_FIELDS, Event, Registration, TargetGroup
from ..permissions import areas_for_editor, can_create
from ..workflow import EVENT_STATUS
from ._common import record, refuse_unless, send_later


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
    refuse_unless(can_create(actor))
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
    record(event, actor, "created")
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, areas, **fields) -> Event:
    """Change an event; the history keeps each changed field's old and new value. More places
    let the waiting list move up at once. Raises ActionRefused, ValidationError."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actions.EDIT_EVENT, actor, event)
    old_capacity = event.capacity
    changes = []
    for name in EVENT_FIELDS:
        if name in fields and getattr(event, name) != fields[name]:
            old = event_code(getattr(event, name))
            setattr(event, name, fields[name])
            changes.append({"field": name, "old": old, "new": event_code(fields[name])})
    # An event may span districts: an editor changes their own district's areas and keeps the
    # others' as they are.
    editable = set(areas_for_editor(actor).values_list("pk", flat=True))
    kept = [a for a in event.areas.all() if a.pk not in editable]
    areas = list({a.pk: a for a in [*areas, *kept]}.values())
    check_event(event, areas, actor, kept)
    event.full_clean()
    event.save()
    event.areas.set(areas)
    record(event, actor, "updated", changes=changes)
    if event.capacity is None or (old_capacity is not None and event.capacity > old_capacity):
        from .registrations import promote_waitlist

        promote_waitlist(event)
    return event


@transaction.atomic
def event_publish(*, actor: User, event: Event) -> Event:
    """Publish a draft: residents see it and can register. Raises ActionRefused."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actions.EVENT_ACTIONS["publish"], actor, event)
    EVENT_STATUS.apply(event, "publish", actor=actor, update_fields=["updated_at"])
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    """Cancel a published event; everyone registered is told by email. Raises ActionRefused,
    ValidationError (no reason)."""
    from ..tasks import send_registration_email

    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actions.EVENT_ACTIONS["cancel"], actor, event)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the event is cancelled.")})
    EVENT_STATUS.apply(
        event, "cancel", actor=actor, update_fields=["updated_at"], reason=reason.strip()
    )
    active = event.registrations.exclude(status=Registration.Status.CANCELLED)
    for pk in active.values_list("pk", flat=True):
        send_later(send_registration_email, pk, "event_cancelled", {"reason": reason.strip()})
    return event


@transaction.atomic
def attendance_record(*, actor: User, event: Event, total: int, by_group: dict[str, int]) -> Event:
    """Record how many came, in total and by target group: anonymous counts, no names.
    Raises ActionRefused (not an editor, not started yet), ValidationError."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actions.EVENT_ACTIONS["attendance"], actor, event)
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
    record(event, actor, "attendance", total=total, by_group=clean)
    return event


@transaction.atomic
def registration_check_in(*, actor: User, registration: Registration, present: bool = True):
    """Tick a confirmed registration off the check-in list (or undo it); the event's history
    keeps each tick. Raises ActionRefused."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    require(actions.CHECK_IN if present else actions.UNDO_CHECK_IN, actor, registration)
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    record(
        registration.event,
        actor,
        "checked_in" if present else "check_in_undone",
        pk=registration.pk,
    )
    return registration
