"""Cross-app pages: home, health, the statements every public site must publish, staff start."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from accounts.language import remember_language
from accounts.permissions import districts_for, is_secretariat, is_staff_member, role_assignments
from areas import selectors as area_selectors
from areas.models import Area
from core import versions
from core.page_cache import cached_for_visitors
from core.pagination import paginate
from dashboards import permissions as dashboard_permissions
from grants import permissions as grant_permissions
from participation import permissions as participation_permissions
from programmes.public_selectors import public_programmes_for_area
from projects.selectors import project_list, public_projects_for_area

from .health import health

# The area page lists this many of its projects a page (a large area has hundreds).
AREA_PROJECTS_PAGE_SIZE = 12


@cached_for_visitors(versions.AREAS, versions.PROGRAMMES)
def home(request):
    return render(
        request,
        "omradelos/home.html",
        {
            "programme_groups": area_selectors.areas_grouped_by_programme(),
            "sub_programme": area_selectors.served_sub_programme(),
            "main_goals": area_selectors.main_goals(),
        },
    )


@cached_for_visitors(versions.AREAS, versions.PROJECTS, versions.PROGRAMMES, versions.KNOWLEDGE)
def area_detail(request, slug: str):
    """An area with its goals and its published projects."""
    try:
        area = area_selectors.area_detail(slug=slug)
    except Area.DoesNotExist as exc:
        raise Http404 from exc
    page, query = paginate(
        request, public_projects_for_area(area), AREA_PROJECTS_PAGE_SIZE, prepare=project_list
    )
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "page": page,
            "query": query,
            "programmes": public_programmes_for_area(area),
        },
    )


@never_cache
@require_safe
def healthz(request):
    healthy, body = health()
    status = 200 if healthy else 503
    if request.method == "HEAD":  # a load balancer's probe: the status says it all
        return HttpResponse(status=status)
    return JsonResponse(body, status=status)


def accessibility_statement(request):
    return render(request, "omradelos/accessibility.html")


def privacy_statement(request):
    return render(request, "omradelos/privacy.html")


@login_required
def staff_home(request):
    """The start page for staff: their roles and districts, and where to go from here."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    from accounts.models import Role
    from areas.models import District

    districts = {d.pk: d for d in District.objects.all()}
    labels = dict(Role.choices)
    roles = [
        {"label": labels.get(role, role), "district": districts.get(district_id)}
        for role, district_id in role_assignments(request.user)
    ]
    return render(
        request,
        "omradelos/staff_home.html",
        {
            "roles": roles,
            "districts": districts_for(request.user),
            "is_secretariat": is_secretariat(request.user),
            "can_view_grant_cases": grant_permissions.can_view_cases(request.user),
            "can_view_grant_rounds": grant_permissions.can_view_round_figures(request.user),
            "can_view_participation": participation_permissions.can_view_staff_pages(request.user),
            "dashboard_url": dashboard_permissions.landing_url(request.user),
            "can_view_programme_dashboard": dashboard_permissions.can_view_programme(request.user),
        },
    )


def set_language(request):
    """Django's set_language, resolving ``next`` in the language of its own URL prefix.

    Django resolves ``next`` in the language active for /i18n/setlang/ itself (always bokmål,
    which has no prefix), so a switch from /en/… to nynorsk would otherwise stay on /en/….
    """
    next_path = urlsplit(request.POST.get("next", "")).path
    language = translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE
    with translation.override(language):
        response = django_set_language(request)
    # Emails to a signed-in person are written in the language they chose.
    remember_language(request.user, request.POST.get("language", ""))
    return response
