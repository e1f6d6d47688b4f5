"""The applicant's side: drafts saved step by step, attachments, submit, withdraw, messages."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import require

from .. import actions, references, rules, workflow
from ..models import (
    Attachment,
    CaseEvent,
    CaseMessage,
    CostLine,
    GrantApplication,
    GrantRound,
    Organisation,
)
from ..permissions import applications_for_applicant, organisations_for
from ..uploads import download_name, inspect_upload
from ._common import deny_unless, lock, notify_applicant, record

S = GrantApplication.Status

MEASURE_FIELDS = [
    "title",
    "description",
    "sub_goal",
    "area",
    "location",
    "on_own_property",
    "target_group",
    "expected_participants",
    "resident_involvement",
    "start_date",
    "end_date",
]
BUDGET_FIELDS = ["own_contribution", "other_funding", "amount_applied", "dugnad_hours"]


def _require_member(actor: User, application: GrantApplication) -> None:
    deny_unless(applications_for_applicant(actor).filter(pk=application.pk).exists())


def _require_draft(application: GrantApplication) -> None:
    if application.status != S.DRAFT:
        raise ValidationError(_("The application has been submitted and can no longer be changed."))


@transaction.atomic
def application_start(
    *, actor: User, grant_round: GrantRound, organisation: Organisation, start_key: str = ""
) -> GrantApplication:
    """Open a draft for one of the actor's organisations in an open round.

    ``start_key`` is the one-time key of the form that asked for it: the same key again (the
    button pressed twice, the POST sent again) returns the draft it made, also when both
    requests arrive at once (the unique constraint makes the second wait for the first).
    """
    deny_unless(organisations_for(actor).filter(pk=organisation.pk).exists())
    if start_key:
        existing = _started_with(actor, start_key)
        if existing is not None:
            return existing
    problems = rules.round_problems(grant_round)
    if problems:
        raise ValidationError(problems[0].message)
    try:
        with transaction.atomic():
            application = GrantApplication.objects.create(
                round=grant_round, organisation=organisation, created_by=actor, start_key=start_key
            )
    except IntegrityError:
        existing = _started_with(actor, start_key) if start_key else None
        if existing is None:
            raise
        return existing
    areas = list(grant_round.areas.all()[:2])
    if len(areas) == 1:
        application.area = areas[0]
        application.save(update_fields=["area"])
    record(application, CaseEvent.Kind.CREATED, actor)
    return application


def _started_with(actor: User, start_key: str) -> GrantApplication | None:
    return GrantApplication.objects.filter(created_by=actor, start_key=start_key).first()


@transaction.atomic
def application_change_organisation(
    *, actor: User, application: GrantApplication, organisation: Organisation
) -> GrantApplication:
    _require_member(actor, application)
    deny_unless(organisations_for(actor).filter(pk=organisation.pk).exists())
    application = lock(application)
    _require_draft(application)
    application.organisation = organisation
    application.save(update_fields=["organisation", "updated_at"])
    return application


@transaction.atomic
def application_save_measure(*, actor: User, application: GrantApplication, **fields):
    """Save the measure step of a draft. Partial drafts are allowed; submit checks completeness."""
    _require_member(actor, application)
    application = lock(application)
    _require_draft(application)
    for name in MEASURE_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    if (
        application.start_date
        and application.end_date
        and application.end_date < application.start_date
    ):
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    application.save()
    return application


@transaction.atomic
def application_save_budget(
    *, actor: User, application: GrantApplication, cost_lines: list[tuple[str, int]], **fields
) -> GrantApplication:
    """Replace the draft's cost lines and save the financing figures."""
    _require_member(actor, application)
    application = lock(application)
    _require_draft(application)
    for name in BUDGET_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(application, name, fields[name])
    application.save()
    application.cost_lines.all().delete()  # a draft's lines are the applicant's scratch paper
    CostLine.objects.bulk_create(
        CostLine(application=application, description=d, amount=a, position=i)
        for i, (d, a) in enumerate(cost_lines)
    )
    return application


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    application: GrantApplication,
    kind: str,
    upload,
    for_report: bool = False,
) -> Attachment:
    """Store an uploaded file after checking its content type and size.

    Drafts take attachments; after submission only the final report does (``for_report``).
    Raises ValidationError({"file": …}) for a refused file; nothing is stored then.
    """
    _require_member(actor, application)
    application = lock(application)
    if for_report:
        if application.status not in (S.ACCEPTED,):
            raise ValidationError(_("Report attachments can be added once the grant is accepted."))
    else:
        _require_draft(application)
    try:
        content_type, extension = inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=download_name(upload.name, extension),
        content_type=content_type,
        extension=extension,
        size=upload.size,
        for_report=for_report,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Take an attachment out of a draft. The file is kept for the record, marked removed."""
    application = attachment.application
    _require_member(actor, application)
    application = lock(application)
    if not (
        application.status == S.DRAFT
        or (attachment.for_report and application.status == S.ACCEPTED)
    ):
        raise ValidationError(_("Attachments of a submitted application cannot be removed."))
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])


@transaction.atomic
def application_submit(*, actor: User, application: GrantApplication) -> GrantApplication:
    """Submit a draft. Raises ValidationError listing every rule it breaks; writes nothing then.

    Issues the unique reference, records the event and emails a receipt after commit. Refuses
    as ``actions.Submit`` does.
    """
    application = lock(application)
    require(actions.Submit, actor, application)
    problems = rules.problems(application)
    if problems:
        raise ValidationError([p.message for p in problems])
    application.submitted_at = timezone.now()
    application.reference = references.next_for(application.round.year)
    workflow.move(
        application,
        "submit",
        actor=actor,
        update_fields=["submitted_at", "reference"],
        data={"reference": application.reference},
    )
    notify_applicant(application, "receipt")
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: GrantApplication, reason: str = ""):
    """Withdraw a submitted application before any decision. Refuses as ``actions.Withdraw``
    does."""
    application = lock(application)
    require(actions.Withdraw, actor, application)
    application.closed_at = timezone.now()
    workflow.move(application, "withdraw", actor=actor, update_fields=["closed_at"], note=reason)
    return application


@transaction.atomic
def applicant_message(*, actor: User, application: GrantApplication, body: str) -> CaseMessage:
    """A message from the applicant. It answers an open request for information if there is one,
    and then sends the case back to the case handler. Refuses as ``actions.ApplicantMessage``
    does."""
    application = lock(application)
    require(actions.ApplicantMessage, actor, application)
    if not body.strip():
        raise ValidationError({"body": _("Write your message.")})
    open_request = application.messages.filter(
        kind=CaseMessage.Kind.INFO_REQUEST, answered_at__isnull=True
    ).first()
    kind = CaseMessage.Kind.REPLY if open_request else CaseMessage.Kind.MESSAGE
    message = CaseMessage.objects.create(
        application=application, kind=kind, sender=actor, body=body.strip()
    )
    if open_request:
        open_request.answered_at = timezone.now()
        open_request.save(update_fields=["answered_at"])
        if application.status == S.AWAITING_INFO:
            workflow.move(application, "info_given", actor=actor)
        else:
            record(application, CaseEvent.Kind.INFO_GIVEN, actor)
    else:
        record(application, CaseEvent.Kind.MESSAGE, actor, note=_("From the applicant"))
    return message
