"""HTTP for the programme's knowledge: who is responsible, the document archive, lessons
learned and the method recipes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import versions
from core.files import private_file_response
from core.forms import show_service_errors
from core.page_cache import cached_for_visitors
from core.views import run_action
from projects.permissions import projects_public, projects_visible_to

from . import permissions, selectors, services
from .actions import LESSON_ACTIONS, RECIPE_ACTIONS
from .filters import DocumentFilter, LessonFilter, StaffDocumentFilter, StaffLessonFilter
from .forms import ContactForm, DocumentForm, LessonForm, MemberForm, RecipeForm
from .models import Contact, Document, Lesson, Member, Recipe

# What the public knowledge pages show: documents, lessons and recipes, and the projects, areas
# and published programmes they belong to (a project made internal takes its lessons away).
PUBLIC_TOPICS = (versions.KNOWLEDGE, versions.PROJECTS, versions.AREAS, versions.PROGRAMMES)

# --- Who is responsible: public -----------------------------------------------------------------


@cached_for_visitors(versions.KNOWLEDGE, versions.AREAS)
def responsibility(request):
    return render(request, "knowledge/responsibility.html", {"found": selectors.responsibility()})


# --- Who is responsible: the secretariat's pages -----------------------------------------------


def _require_secretariat(request) -> None:
    if not permissions.can_edit_responsibility(request.user):
        raise PermissionDenied


@login_required
def staff_responsibility(request):
    _require_secretariat(request)
    return render(
        request, "knowledge/staff/responsibility.html", {"found": selectors.responsibility()}
    )


def _edit(request, *, form_class, obj, service, kwarg: str, title: str):
    _require_secretariat(request)
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **{kwarg: obj}, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("knowledge:staff_responsibility")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/staff/responsibility_form.html",
        {"form": form, "title": title, "obj": obj},
        status=status,
    )


@login_required
def staff_member_create(request):
    return _edit(
        request,
        form_class=MemberForm,
        obj=None,
        service=services.member_save,
        kwarg="member",
        title=_("New member of a body"),
    )


@login_required
def staff_member_edit(request, pk: int):
    _require_secretariat(request)
    return _edit(
        request,
        form_class=MemberForm,
        obj=get_object_or_404(Member, pk=pk),
        service=services.member_save,
        kwarg="member",
        title=_("Edit member"),
    )


@login_required
@require_POST
def staff_member_delete(request, pk: int):
    _require_secretariat(request)
    services.member_delete(actor=request.user, member=get_object_or_404(Member, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("knowledge:staff_responsibility")


@login_required
def staff_contact_create(request):
    return _edit(
        request,
        form_class=ContactForm,
        obj=None,
        service=services.contact_save,
        kwarg="contact",
        title=_("New contact"),
    )


@login_required
def staff_contact_edit(request, pk: int):
    _require_secretariat(request)
    return _edit(
        request,
        form_class=ContactForm,
        obj=get_object_or_404(Contact, pk=pk),
        service=services.contact_save,
        kwarg="contact",
        title=_("Edit contact"),
    )


@login_required
@require_POST
def staff_contact_delete(request, pk: int):
    _require_secretariat(request)
    services.contact_delete(actor=request.user, contact=get_object_or_404(Contact, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("knowledge:staff_responsibility")


# --- Documents ----------------------------------------------------------------------------------

PAGE_SIZE = 20


def _paged(request, queryset):
    """One page of ``queryset`` and the query string of the others; a page number that is no
    number or too large is the first or the last page, never an error."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return page, query.urlencode()


def file_url(document: Document, *, staff: bool = False) -> str:
    """Where the document's PDF is read: a published programme's own PDF, or the archive's."""
    if document.programme_version_id:
        version = document.programme_version
        return reverse(
            "programmes:version_pdf",
            kwargs={
                "area": version.programme.area.slug,
                "year": version.programme.year,
                "number": version.number,
            },
        )
    name = "knowledge:staff_document_file" if staff else "knowledge:document_file"
    return reverse(name, kwargs={"pk": document.pk})


def _with_urls(documents, *, staff: bool = False):
    for document in documents:
        document.file_url = file_url(document, staff=staff)
    return documents


@cached_for_visitors(*PUBLIC_TOPICS)
def archive(request):
    """The public archive: public documents only, whoever is signed in."""
    document_filter = DocumentFilter(
        request.GET or None, queryset=selectors.document_list(permissions.documents_public())
    )
    page, query = _paged(request, document_filter.qs)
    _with_urls(page.object_list)
    return render(
        request,
        "knowledge/archive.html",
        {"filter": document_filter, "page": page, "query": query},
    )


