"""Applicant organisations, their members and invitations."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.models import User

from .. import identifiers
from ..models import Invitation, Membership, Organisation
from ..permissions import can_invite
from ._common import deny_unless

ORGANISATION_FIELDS = [
    "name",
    "org_number",
    "account_number",
    "kind",
    "address",
    "postcode",
    "city",
    "email",
]


def _require_verified(user: User) -> None:
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ValidationError(_("Confirm your email address before you register an organisation."))


@transaction.atomic
def organisation_register(*, actor: User, **fields) -> Organisation:
    """Register an organisation with the actor as its first member, who may invite others.

    Organisation and account numbers are validated (MOD11) and stored without spaces.
    Raises ValidationError naming each bad field; an organisation number already registered is
    refused with a hint to ask its members for an invitation.
    """
    _require_verified(actor)
    data = {k: v for k, v in fields.items() if k in ORGANISATION_FIELDS}
    errors = {}
    try:
        data["org_number"] = identifiers.clean_org_number(data.get("org_number", ""))
    except ValidationError as exc:
        errors["org_number"] = exc.messages
    try:
        data["account_number"] = identifiers.clean_account_number(data.get("account_number", ""))
    except ValidationError as exc:
        errors["account_number"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if Organisation.objects.filter(org_number=data["org_number"]).exists():
        raise ValidationError({"org_number": identifiers.already_registered_message()})
    organisation = Organisation(**data)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        raise ValidationError({"org_number": identifiers.already_registered_message()}) from exc
    Membership.objects.create(organisation=organisation, user=actor, is_admin=True)
    return organisation


@transaction.atomic
def invitation_create(*, actor: User, organisation: Organisation, email: str) -> Invitation:
    """Invite someone by email to act for the organisation; they are emailed a link."""
    deny_unless(can_invite(actor, organisation))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        token=get_random_string(40),
        invited_by=actor,
    )
    from core.tasks import enqueue

    from ..tasks import send_invitation_email

    enqueue(send_invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, actor: User, token: str) -> Organisation:
    """Join the organisation. The invitation must be valid and sent to the actor's address."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").filter(token=token)
    ).first()
    if invitation is None or not invitation.is_valid():
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    if invitation.email.lower() != actor.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    Membership.objects.get_or_create(organisation=invitation.organisation, user=actor)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.organisation
