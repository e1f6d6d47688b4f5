"""Who holds which role where. Every other app's permission module builds on these checks.

Role assignments are read once per request and cached on the user object, so a page that asks
many questions costs one query.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from areas.models import District

from .models import DISTRICT_ROLES, Role, RoleAssignment, User

_CACHE_ATTR = "_role_assignment_cache"

AnyUser = User | AnonymousUser


def role_assignments(user: AnyUser) -> list[tuple[str, int | None]]:
    """The (role, district id) pairs held by an active user; empty for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "district_id"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: AnyUser) -> None:
    """Drop the per-request cache after a role change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: AnyUser, *roles: str, district: District | int | None = None) -> bool:
    """True if the user holds one of ``roles``; with ``district``, one that covers it.

    Global roles (board, secretariat) cover every district.
    """
    district_id = district.pk if isinstance(district, District) else district
    for role, role_district in role_assignments(user):
        if role not in roles:
            continue
        if district_id is None or role_district is None or role_district == district_id:
            return True
    return False


def is_staff_member(user: AnyUser) -> bool:
    """Any staff role at all (district staff, board or secretariat)."""
    return bool(role_assignments(user)) or bool(getattr(user, "is_superuser", False))


def is_secretariat(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or has_role(
        user, Role.SECRETARIAT
    )


def district_ids_for(user: AnyUser, roles: Iterable[str] = DISTRICT_ROLES) -> set[int] | None:
    """Districts in which the user holds one of ``roles``; ``None`` means all (secretariat)."""
    if is_secretariat(user):
        return None
    roles = set(roles)
    return {d for r, d in role_assignments(user) if r in roles and d is not None}


def districts_for(user: AnyUser, roles: Iterable[str] = DISTRICT_ROLES) -> QuerySet[District]:
    """The districts a user works in, as a queryset (all of them for the secretariat)."""
    ids = district_ids_for(user, roles)
    qs = District.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)