def _public_document(pk: int) -> Document:
    try:
        return selectors.document_detail(permissions.documents_public(), pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


@cached_for_visitors(*PUBLIC_TOPICS)
def document_detail(request, pk: int):
    document = _public_document(pk)
    document.file_url = file_url(document)
    return render(request, "knowledge/document_detail.html", {"document": document})


def _send(document: Document):
    if not document.file:
        raise Http404
    return private_file_response(
        document.file, filename=document.filename, content_type="application/pdf"
    )


def document_file(request, pk: int):
    """A public document's PDF, as a download with the private-file headers (never sniffed,
    sandboxed)."""
    return _send(_public_document(pk))


def _require_staff(request) -> None:
    if not permissions.is_staff(request.user):
        raise PermissionDenied


@login_required
def staff_archive(request):
    _require_staff(request)
    scope = permissions.documents_visible_to(request.user)
    document_filter = StaffDocumentFilter(
        request.GET or None, queryset=selectors.document_list(scope)
    )
    page, query = _paged(request, document_filter.qs)
    _with_urls(page.object_list, staff=True)
    return render(
        request,
        "knowledge/staff/archive.html",
        {
            "filter": document_filter,
            "page": page,
            "query": query,
            "can_upload": permissions.can_upload_document(request.user),
        },
    )


def _staff_document(request, pk: int) -> Document:
    _require_staff(request)
    try:
        return selectors.document_detail(permissions.documents_visible_to(request.user), pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def staff_document(request, pk: int):
    document = _staff_document(request, pk)
    document.file_url = file_url(document, staff=True)
    return render(
        request,
        "knowledge/staff/document_detail.html",
        {
            "document": document,
            "can_edit": permissions.can_edit_document(request.user, document),
        },
    )


@login_required
def staff_document_file(request, pk: int):
    return _send(_staff_document(request, pk))


def _document_form(request, document: Document | None):
    districts = permissions.districts_for_uploader(request.user)
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, districts=districts
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("upload") or None
        try:
            if document is None:
                document = services.document_upload(actor=request.user, upload=upload, **data)
            else:
                services.document_update(
                    actor=request.user, document=document, upload=upload, **data
                )
        except ValidationError as exc:
            show_service_errors(form, exc, moved={"file": "upload"})
        else:
            messages.success(request, _("The document is saved."))
            return redirect("knowledge:staff_document", pk=document.pk)
    return render(
        request,
        "knowledge/staff/document_form.html",
        {"form": form, "document": document},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def staff_document_create(request):
    _require_staff(request)
    if not permissions.can_upload_document(request.user):
        raise PermissionDenied
    return _document_form(request, None)


@login_required
def staff_document_edit(request, pk: int):
    document = _staff_document(request, pk)
    if not permissions.can_edit_document(request.user, document):
        raise PermissionDenied
    return _document_form(request, document)


# --- Lessons learned: public --------------------------------------------------------------------


@cached_for_visitors(*PUBLIC_TOPICS)
def lessons(request):
    """Published lessons of public projects, filtered by sub-goal, method and place."""
    lesson_filter = LessonFilter(
        request.GET or None, queryset=selectors.lesson_list(permissions.lessons_public())
    )
    page, query = _paged(request, lesson_filter.qs)
    return render(
        request,
        "knowledge/lessons.html",
        {"filter": lesson_filter, "page": page, "query": query},
        status=400 if lesson_filter.form.errors else 200,
    )


@cached_for_visitors(*PUBLIC_TOPICS)
def lesson_detail(request, pk: int):
    try:
        lesson = selectors.lesson_detail(permissions.lessons_public(), pk)
    except Lesson.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "knowledge/lesson_detail.html", {"lesson": lesson})


# --- Lessons learned: staff ---------------------------------------------------------------------


@login_required
def staff_lessons(request):
    """Every lesson of every district, internal ones too: sharing across districts is the
    point."""
    _require_staff(request)
    scope = permissions.lessons_visible_to(request.user)
    lesson_filter = StaffLessonFilter(request.GET or None, queryset=selectors.lesson_list(scope))
    page, query = _paged(request, lesson_filter.qs)
    return render(
        request,
        "knowledge/staff/lessons.html",
        {"filter": lesson_filter, "page": page, "query": query},
        status=400 if lesson_filter.form.errors else 200,
    )


def _staff_lesson(request, pk: int) -> Lesson:
    _require_staff(request)
    try:
        return selectors.lesson_detail(permissions.lessons_visible_to(request.user), pk)
    except Lesson.DoesNotExist as exc:
        raise Http404 from exc


def _lesson_context(request, lesson: Lesson, bound: dict | None = None) -> dict:
    user = request.user
    return {
        "lesson": lesson,
        "is_public": permissions.lesson_is_public(lesson),
        "can_edit": permissions.can_edit_lesson(user, lesson),
        "actions": LESSON_ACTIONS.bind(user, lesson, url_for=lambda a, o: a.url(o), bound=bound),
        "notices": LESSON_ACTIONS.notices(user, lesson),
        "history": selectors.history(lesson),
    }


@login_required
def staff_lesson(request, pk: int):
    lesson = _staff_lesson(request, pk)
    return render(request, "knowledge/staff/lesson_detail.html", _lesson_context(request, lesson))


def _lesson_action_view(name: str):
    action = LESSON_ACTIONS[name]

    @login_required
    @require_POST
    def view(request, pk: int):
        lesson = _staff_lesson(request, pk)
        done, form = run_action(request, action, lesson)
        if done:
            return redirect("knowledge:staff_lesson", pk=lesson.pk)
        lesson = _staff_lesson(request, pk)
        context = _lesson_context(request, lesson, bound={name: form})
        return render(request, "knowledge/staff/lesson_detail.html", context, status=400)

    view.__name__ = f"staff_lesson_{name}"
    return view


staff_lesson_publish = _lesson_action_view("publish")
staff_lesson_unpublish = _lesson_action_view("unpublish")


def _lesson_form(request, *, project, lesson: Lesson | None):
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            if lesson is None:
                lesson = services.lesson_create(
                    actor=request.user, project=project, **form.cleaned_data
                )
            else:
                services.lesson_update(actor=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect("knowledge:staff_lesson", pk=lesson.pk)
    return render(
        request,
        "knowledge/staff/lesson_form.html",
        {"form": form, "lesson": lesson, "project": project},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def staff_lesson_create(request, slug: str):
    """Record a lesson of a project, from the project's page."""
    _require_staff(request)
    project = get_object_or_404(projects_visible_to(request.user).select_related("area"), slug=slug)
    if not permissions.can_write_lesson(request.user, project):
        raise PermissionDenied
    return _lesson_form(request, project=project, lesson=None)


@login_required
def staff_lesson_edit(request, pk: int):
    lesson = _staff_lesson(request, pk)
    if not permissions.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    return _lesson_form(request, project=lesson.project, lesson=lesson)


# --- Method recipes: public ---------------------------------------------------------------------


@cached_for_visitors(*PUBLIC_TOPICS)
def recipes(request):
    """The cookbook: every published recipe."""
    page, query = _paged(request, selectors.recipe_list(permissions.recipes_public()))
    return render(request, "knowledge/recipes.html", {"page": page, "query": query})


@cached_for_visitors(*PUBLIC_TOPICS)
def recipe_detail(request, slug: str):
    try:
        recipe = selectors.recipe_detail(
            permissions.recipes_public(),
            slug,
            projects=projects_public(),
            lessons=permissions.lessons_public(),
        )
    except Recipe.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "knowledge/recipe_detail.html", {"recipe": recipe})


# --- Method recipes: staff ----------------------------------------------------------------------


@login_required
def staff_recipes(request):
    _require_staff(request)
    scope = permissions.recipes_visible_to(request.user)
    page, query = _paged(request, selectors.recipe_list(scope))
    return render(
        request,
        "knowledge/staff/recipes.html",
        {
            "page": page,
            "query": query,
            "can_write": permissions.can_write_recipe(request.user),
        },
    )


def _staff_recipe(request, slug: str) -> Recipe:
    _require_staff(request)
    try:
        return selectors.recipe_detail(
            permissions.recipes_visible_to(request.user),
            slug,
            projects=projects_visible_to(request.user) | projects_public(),
            lessons=permissions.lessons_visible_to(request.user),
        )
    except Recipe.DoesNotExist as exc:
        raise Http404 from exc


def _recipe_context(request, recipe: Recipe, bound: dict | None = None) -> dict:
    user = request.user
    return {
        "recipe": recipe,
        "can_edit": permissions.can_edit_recipe(user, recipe),
        "actions": RECIPE_ACTIONS.bind(user, recipe, url_for=lambda a, o: a.url(o), bound=bound),
        "history": selectors.history(recipe),
    }


@login_required
def staff_recipe(request, slug: str):
    recipe = _staff_recipe(request, slug)
    return render(request, "knowledge/staff/recipe_detail.html", _recipe_context(request, recipe))


def _recipe_action_view(name: str):
    action = RECIPE_ACTIONS[name]

    @login_required
    @require_POST
    def view(request, slug: str):
        recipe = _staff_recipe(request, slug)
        done, form = run_action(request, action, recipe)
        if done:
            return redirect("knowledge:staff_recipe", slug=recipe.slug)
        recipe = _staff_recipe(request, slug)
        context = _recipe_context(request, recipe, bound={name: form})
        return render(request, "knowledge/staff/recipe_detail.html", context, status=400)

    view.__name__ = f"staff_recipe_{name}"
    return view


staff_recipe_publish = _recipe_action_view("publish")
staff_recipe_unpublish = _recipe_action_view("unpublish")


def _recipe_form(request, recipe: Recipe | None):
    form = RecipeForm(
        request.POST or None,
        instance=recipe,
        districts=permissions.districts_for_recipe_writer(request.user),
        projects=projects_visible_to(request.user) | projects_public(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            recipe = services.recipe_save(actor=request.user, recipe=recipe, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The recipe is saved."))
            return redirect("knowledge:staff_recipe", slug=recipe.slug)
    return render(
        request,
        "knowledge/staff/recipe_form.html",
        {"form": form, "recipe": recipe},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def staff_recipe_create(request):
    _require_staff(request)
    if not permissions.can_write_recipe(request.user):
        raise PermissionDenied
    return _recipe_form(request, None)


@login_required
def staff_recipe_edit(request, slug: str):
    recipe = _staff_recipe(request, slug)
    if not permissions.can_edit_recipe(request.user, recipe):
        raise PermissionDenied
    return _recipe_form(request, Recipe.objects.get(pk=recipe.pk))
