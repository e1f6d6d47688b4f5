"""Every write to the programme's knowledge. Each service checks the actor, writes, and records
an audit row in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import versions
from core.actions import ActionRefused, Refusal, require
from core.audit import audit_record, diff
from core.slugs import unique_slug

from . import permissions
from .models import Contact, Document, Lesson, Member, Recipe
from .uploads import inspect_pdf, pdf_text

MEMBER_FIELDS = ["body", "role", "organisation", "person_name", "title", "sort_order"]
CONTACT_FIELDS = [
    "role",
    "name",
    "organisation",
    "email",
    "phone",
    "district",
    "area",
    "sort_order",
]


def _require_responsibility_editor(actor: User) -> None:
    if not permissions.can_edit_responsibility(actor):
        raise ActionRefused(Refusal(_("Only the secretariat can change who is responsible.")))


def _save(obj, *, actor: User, fields: list[str], data: dict, action: str):
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    creating = obj.pk is None
    # What is stored, not the object handed in: a form may have changed that already.
    stored = None if creating else type(obj).objects.get(pk=obj.pk)
    before = {} if stored is None else model_to_dict(stored, fields=fields)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    versions.bump(versions.KNOWLEDGE)
    audit_record(
        actor=actor,
        action=f"{action}_{'created' if creating else 'changed'}",
        target=obj,
        changes=diff(before, {name: getattr(obj, name) for name in data}),
    )
    return obj


@transaction.atomic
def member_save(*, actor: User, member: Member | None = None, **data) -> Member:
    """Create ``member`` (or a new one) or change it with ``data`` (fields of
    ``MEMBER_FIELDS``). Raises ActionRefused unless the actor is the secretariat and
    ValidationError for a second leader of a body or an organisation listed twice in
    the same role."""
    _require_responsibility_editor(actor)
    member = member if member is not None else Member()
    body, role = data.get("body", member.body), data.get("role", member.role)
    if role == Member.Role.LEADER:
        others = Member.objects.filter(body=body, role=Member.Role.LEADER).exclude(pk=member.pk)
        if others.exists():
            raise ValidationError(
                {
                    "role": _(
                        "This body already has a leader. Make the present leader a member first."
                    )
                }
            )
    organisation = data.get("organisation", member.organisation)
    twice = Member.objects.filter(body=body, role=role, organisation__iexact=organisation).exclude(
        pk=member.pk
    )
    if twice.exists():
        raise ValidationError(
            {"organisation": _("This organisation is listed in the body already, in this role.")}
        )
    return _save(member, actor=actor, fields=MEMBER_FIELDS, data=data, action="member")


@transaction.atomic
def member_delete(*, actor: User, member: Member) -> None:
    """Remove ``member`` from its body. Raises ActionRefused unless the actor is the
    secretariat."""
    _require_responsibility_editor(actor)
    audit_record(
        actor=actor,
        action="member_deleted",
        target=member,
        changes={"organisation": [member.organisation, None], "body": [member.body, None]},
    )
    member.delete()
    versions.bump(versions.KNOWLEDGE)


@transaction.atomic
def contact_save(*, actor: User, contact: Contact | None = None, **data) -> Contact:
    """Create or change a contact with ``data`` (fields of ``CONTACT_FIELDS``). An area's
    contact is named by its area alone. Raises ActionRefused unless the actor is the
    secretariat, and ValidationError for a contact given both a district and an area."""
    _require_responsibility_editor(actor)
    contact = contact if contact is not None else Contact()
    if data.get("district") is not None and data.get("area") is not None:
        raise ValidationError(
            {"area": _("Choose a district or an area, not both: an area's district is known.")}
        )
    return _save(contact, actor=actor, fields=CONTACT_FIELDS, data=data, action="contact")


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    """Remove ``contact``. Raises ActionRefused unless the actor is the secretariat."""
    _require_responsibility_editor(actor)
    audit_record(
        actor=actor,
        action="contact_deleted",
        target=contact,
        changes={"name": [contact.name, None], "role": [contact.role, None]},
    )
    contact.delete()
    versions.bump(versions.KNOWLEDGE)


# --- Documents ----------------------------------------------------------------------------------

DOCUMENT_FIELDS = [
    "title",
    "kind",
    "language",
    "year",
    "programme",
    "district",
    "area",
    "summary",
    "is_public",
]


def _document_place(actor: User, data: dict) -> dict:
    """Fill in the district and programme an area or district implies; refuse a place that
    does not hang together or that the actor may not file under."""
    area, district = data.get("area"), data.get("district")
    if area is not None and district is not None and area.district_id != district.pk:
        raise ValidationError({"area": _("The area is not in the district you chose.")})
    if area is not None:
        district = data["district"] = area.district
    if district is not None:
        if data.get("programme") is not None and data["programme"].pk != district.programme_id:
            raise ValidationError(
                {"programme": _("The district belongs to another area programme.")}
            )
        data["programme"] = district.programme
    allowed = permissions.districts_for_uploader(actor)
    if allowed is not None and (district is None or district.pk not in allowed):
        raise ValidationError(
            {
                "district": _(
                    "Choose your own district or one of its areas: documents for the whole "
                    "programme are filed by the secretariat."
                )
            }
        )
    return data


def _attach(document: Document, upload) -> None:
    try:
        filename = inspect_pdf(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document.filename = filename
    document.size = upload.size
    document.text = pdf_text(upload)
    document.file.save(filename, upload, save=False)


@transaction.atomic
def document_upload(*, actor: User, upload, **data) -> Document:
    """Archive an uploaded PDF with its particulars (``DOCUMENT_FIELDS``) and the text read
    from it. Raises ActionRefused unless the actor may upload, and ValidationError (by field)
    for a file that is not a PDF or too large, or a place the actor may not file under;
    nothing is stored then."""
    if not permissions.can_upload_document(actor):
        raise ActionRefused(Refusal(_("Only staff who work on projects can add documents.")))
    data = _document_place(actor, dict(data))
    document = Document(**data, uploaded_by=actor)
    document.full_clean(exclude=["file"])
    _attach(document, upload)
    document.save()
    audit_record(
        actor=actor,
        action="document_created",
        target=document,
        changes=diff({}, {**data, "filename": document.filename}),
    )
    versions.bump(versions.KNOWLEDGE)
    return document


@transaction.atomic
def document_update(*, actor: User, document: Document, upload=None, **data) -> Document:
    """Change a document's particulars, and its PDF when ``upload`` is given. Raises
    ActionRefused unless the actor may edit it, ValidationError as ``document_upload``."""
    if not permissions.can_edit_document(actor, document):
        raise ActionRefused(Refusal(_("You cannot change this document.")))
    data = _document_place(actor, dict(data))
    stored = Document.objects.get(pk=document.pk)
    before = model_to_dict(stored, fields=[*DOCUMENT_FIELDS, "filename"])
    for name, value in data.items():
        setattr(document, name, value)
    document.full_clean(exclude=["file"])
    if upload is not None:
        _attach(document, upload)
    document.save()
    audit_record(
        actor=actor,
        action="document_changed",
        target=document,
        changes=diff(before, {**data, "filename": document.filename}),
    )
    versions.bump(versions.KNOWLEDGE)
    return document


def _programme_pdf_text(version) -> str:
    from programmes.models import Rendering

    rendering = version.rendering
    if rendering is None or rendering.status != Rendering.Status.READY or not rendering.pdf:
        return ""
    try:
        with rendering.pdf.open("rb") as handle:
            return pdf_text(handle)
    except OSError:
        return ""


def programme_documents_sync() -> int:
    """Put every published action programme version into the archive, once, and read the
    text of its PDF when the PDF is ready. Safe to run again and again (the periodic sweep
    does): a version has one archive entry. Returns the number of entries added or filled."""
    from programmes.models import ProgrammeVersion

    touched = 0
    published = (
        ProgrammeVersion.objects.filter(published_at__isnull=False, archived_as__isnull=True)
        .select_related("programme__area__district", "rendering")
        .order_by("pk")
    )
    for version in published:
        with transaction.atomic():
            programme = version.programme
            area = programme.area
            title = f"Handlingsprogram {programme.year} – {area.name}"
            if version.number > 1:
                title += f" (versjon {version.number})"
            document, created = Document.objects.get_or_create(
                programme_version=version,
                defaults={
                    "title": title,
                    "kind": Document.Kind.ACTION_PROGRAMME,
                    "language": "nb",
                    "year": programme.year,
                    "programme_id": area.district.programme_id,
                    "district": area.district,
                    "area": area,
                    "summary": (
                        f"Handlingsprogrammet for områdeløftet {area.name} i {area.district} "
                        f"for {programme.year}, versjon {version.number}."
                    ),
                    "is_public": True,
                    "text": _programme_pdf_text(version),
                },
            )
            if created:
                audit_record(
                    actor=None,
                    action="document_archived",
                    target=document,
                    changes={"programme_version": [None, version.pk]},
                )
                touched += 1
    waiting = Document.objects.filter(programme_version__isnull=False, text="").select_related(
        "programme_version__rendering"
    )
    for document in waiting:
        text = _programme_pdf_text(document.programme_version)
        if text:
            Document.objects.filter(pk=document.pk).update(text=text)
            touched += 1
    if touched:
        versions.bump(versions.KNOWLEDGE)
    return touched


# --- Lessons learned ----------------------------------------------------------------------------

LESSON_FIELDS = ["title", "worked", "did_not_work", "advice", "sub_goals", "methods"]


def _lesson_values(lesson: Lesson) -> dict:
    values = model_to_dict(lesson, fields=["title", "worked", "did_not_work", "advice"])
    values["sub_goals"] = sorted(g.pk for g in lesson.sub_goals.all())
    values["methods"] = sorted(r.pk for r in lesson.methods.all())
    return values


def _lesson_write(lesson: Lesson, data: dict) -> None:
    unknown = set(data) - set(LESSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    sub_goals = data.pop("sub_goals", None)
    methods = data.pop("methods", None)
    for name, value in data.items():
        setattr(lesson, name, value)
    lesson.full_clean()
    lesson.save()
    versions.bump(versions.KNOWLEDGE)
    if sub_goals is not None:
        lesson.sub_goals.set(sub_goals)
    if methods is not None:
        lesson.methods.set(methods)


@transaction.atomic
def lesson_create(*, actor: User, project, **data) -> Lesson:
    """Record a lesson of ``project`` (fields of ``LESSON_FIELDS``) as an internal draft: staff
    of every district read it at once. Raises ActionRefused unless the actor may edit the
    project, ValidationError for a missing title or missing "what worked"."""
    if not permissions.can_write_lesson(actor, project):
        raise ActionRefused(
            Refusal(
                _("Only the project's leaders in its district and the secretariat can do this.")
            )
        )
    lesson = Lesson(project=project, written_by=actor)
    _lesson_write(lesson, dict(data))
    audit_record(
        actor=actor,
        action="lesson_created",
        target=lesson,
        changes=diff({}, {"project": project.pk, **_lesson_values(lesson)}),
    )
    return lesson


@transaction.atomic
def lesson_update(*, actor: User, lesson: Lesson, **data) -> Lesson:
    """Change a lesson, published or not. Raises ActionRefused unless the actor may edit its
    project, ValidationError as ``lesson_create``."""
    lesson = Lesson.objects.select_for_update().select_related("project__area").get(pk=lesson.pk)
    if not permissions.can_edit_lesson(actor, lesson):
        raise ActionRefused(Refusal(_("You cannot change this lesson.")))
    before = _lesson_values(lesson)
    _lesson_write(lesson, dict(data))
    changes = diff(before, _lesson_values(lesson))
    if changes:
        audit_record(actor=actor, action="lesson_changed", target=lesson, changes=changes)
    return lesson


def _locked_lesson(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_for_update().select_related("project__area").get(pk=lesson.pk)


@transaction.atomic
def lesson_publish(*, actor: User, lesson: Lesson) -> Lesson:
    """Publish an internal lesson of a public project: everyone reads it. Raises
    ActionRefused (not an editor, published already, the project is internal)."""
    from .actions import LESSON_ACTIONS
    from .workflow import LESSON_STATUS

    lesson = _locked_lesson(lesson)
    require(LESSON_ACTIONS["publish"], actor, lesson)
    lesson.published_at = timezone.now()
    LESSON_STATUS.apply(
        lesson, "publish", actor=actor, update_fields=["published_at", "updated_at"]
    )
    return lesson


@transaction.atomic
def lesson_unpublish(*, actor: User, lesson: Lesson) -> Lesson:
    """Take a published lesson off the public pages; staff still read it. Raises
    ActionRefused."""
    from .actions import LESSON_ACTIONS
    from .workflow import LESSON_STATUS

    lesson = _locked_lesson(lesson)
    require(LESSON_ACTIONS["unpublish"], actor, lesson)
    LESSON_STATUS.apply(lesson, "unpublish", actor=actor, update_fields=["updated_at"])
    return lesson


# --- Method recipes -----------------------------------------------------------------------------

RECIPE_FIELDS = [
    "title",
    "summary",
    "introduction",
    "ingredients",
    "steps",
    "district",
    "projects",
]


def _recipe_values(recipe: Recipe) -> dict:
    values = model_to_dict(recipe, fields=[f for f in RECIPE_FIELDS if f != "projects"])
    values["projects"] = sorted(p.pk for p in recipe.projects.all())
    return values


@transaction.atomic
def recipe_save(*, actor: User, recipe: Recipe | None = None, **data) -> Recipe:
    """Write a new recipe (a draft) or change one (fields of ``RECIPE_FIELDS``). The
    secretariat writes for the whole programme or any district; a district's leaders for
    their own district. Raises ActionRefused, ValidationError (by field) for a district the
    actor may not write for, a recipe without ingredients or steps."""
    unknown = set(data) - set(RECIPE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    creating = recipe is None
    if creating:
        if not permissions.can_write_recipe(actor):
            raise ActionRefused(
                Refusal(_("Only the secretariat and district leaders can write recipes."))
            )
        recipe = Recipe(created_by=actor)
        before = {}
    else:
        recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
        if not permissions.can_edit_recipe(actor, recipe):
            raise ActionRefused(Refusal(_("You cannot change this recipe.")))
        before = _recipe_values(recipe)
    allowed = permissions.districts_for_recipe_writer(actor)
    district = data.get("district", recipe.district if not creating else None)
    if allowed is not None and (district is None or district.pk not in allowed):
        raise ValidationError(
            {
                "district": _(
                    "Choose your own district: recipes for the whole programme are the "
                    "secretariat's."
                )
            }
        )
    data = dict(data)
    projects = data.pop("projects", None)
    for name, value in data.items():
        setattr(recipe, name, value)
    if creating or "title" in data:
        # "ny" is the address of the page that writes a new recipe.
        text = "ny oppskrift" if recipe.title.strip().lower() == "ny" else recipe.title
        recipe.slug = unique_slug(Recipe, text, fallback="oppskrift", exclude_pk=recipe.pk)
    recipe.full_clean()
    if not recipe.ingredient_list:
        raise ValidationError({"ingredients": _("Write at least one ingredient.")})
    if not recipe.step_list:
        raise ValidationError({"steps": _("Write at least one step.")})
    recipe.save()
    versions.bump(versions.KNOWLEDGE)
    if projects is not None:
        recipe.projects.set(projects)
    changes = diff(before, _recipe_values(recipe))
    if creating or changes:
        audit_record(
            actor=actor,
            action="recipe_created" if creating else "recipe_changed",
            target=recipe,
            changes=changes,
        )
    return recipe


@transaction.atomic
def recipe_publish(*, actor: User, recipe: Recipe) -> Recipe:
    """Publish a draft recipe in the cookbook. Raises ActionRefused."""
    from .actions import RECIPE_ACTIONS
    from .workflow import RECIPE_STATUS

    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    require(RECIPE_ACTIONS["publish"], actor, recipe)
    recipe.published_at = timezone.now()
    RECIPE_STATUS.apply(
        recipe, "publish", actor=actor, update_fields=["published_at", "updated_at"]
    )
    return recipe


@transaction.atomic
def recipe_unpublish(*, actor: User, recipe: Recipe) -> Recipe:
    """Take a recipe out of the cookbook, back to draft. Raises ActionRefused."""
    from .actions import RECIPE_ACTIONS
    from .workflow import RECIPE_STATUS

    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    require(RECIPE_ACTIONS["unpublish"], actor, recipe)
    RECIPE_STATUS.apply(recipe, "unpublish", actor=actor, update_fields=["updated_at"])
    return recipe
