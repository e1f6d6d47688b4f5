"""Every write to accounts and roles."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import District
from core.audit import audit_anonymise_target, audit_record

from .models import DISTRICT_ROLES, Role, RoleAssignment, User
from .permissions import forget_roles, is_secretariat

ROLE_ASSIGNED = "role.assigned"
ROLE_REVOKED = "role.revoked"


def _require_role_admin(actor: User | None) -> None:
    # ``None`` is the portal itself (demo data, set-up commands); a person must be secretariat.
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied


def _audit_role(action: str, *, actor: User | None, user: User, role: str, district) -> None:
    """Write the audit row: the role (and its district's number) from none to held, or back."""
    held = {"role": role, "district": district.number if district is not None else None}
    if action == ROLE_ASSIGNED:
        changes = {name: [None, value] for name, value in held.items()}
    else:
        changes = {name: [value, None] for name, value in held.items()}
    audit_record(actor=actor, action=action, target=user, target_repr=user.email, changes=changes)


@transaction.atomic
def role_assign(
    *, user: User, role: str, district: District | None, actor: User | None
) -> RoleAssignment:
    """Give ``user`` the ``role`` (in ``district`` for district roles). Idempotent: a role the
    user already holds there is returned as it is.

    A new assignment writes one audit row (``role.assigned``). Raises PermissionDenied unless the
    actor is the secretariat (``actor`` None is the portal itself), ValidationError when a
    district role lacks a district or a global role has one; writes nothing then.
    """
    _require_role_admin(actor)
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    if role in DISTRICT_ROLES and district is None:
        raise ValidationError(_("Choose the district this role applies to."))
    if role not in DISTRICT_ROLES and district is not None:
        raise ValidationError(_("This role covers all districts and takes no district."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, district=district, defaults={"granted_by": actor}
    )
    if created:
        _audit_role(ROLE_ASSIGNED, actor=actor, user=user, role=role, district=district)
    forget_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: str, district: District | None, actor: User | None) -> int:
    """Remove a role assignment; returns how many rows went (0 or 1).

    A removal writes one audit row (``role.revoked``); nothing to remove writes nothing.
    Raises PermissionDenied unless the actor is the secretariat (``actor`` None: the portal).
    """
    _require_role_admin(actor)
    deleted, _detail = RoleAssignment.objects.filter(
        user=user, role=role, district=district
    ).delete()
    if deleted:
        _audit_role(ROLE_REVOKED, actor=actor, user=user, role=role, district=district)
    forget_roles(user)
    return deleted


def account_export(*, user: User) -> dict:
    """Everything the portal holds about ``user`` as plain data (GDPR art. 15 and 20).

    Later apps add their own sections through ``EXPORT_SECTIONS``.
    """
    from allauth.account.models import EmailAddress

    data = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {
                "role": a.role,
                "district": a.district.name if a.district_id else None,
                "granted_at": a.granted_at.isoformat(),
            }
            for a in RoleAssignment.objects.filter(user=user).select_related("district")
        ],
    }
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section(user)
    return data


# name -> callable(user) -> JSON-serialisable data; apps register what they hold about a person.
EXPORT_SECTIONS: dict = {}
# name -> callable(user) -> None; apps erase or anonymise what they hold about a person when the
# account is deleted, inside the deleting transaction.
ERASE_HOOKS: dict = {}


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Delete a person's account (GDPR art. 17).

    The user row stays only as an anonymous tombstone, because case documents that archive law
    keeps point at it; name, email, password, email addresses, second factors and roles go, and
    so do its memberships of applicant organisations: the tombstone is no member, while the
    organisations' applications and case history keep pointing at the anonymous row.
    Other apps erase what they hold through ``ERASE_HOOKS``. Each role that goes is audited as
    revoked, and the audit then names the person only by the tombstone's address.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    locked = User.objects.select_for_update().get(pk=user.pk)
    for erase in ERASE_HOOKS.values():
        erase(locked)
    EmailAddress.objects.filter(user=locked).delete()
    Authenticator.objects.filter(user=locked).delete()
    for assignment in RoleAssignment.objects.filter(user=locked).select_related("district"):
        assignment.delete()
        _audit_role(
            ROLE_REVOKED,
            actor=locked,
            user=locked,
            role=assignment.role,
            district=assignment.district,
        )
    locked.memberships.all().delete()
    locked.email = f"slettet-{locked.pk}@anonymisert.invalid"
    locked.full_name = ""
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.set_unusable_password()
    locked.save()
    audit_anonymise_target(target=locked, target_repr=locked.email)
    forget_roles(user)
    return locked
