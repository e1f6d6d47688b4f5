"""Who may see and change participation. Out of scope is a 404 (scope), in scope but not allowed
a 403 (check). The programme board reads everything but sees no one's personal data."""

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import AnyUser, district_ids_for, has_role, is_secretariat

from .models import Event, Input

EDITOR_ROLES = (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)


def events_public() -> QuerySet[Event]:
    """Published (or cancelled, so the cancellation shows) events in published areas."""
    return Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
        areas__is_published=True,
    ).distinct()


def can_view_staff_pages(user: AnyUser) -> bool:
    return is_secretariat(user) or has_role(user, Role.BOARD, *EDITOR_ROLES)


def can_create(user: AnyUser) -> bool:
    return is_secretariat(user) or has_role(user, *EDITOR_ROLES)


def _district_ids(user: AnyUser) -> set[int] | None:
    if is_secretariat(user) or has_role(user, Role.BOARD):
        return None
    return district_ids_for(user, EDITOR_ROLES) or set()


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    """Events on the staff side: the board and the secretariat see all, district staff theirs."""
    districts = _district_ids(user)
    if districts is None:
        return Event.objects.all()
    return Event.objects.filter(areas__district_id__in=districts).distinct()


def inputs_visible_to(user: AnyUser) -> QuerySet[Input]:
    districts = _district_ids(user)
    if districts is None:
        return Input.objects.all()
    return Input.objects.filter(area__district_id__in=districts)


def _edits_district(user: AnyUser, district_ids) -> bool:
    if is_secretariat(user):
        return True
    return any(has_role(user, *EDITOR_ROLES, district=d) for d in district_ids)


def can_edit_event(user: AnyUser, event: Event) -> bool:
    """Project and programme leaders of a district the event takes place in; the secretariat."""
    if is_secretariat(user):
        return True
    if event.pk is None:
        return False
    return _edits_district(user, {a.district_id for a in event.areas.all()})


def can_edit_input(user: AnyUser, item: Input) -> bool:
    return _edits_district(user, {item.area.district_id})


def can_see_personal_data(user: AnyUser) -> bool:
    """Names, emails and needs of those who register or give input: not for the board."""
    return is_secretariat(user) or has_role(user, *EDITOR_ROLES)


def areas_for_editor(user: AnyUser):
    from areas.models import Area

    if is_secretariat(user):
        return Area.objects.all()
    return Area.objects.filter(district_id__in=district_ids_for(user, EDITOR_ROLES) or set())
