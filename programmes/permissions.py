"""Who may read and write a handlingsprogram. Out of scope is a 404 (the scope), in scope but
not allowed a 403 (the check).

Anyone reads a published version and a draft that is out for comments; district staff read
their districts' programmes at every stage, the board and the secretariat all of them. The
district's project and programme leaders write them (the secretariat everywhere); only the
district's programme leader adopts and publishes. The board reads, never writes.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import AnyUser, district_ids_for, has_role, is_secretariat

from .models import ActionProgramme

S = ActionProgramme.Status

EDITOR_ROLES = (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)
READER_ROLES = (Role.CASE_HANDLER, Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)


def programmes_public() -> QuerySet[ActionProgramme]:
    """What anyone may read: programmes in published areas with a published version, or out
    for comments."""
    return (
        ActionProgramme.objects.filter(area__is_published=True)
        .filter(Q(status=S.HEARING) | Q(versions__published_at__isnull=False))
        .distinct()
    )


def programmes_visible_to(user: AnyUser) -> QuerySet[ActionProgramme]:
    """Every programme the user may open on the staff side, at any stage."""
    if is_secretariat(user) or has_role(user, Role.BOARD):
        return ActionProgramme.objects.all()
    districts = district_ids_for(user, READER_ROLES) or set()
    return ActionProgramme.objects.filter(area__district_id__in=districts)


def can_view_staff_pages(user: AnyUser) -> bool:
    return is_secretariat(user) or has_role(user, Role.BOARD, *READER_ROLES)


def can_edit(user: AnyUser, programme: ActionProgramme) -> bool:
    """The district's project and programme leaders, and the secretariat."""
    return is_secretariat(user) or has_role(
        user, *EDITOR_ROLES, district=programme.area.district_id
    )


def can_adopt(user: AnyUser, programme: ActionProgramme) -> bool:
    """The district's programme leader, and nobody else."""
    return has_role(user, Role.PROGRAMME_LEADER, district=programme.area.district_id)


def areas_for_editor(user: AnyUser):
    """Areas in which the user may start a programme."""
    from areas.models import Area

    if is_secretariat(user):
        return Area.objects.all()
    return Area.objects.filter(district_id__in=district_ids_for(user, EDITOR_ROLES) or set())
