"""Who sees which dashboard.

The board and the secretariat see the whole programme and every district. Programme leaders and
project leaders see the dashboards of their own districts; another district is out of their
scope (404). Everyone else — residents, case handlers — is not allowed a dashboard at all (403).

Figures may link to the grant cases behind them only for those who may open the cases
(``grants.permissions``), and never for the board: it sees figures without personal data.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import AnyUser, district_ids_for, has_role, is_secretariat
from areas.models import District
from grants.permissions import HANDLER_ROLES

from .figures import Scope

# The district roles whose work the district dashboard shows.
DISTRICT_DASHBOARD_ROLES = (Role.PROGRAMME_LEADER, Role.PROJECT_LEADER)


def can_view_programme(user: AnyUser) -> bool:
    """The programme dashboard: the board and the secretariat."""
    return is_secretariat(user) or has_role(user, Role.BOARD)


def dashboard_district_ids(user: AnyUser) -> set[int] | None:
    """The districts whose dashboard the user may open: ``None`` for all, an empty set for
    none."""
    if can_view_programme(user):
        return None
    return district_ids_for(user, DISTRICT_DASHBOARD_ROLES) or set()


def can_view_dashboards(user: AnyUser) -> bool:
    return dashboard_district_ids(user) != set()


def _grant_cases(user: AnyUser, district: District | None) -> bool:
    """Whether figures may lead to the grant cases behind them: never for the board, even a
    member who also holds another role, since the page is the same for every reader of it."""
    if has_role(user, Role.BOARD):
        return False
    if is_secretariat(user):
        return True
    return district is not None and has_role(user, *HANDLER_ROLES, district=district)


def programme_scope(user: AnyUser) -> Scope:
    """The programme dashboard's scope; PermissionDenied for anyone but the board and the
    secretariat."""
    if not can_view_programme(user):
        raise PermissionDenied
    return Scope(district_ids=None, grant_cases=_grant_cases(user, None), label="")


def district_scope(user: AnyUser, slug: str) -> tuple[District, Scope]:
    """The district named by ``slug`` and the scope of its dashboard.

    PermissionDenied for those who see no dashboard at all; Http404 for a district that does
    not exist or that lies outside the user's districts."""
    allowed = dashboard_district_ids(user)
    if allowed == set():
        raise PermissionDenied
    district = District.objects.filter(slug=slug).first()
    if district is None or (allowed is not None and district.pk not in allowed):
        raise Http404
    scope = Scope(
        district_ids=frozenset({district.pk}),
        grant_cases=_grant_cases(user, district),
        label=str(district),
    )
    return district, scope


def own_districts(user: AnyUser) -> list[District]:
    """The districts of a programme or project leader, in Oslo's order (empty for the board,
    the secretariat and everyone else)."""
    if can_view_programme(user):
        return []
    ids = dashboard_district_ids(user) or set()
    return list(District.objects.filter(pk__in=ids).order_by("number"))


def landing_url(user: AnyUser) -> str | None:
    """Where the user lands after signing in, when no ``next`` says otherwise: the board and
    the secretariat on the programme dashboard, programme and project leaders on the dashboard
    of their first district (in Oslo's numbering; the page links their other districts), and
    anyone else nowhere in particular (``None``: the portal's default)."""
    if can_view_programme(user):
        return reverse("dashboards:programme")
    districts = own_districts(user)
    if districts:
        return reverse("dashboards:district", kwargs={"slug": districts[0].slug})
    return None
