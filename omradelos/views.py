"""Cross-app pages: home, health, the statements every public site must publish, staff start."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import districts_for, is_secretariat, is_staff_member, role_assignments
from areas import selectors as area_selectors

from .health import health


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


@never_cache
@require_GET
def healthz(request):
    healthy, body = health()
    return JsonResponse(body, status=200 if healthy else 503)


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
        },
    )
