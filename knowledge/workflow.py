"""The status of a lesson and of a recipe, as data: draft → published, and back.

Every publish and unpublish goes through ``apply`` of its table, which checks it, saves the
status and writes the audit row; the models refuse a status change that did not
(``core.workflow.StatusGuard``).
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import has_role, is_secretariat
from core import versions
from core.audit import audit_record
from core.workflow import SYSTEM, Transition, Workflow

from .models import Lesson, Recipe

L = Lesson.Status
R = Recipe.Status

# The project and programme leaders of the district, and the secretariat everywhere.
EDITORS = frozenset({Role.PROJECT_LEADER, Role.PROGRAMME_LEADER, Role.SECRETARIAT})


def _roles_in(user, district_id: int | None) -> set[str]:
    if user is None:
        return {SYSTEM}
    roles = {Role.SECRETARIAT} if is_secretariat(user) else set()
    if district_id is not None:
        for role in (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER):
            if has_role(user, role, district=district_id):
                roles.add(role)
    return roles


def lesson_roles(user, lesson: Lesson) -> set[str]:
    """The workflow roles ``user`` holds for ``lesson``: those held in its project's district."""
    return _roles_in(user, lesson.project.area.district_id)


def recipe_roles(user, recipe: Recipe) -> set[str]:
    """The workflow roles ``user`` holds for ``recipe``: the secretariat's for every recipe,
    the district leaders' for their district's own."""
    return _roles_in(user, recipe.district_id)


def _record(kind: str):
    def record(obj, transition, actor, old, new, **data):
        versions.bump(versions.KNOWLEDGE)
        return audit_record(
            actor=actor,
            action=f"{kind}_{transition.name}ed",
            target=obj,
            changes={"status": [old, new]},
        )

    return record


LESSON_STATUS = Workflow(
    model=Lesson,
    transitions=[
        Transition("publish", sources=[L.DRAFT], to=L.PUBLISHED, roles=EDITORS, label=_("Publish")),
        Transition(
            "unpublish",
            sources=[L.PUBLISHED],
            to=L.DRAFT,
            roles=EDITORS,
            label=_("Make internal again"),
        ),
    ],
    roles_of=lesson_roles,
    record=_record("lesson"),
    status_label=lambda value: str(L(value).label),
)

RECIPE_STATUS = Workflow(
    model=Recipe,
    transitions=[
        Transition("publish", sources=[R.DRAFT], to=R.PUBLISHED, roles=EDITORS, label=_("Publish")),
        Transition(
            "unpublish",
            sources=[R.PUBLISHED],
            to=R.DRAFT,
            roles=EDITORS,
            label=_("Take back to draft"),
        ),
    ],
    roles_of=recipe_roles,
    record=_record("recipe"),
    status_label=lambda value: str(R(value).label),
)
