"""HTTP for projects: public pages, open data, and the staff registry."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import versions
from core.csv import spreadsheet_cell
from core.page_cache import cached_for_visitors
from core.pagination import paginate

from . import history, permissions, selectors, services
from .filters import ProjectFilter
from .forms import (
    BudgetLineForm,
    ImageForm,
    IndicatorForm,
    IndicatorValueForm,
    MilestoneDoneForm,
    MilestoneForm,
    PartnerForm,
    ProjectForm,
    StatusUpdateForm,
)
from .models import Indicator, Milestone, Project

STAFF_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 100
# The project pages show this many of the inputs taken up in the project a page.
INPUTS_PAGE_SIZE = 10


def _inputs_taken_up(request, project) -> dict:
    page, query = paginate(request, selectors.inputs_taken_up_queryset(project), INPUTS_PAGE_SIZE)
    return {"inputs_taken_up": page, "inputs_query": query}


# --- Public -------------------------------------------------------------------------------------


@cached_for_visitors(
    versions.PROJECTS,
    versions.AREAS,
    versions.PARTICIPATION,
    versions.PROGRAMMES,
    versions.KNOWLEDGE,
)
def project_detail(request, slug: str):
    try:
        project = selectors.project_detail(permissions.projects_public(), slug=slug, public=True)
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "progress": selectors.progress_percent(project),
            "budget": selectors.budget_summary(list(project.budget_lines.all())),
            **_inputs_taken_up(request, project),
        },
    )


OPEN_DATA_FIELDS = [
    "slug",
    "title",
    "summary",
    "area",
    "district",
    "district_number",
    "status",
    "start_date",
    "end_date",
    "participation_step",
    "sub_goals",
    "progress_percent",
    "budget_planned_nok",
    "budget_spent_nok",
]


def open_data_json(request):
    response = JsonResponse(
        {"licence": "NLOD-2.0", "projects": selectors.open_data_rows()},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="omradeloft-prosjekter.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_FIELDS)
    writer.writeheader()
    for row in selectors.open_data_rows():
        row = {**row, "sub_goals": " ".join(map(str, row["sub_goals"]))}
        writer.writerow({field: spreadsheet_cell(row[field]) for field in OPEN_DATA_FIELDS})
    return response


# --- Staff --------------------------------------------------------------------------------------


def _staff_user(request):
    if not permissions.can_view_staff_pages(request.user):
        raise PermissionDenied
    return request.user


@login_required
def staff_list(request):
    user = _staff_user(request)
    scope = permissions.projects_visible_to(user)
    project_filter = ProjectFilter(request.GET or None, queryset=scope)
    page, query = paginate(
        request,
        selectors.project_list_order(project_filter.qs),
        STAFF_PAGE_SIZE,
        prepare=selectors.project_list,
    )
    return render(
        request,
        "projects/staff/project_list.html",
        {
            "filter": project_filter,
            "page": page,
            "query": query,
            "can_create": permissions.can_create_project(user),
        },
    )


@login_required
def staff_create(request):
    user = _staff_user(request)
    if not permissions.can_create_project(user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, areas=permissions.areas_for_editor(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sub_goals = data.pop("sub_goals")
        try:
            project = services.project_create(actor=user, sub_goals=sub_goals, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The project is created."))
            return redirect("projects:staff_detail", slug=project.slug)
    return render(request, "projects/staff/project_form.html", {"form": form, "project": None})


def _get_project(request, slug: str) -> Project:
    return get_object_or_404(permissions.projects_visible_to(request.user), slug=slug)


def _require_edit(request, project: Project) -> None:
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied


@login_required
def staff_edit(request, slug: str):
    user = _staff_user(request)
    project = get_object_or_404(permissions.projects_visible_to(user), slug=slug)
    _require_edit(request, project)
    form = ProjectForm(
        request.POST or None, instance=project, areas=permissions.areas_for_editor(user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sub_goals = data.pop("sub_goals")
        try:
            services.project_update(project=project, actor=user, sub_goals=sub_goals, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("projects:staff_detail", slug=project.slug)
    return render(request, "projects/staff/project_form.html", {"form": form, "project": project})


def _detail_context(request, project: Project, bound_value_form=None, **forms) -> dict:
    today = timezone.localdate()
    # One measurement form per indicator, each with its own prefix so field ids stay unique.
    for indicator in project.indicators.all():
        if bound_value_form is not None and bound_value_form.prefix == f"v{indicator.pk}":
            indicator.value_form = bound_value_form
        else:
            indicator.value_form = IndicatorValueForm(
                prefix=f"v{indicator.pk}", initial={"date": today}
            )
    context = {
        "project": project,
        "progress": selectors.progress_percent(project),
        "budget": selectors.budget_summary(list(project.budget_lines.all())),
        "can_edit": permissions.can_edit_project(request.user, project),
        **_inputs_taken_up(request, project),
        # Each small form has a prefix of its own, so no two fields on the page share an id.
        "milestone_form": MilestoneForm(prefix="milestone"),
        "done_form": MilestoneDoneForm(initial={"done_date": today}),
        "indicator_form": IndicatorForm(prefix="indicator"),
        "update_form": StatusUpdateForm(prefix="update", initial={"date": today}),
        "budget_form": BudgetLineForm(prefix="budget", initial={"year": today.year}),
        "partner_form": PartnerForm(prefix="partner"),
        "image_form": ImageForm(prefix="image"),
        "changes": history.describe(project.changes.select_related("actor")[:20]),
    }
    context.update(forms)
    return context


@login_required
def staff_detail(request, slug: str):
    _staff_user(request)
    try:
        project = selectors.project_detail(
            permissions.projects_visible_to(request.user), slug=slug, public=False
        )
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "projects/staff/project_detail.html", _detail_context(request, project))


def _post_form(request, slug: str, form_class, context_name: str, save, prefix=None):
    """Validate one of the project page's small forms; on error re-render the page with it."""
    _staff_user(request)
    project = _get_project(request, slug)
    _require_edit(request, project)
    form = form_class(request.POST, request.FILES or None, prefix=prefix)
    if form.is_valid():
        try:
            save(project, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:staff_detail", slug=project.slug)
    project = selectors.project_detail(
        permissions.projects_visible_to(request.user), slug=slug, public=False
    )
    if context_name == "value_form":
        context = _detail_context(request, project, bound_value_form=form)
    else:
        context = _detail_context(request, project, **{context_name: form})
    return render(request, "projects/staff/project_detail.html", context, status=400)


def _project_form_view(form_class, name: str, service):
    """A POST-only view for one of the project page's small forms, saved through ``service``."""

    @login_required
    @require_POST
    def view(request, slug: str):
        return _post_form(
            request,
            slug,
            form_class,
            f"{name}_form",
            prefix=name,
            save=lambda project, data: service(project=project, actor=request.user, **data),
        )

    return view


milestone_add = _project_form_view(MilestoneForm, "milestone", services.milestone_add)
indicator_add = _project_form_view(IndicatorForm, "indicator", services.indicator_add)
update_add = _project_form_view(StatusUpdateForm, "update", services.status_update_add)
budget_set = _project_form_view(BudgetLineForm, "budget", services.budget_line_set)
partner_add = _project_form_view(PartnerForm, "partner", services.partner_add)
image_add = _project_form_view(ImageForm, "image", services.image_add)


@login_required
@require_POST
def milestone_done(request, slug: str, pk: int):
    def save(project, data):
        milestone = get_object_or_404(Milestone, project=project, pk=pk)
        services.milestone_complete(milestone=milestone, actor=request.user, **data)

    return _post_form(request, slug, MilestoneDoneForm, "done_form", save)


@login_required
@require_POST
def indicator_value_add(request, slug: str, pk: int):
    def save(project, data):
        indicator = get_object_or_404(Indicator, project=project, pk=pk)
        services.indicator_value_add(indicator=indicator, actor=request.user, **data)

    return _post_form(request, slug, IndicatorValueForm, "value_form", save, prefix=f"v{pk}")


@login_required
def staff_history(request, slug: str):
    _staff_user(request)
    project = _get_project(request, slug)
    changes = project.changes.select_related("actor")
    page, _query = paginate(request, changes, HISTORY_PAGE_SIZE)
    page.object_list = history.describe(page.object_list)
    return render(
        request, "projects/staff/project_history.html", {"project": project, "page": page}
    )
