"""Who may see and change projects. Out of scope is a 404 (scope), in scope but not allowed 403."""

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import AnyUser, district_ids_for, has_role, is_secretariat

from .models import Project

EDITOR_ROLES = (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)
READER_ROLES = (Role.CASE_HANDLER, Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)


def projects_public() -> QuerySet[Project]:
    """Published projects in published areas: what anyone may read."""
    return Project.objects.filter(is_public=True, area__is_published=True)


def projects_visible_to(user: AnyUser) -> QuerySet[Project]:
    """Every project the user may open on the staff side.

    District staff see their districts' projects; the board and the secretariat see all.
    """
    if is_secretariat(user) or has_role(user, Role.BOARD):
        return Project.objects.all()
    districts = district_ids_for(user, READER_ROLES) or set()
    return Project.objects.filter(area__district_id__in=districts)


def projects_editable_by(user: AnyUser) -> QuerySet[Project]:
    if is_secretariat(user):
        return Project.objects.all()
    districts = district_ids_for(user, EDITOR_ROLES) or set()
    return Project.objects.filter(area__district_id__in=districts)


def can_view_staff_pages(user: AnyUser) -> bool:
    return is_secretariat(user) or has_role(user, Role.BOARD, *READER_ROLES)


def can_create_project(user: AnyUser) -> bool:
    return is_secretariat(user) or has_role(user, *EDITOR_ROLES)


def can_edit_project(user: AnyUser, project: Project) -> bool:
    """Project and programme leaders of the project's district, and the secretariat."""
    return is_secretariat(user) or has_role(user, *EDITOR_ROLES, district=project.area.district_id)


def areas_for_editor(user: AnyUser):
    """Areas in which the user may create projects."""
    from areas.models import Area

    if is_secretariat(user):
        return Area.objects.all()
    return Area.objects.filter(district_id__in=district_ids_for(user, EDITOR_ROLES) or set())
