"""Every write to the programme's knowledge. Each service checks the actor, writes, and records
an audit row in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import ActionRefused, Refusal
from core.audit import audit_record, diff

from . import permissions
from .models import Contact, Member

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
