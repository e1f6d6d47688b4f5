"""Who may see and change the programme's knowledge. Out of scope is a 404, in scope but not
allowed a 403 (as everywhere in the portal)."""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import (
    AnyUser,
    district_ids_for,
    has_role,
    is_secretariat,
    is_staff_member,
)
from projects.permissions import can_edit_project

from .models import Document, Lesson, Recipe


def can_edit_responsibility(user: AnyUser) -> bool:
    """Who is responsible is the secretariat's to keep up to date."""
    return is_secretariat(user)


def is_staff(user: AnyUser) -> bool:
    """Staff of every district, the board and the secretariat: they read internal knowledge."""
    return is_staff_member(user)


# --- Documents ----------------------------------------------------------------------------------

UPLOADER_ROLES = (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)


def documents_public() -> QuerySet[Document]:
    """Public documents, outside unpublished areas: what anyone may read."""
    return Document.objects.filter(is_public=True).filter(
        Q(area__isnull=True) | Q(area__is_published=True)
    )


def documents_visible_to(user: AnyUser) -> QuerySet[Document]:
    """Staff of every district read every document (sharing across districts is the point);
    everyone else the public ones."""
    if is_staff_member(user):
        return Document.objects.all()
    return documents_public()


def can_upload_document(user: AnyUser) -> bool:
    return is_secretariat(user) or has_role(user, *UPLOADER_ROLES)


def document_district_id(document: Document) -> int | None:
    if document.area_id:
        return document.area.district_id
    return document.district_id


def can_edit_document(user: AnyUser, document: Document) -> bool:
    """The secretariat; and the project and programme leaders of the document's district (a
    document for the whole programme is the secretariat's)."""
    if is_secretariat(user):
        return True
    if document.programme_version_id:
        return False  # a published programme's archive entry follows the programme
    district_id = document_district_id(document)
    return district_id is not None and has_role(user, *UPLOADER_ROLES, district=district_id)


def districts_for_uploader(user: AnyUser) -> set[int] | None:
    """Districts a user may file documents under; None means any, and documents for the
    whole programme too (the secretariat)."""
    return district_ids_for(user, UPLOADER_ROLES)


# --- Lessons learned and method recipes --------------------------------------------------------


def lessons_public() -> QuerySet[Lesson]:
    """Published lessons of published projects in published areas: what anyone may read."""
    return Lesson.objects.filter(
        status=Lesson.Status.PUBLISHED,
        project__is_public=True,
        project__area__is_published=True,
    )


def lessons_visible_to(user: AnyUser) -> QuerySet[Lesson]:
    """Staff of every district read every lesson, internal ones too: a lesson is written to be
    shared across districts. Everyone else reads the public ones."""
    if is_staff_member(user):
        return Lesson.objects.all()
    return lessons_public()


def lesson_is_public(lesson: Lesson) -> bool:
    project = lesson.project
    return lesson.is_published and project.is_public and project.area.is_published


def can_write_lesson(user: AnyUser, project) -> bool:
    """Whoever may edit the project records its lessons: the project and programme leaders of
    its district, and the secretariat."""
    return can_edit_project(user, project)


def can_edit_lesson(user: AnyUser, lesson: Lesson) -> bool:
    return can_edit_project(user, lesson.project)


def recipes_public() -> QuerySet[Recipe]:
    return Recipe.objects.filter(status=Recipe.Status.PUBLISHED)


def recipes_visible_to(user: AnyUser) -> QuerySet[Recipe]:
    """Staff read drafts too; everyone else the published recipes."""
    if is_staff_member(user):
        return Recipe.objects.all()
    return recipes_public()


def can_write_recipe(user: AnyUser) -> bool:
    """The secretariat, and the project and programme leaders of a district."""
    return is_secretariat(user) or has_role(user, *UPLOADER_ROLES)


def can_edit_recipe(user: AnyUser, recipe: Recipe) -> bool:
    """The secretariat edits every recipe; a district's leaders their district's own."""
    if is_secretariat(user):
        return True
    return recipe.district_id is not None and has_role(
        user, *UPLOADER_ROLES, district=recipe.district_id
    )


def districts_for_recipe_writer(user: AnyUser) -> set[int] | None:
    """Districts a user may write recipes for; None means any, and the secretariat's own."""
    return district_ids_for(user, UPLOADER_ROLES)
