"""Grant rounds (utlysninger), set up and changed by the secretariat."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from core import versions
from core.audit import audit_record, diff

from ..models import GrantRound
from ..permissions import can_manage_rounds
from ._common import deny_unless

# The round's rules an editor may set; ``areas`` is passed on its own (many-to-many).
ROUND_FIELDS = [
    "title",
    "slug",
    "year",
    "opens_at",
    "closes_at",
    "applicant_kinds",
    "budget",
    "min_own_share_percent",
    "max_city_share_percent",
    "max_amount",
    "required_attachments",
    "acceptance_days",
    "report_deadline",
    "criteria",
    "criteria_nn",
    "criteria_en",
    "four_eyes",
    "legal_basis",
    "appeal_body",
    "is_published",
]


ROUND_CREATED = "round.created"
ROUND_UPDATED = "round.updated"


def _rules(grant_round: GrantRound, areas: Iterable[Area]) -> dict:
    """The round's rules as the audit records them; areas by slug."""
    rules = {name: getattr(grant_round, name) for name in ROUND_FIELDS}
    rules["areas"] = sorted(area.slug for area in areas)
    return rules


def closes_before_opening_message() -> str:
    return _("The round must close after it opens. Choose a closing time after the opening time.")


@transaction.atomic
def round_save(
    *,
    actor: User,
    instance: GrantRound | None = None,
    areas: Iterable[Area],
    **fields,
) -> GrantRound:
    """Create a round (``instance`` None) or change one, with its eligible areas.

    Writes one audit row: ``round.created`` with every rule, or ``round.updated`` with the old
    and new value of each rule that changed (nothing changed, no row). Secretariat only: anyone
    else gets PermissionDenied. Raises ValidationError keyed by field (closing before opening, a
    slug in use, a value out of range) and writes nothing then.
    """
    deny_unless(can_manage_rounds(actor))
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Not a round field: {', '.join(sorted(unknown))}")
    grant_round = (
        GrantRound.objects.select_for_update().get(pk=instance.pk)
        if instance is not None and instance.pk
        else GrantRound()
    )
    before = _rules(grant_round, grant_round.areas.all()) if grant_round.pk else {}
    for name, value in fields.items():
        setattr(grant_round, name, value)
    errors = {}
    if (
        grant_round.opens_at
        and grant_round.closes_at
        and grant_round.closes_at <= grant_round.opens_at
    ):
        errors["closes_at"] = closes_before_opening_message()
    areas = list(areas)
    if not areas:
        errors["areas"] = _("Choose at least one area the round covers.")
    if errors:
        raise ValidationError(errors)
    grant_round.full_clean(exclude=["areas"])
    created = grant_round.pk is None
    grant_round.save()
    versions.bump(versions.GRANTS)
    grant_round.areas.set(areas)
    changes = diff(before, _rules(grant_round, areas))
    if changes:
        audit_record(
            actor=actor,
            action=ROUND_CREATED if created else ROUND_UPDATED,
            target=grant_round,
            changes=changes,
        )
    return grant_round
