"""The programme and district dashboards (pages, exports)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.files import protect_download

from . import display, figures, permissions
from .export import FORMATS, table_file
from .forms import DashboardFilterForm


def _query(filters: figures.Filters, *, district_page: bool) -> str:
    """The filters as a query string for links that keep them (the district page's district is
    in its path)."""
    values = filters.as_query()
    if district_page:
        values.pop("district", None)
    return urlencode(values)


def _area_links(filters: figures.Filters, scope: figures.Scope) -> list[tuple[str, str]]:
    """At area level, the lists behind the figures: projects, events, input and, for those who
    may open them, the grant cases."""
    if filters.area is None:
        return []
    area = {"area": filters.area}
    project_query = {**area, **({"year": filters.year} if filters.year else {})}
    if filters.sub_goal:
        project_query["sub_goal"] = filters.sub_goal
    links = [
        (_("Projects in the area"), reverse("projects:staff_list"), project_query),
        (_("Participation events in the area"), reverse("participation:staff_events"), area),
        (_("Input from residents in the area"), reverse("participation:staff_inputs"), area),
    ]
    if scope.grant_cases:
        links.append(
            (_("Grant cases in the area"), reverse("grants:staff_queue"), {**area, "status": "all"})
        )
    return [(label, f"{url}?{urlencode(query)}") for label, url, query in links]


def _page(request, *, form, scope, district=None):
    filters = form.filters()
    board = figures.dashboard(filters, scope)
    query = _query(filters, district_page=district is not None)
    if district is None:
        export_base = reverse("dashboards:programme")
    else:
        export_base = reverse("dashboards:district", kwargs={"slug": district.slug})
    context = {
        "board": board,
        "form": form,
        "district": district,
        "scope": scope,
        "sections": display.display_sections(board),
        "query": query,
        "page_url": export_base,
        "area_links": _area_links(filters, scope),
        "own_districts": permissions.own_districts(request.user),
        "is_programme": district is None,
        "can_view_programme": permissions.can_view_programme(request.user),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "dashboards/dashboard.html", context, status=status)


@login_required
@require_safe
def programme(request):
    """The whole programme, for the board and the secretariat. A programme or project leader
    who comes here is taken to their own district's dashboard, with the filters they chose."""
    if not permissions.can_view_programme(request.user):
        districts = permissions.own_districts(request.user)
        if districts:
            url = reverse("dashboards:district", kwargs={"slug": districts[0].slug})
            query = request.GET.copy()
            query.pop("district", None)
            return redirect(f"{url}?{query.urlencode()}" if query else url)
    scope = permissions.programme_scope(request.user)
    form = DashboardFilterForm(request.GET or None)
    return _page(request, form=form, scope=scope)


@login_required
@require_safe
def district(request, slug: str):
    district_, scope = permissions.district_scope(request.user, slug)
    form = DashboardFilterForm(request.GET or None, district=district_)
    return _page(request, form=form, scope=scope, district=district_)


def _export(request, *, form, scope, key: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    if form.is_bound and form.errors:
        messages = "; ".join(
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        return HttpResponseBadRequest(
            _("The filters are not valid: %(errors)s") % {"errors": messages},
            content_type="text/plain; charset=utf-8",
        )
    board = figures.dashboard(form.filters(), scope)
    try:
        table = board.table(key)
    except KeyError as exc:
        raise Http404 from exc
    content, content_type, name = table_file(table, board, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return protect_download(response)


@login_required
@require_safe
def export(request, key: str, fmt: str):
    scope = permissions.programme_scope(request.user)
    form = DashboardFilterForm(request.GET or None)
    return _export(request, form=form, scope=scope, key=key, fmt=fmt)


@login_required
@require_safe
def district_export(request, slug: str, key: str, fmt: str):
    district_, scope = permissions.district_scope(request.user, slug)
    form = DashboardFilterForm(request.GET or None, district=district_)
    return _export(request, form=form, scope=scope, key=key, fmt=fmt)
