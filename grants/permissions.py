"""Who may see and do what with grant cases.

Two sides, two scopes. Applicants reach the applications of the organisations they act for;
district staff reach the submitted applications in their districts. Out of scope is a 404 (the
scope), in scope but not allowed a 403 (the check). The programme board reaches no case at all:
it sees only figures without personal data.
"""

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import AnyUser, district_ids_for, has_role, is_secretariat

from .models import GrantApplication, Membership, Organisation

S = GrantApplication.Status
HANDLER_ROLES = (Role.CASE_HANDLER, Role.PROGRAMME_LEADER)


# --- Applicants ---------------------------------------------------------------------------------


def organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def applications_for_applicant(user: AnyUser) -> QuerySet[GrantApplication]:
    """Every application of every organisation the user acts for."""
    if not getattr(user, "is_authenticated", False):
        return GrantApplication.objects.none()
    return GrantApplication.objects.filter(organisation__memberships__user=user)


def is_member(user: AnyUser, application: GrantApplication) -> bool:
    """Whether the user acts for the application's organisation. Asked once per user and
    application object (the case page asks it for every action)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = application.__dict__.setdefault("_member_cache", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(
            organisation_id=application.organisation_id, user=user
        ).exists()
    return cache[user.pk]


def can_invite(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.memberships.filter(user=user, is_admin=True).exists()


def can_edit_draft(user: AnyUser, application: GrantApplication) -> bool:
    return application.status == S.DRAFT


# --- District staff -----------------------------------------------------------------------------


def can_view_cases(user: AnyUser) -> bool:
    """The case queue: case handlers and programme leaders, and the secretariat (read only)."""
    return is_secretariat(user) or has_role(user, *HANDLER_ROLES)


def can_manage_rounds(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_view_round_figures(user: AnyUser) -> bool:
    """The rounds with their figures (no personal data): case staff, the board, the secretariat."""
    return can_view_cases(user) or has_role(user, Role.BOARD)


def applications_visible_to(user: AnyUser) -> QuerySet[GrantApplication]:
    """Submitted applications the user may open as staff. Drafts belong to the applicant alone."""
    submitted = GrantApplication.objects.exclude(status=S.DRAFT)
    if is_secretariat(user):
        return submitted
    districts = district_ids_for(user, HANDLER_ROLES) or set()
    return submitted.filter(area__district_id__in=districts)


def _district(application: GrantApplication) -> int | None:
    return application.area.district_id if application.area_id else None


def can_handle(user: AnyUser, application: GrantApplication) -> bool:
    """Case handlers and programme leaders of the application's district, once it is submitted.

    A draft is the applicant's alone, and one without an area has no district: no one handles it
    (``has_role`` without a district would answer for every district).
    """
    district = _district(application)
    if application.status == S.DRAFT or district is None:
        return False
    return has_role(user, *HANDLER_ROLES, district=district)


def latest_declaration(user: AnyUser, application: GrantApplication):
    declarations = [d for d in application.impartiality_declarations.all() if d.user_id == user.pk]
    return max(declarations, key=lambda d: (d.declared_at, d.pk), default=None)


def is_impartial(user: AnyUser, application: GrantApplication) -> bool:
    declaration = latest_declaration(user, application)
    return bool(declaration and declaration.impartial)


def can_assess(user: AnyUser, application: GrantApplication) -> bool:
    """The assigned handler, once they have declared themselves impartial."""
    return (
        can_handle(user, application)
        and application.assigned_to_id == user.pk
        and is_impartial(user, application)
    )


def assessor_id(application: GrantApplication) -> int | None:
    try:
        return application.assessment.assessor_id
    except GrantApplication.assessment.RelatedObjectDoesNotExist:
        return None


def has_decider_role(user: AnyUser, application: GrantApplication) -> bool:
    """The district's programme leader; as with ``can_handle``, never for a draft."""
    district = _district(application)
    if application.status == S.DRAFT or district is None:
        return False
    return has_role(user, Role.PROGRAMME_LEADER, district=district)


def may_decide_here(user: AnyUser, application: GrantApplication) -> bool:
    """Programme leader of the district, and not the assessor when the round has four eyes."""
    if not has_decider_role(user, application):
        return False
    return not (application.round.four_eyes and assessor_id(application) == user.pk)
