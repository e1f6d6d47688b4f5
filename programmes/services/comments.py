"""Residents' comments on a draft out for comments, and taking an input into a measure
(``programmes.comments`` holds the rules)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import refusal_error, require
from participation.models import Input, Topic
from participation.services import input_follow_up, input_submit
from participation.workflow import INPUT_FOLLOW_UP

from ..comments import TAKE_IN, comments_refusal
from ..models import ActionProgramme, Measure, PlanLink, ProgrammeComment, Section
from ._common import lock, record

F = Input.FollowUp


@transaction.atomic
def comment_submit(
    *,
    actor: User | None,
    programme: ActionProgramme,
    section: str,
    measure: Measure | None = None,
    text: str,
    name: str = "",
    email: str = "",
    consent: bool = False,
    language: str = "",
) -> ProgrammeComment:
    """A resident's comment on ``section`` (or on ``measure``, in the measures section) of a
    draft out for comments. The comment is an online input of the programme's area, made by
    participation's ``input_submit`` with its rules (a guest's comment waits for moderation; a
    name or address only with consent), about the measure's project when it is on a measure.

    Raises ActionNotPossibleNow when commenting is not open (before the hearing, after its last
    day), ActionRefused for a programme not open to the public, ValidationError for a section
    or measure not in the programme or a text participation refuses. Nothing is written then.
    """
    programme = lock(programme)
    refusal = comments_refusal(programme)
    if refusal is not None:
        raise refusal_error(refusal)
    if measure is not None:
        if measure.programme_id != programme.pk:
            raise ValidationError({"target": _("Choose a measure of this programme.")})
        section = Section.MEASURES
    if section not in Section.values:
        raise ValidationError({"target": _("Choose what your comment is about.")})
    item = input_submit(
        actor=actor,
        area=programme.area,
        text=text,
        topic=Topic.OTHER,
        project=measure.project if measure is not None else None,
        name=name,
        email=email,
        consent=consent,
        language=language,
    )
    return ProgrammeComment.objects.create(
        programme=programme,
        input=item,
        section=section,
        measure=measure,
        version=programme.version,
    )


@transaction.atomic
def comment_take_in(*, actor: User, input: Input, measure: Measure, response: str = "") -> PlanLink:
    """Take ``input`` (a comment or any input of the area) into ``measure``: its follow-up
    becomes "taken up" through participation's own service (which tells the giver, if they can
    be reached), and the input is linked to the measure. An input already taken up (in a
    project, or in another measure) keeps its status and gets the link. Writes a
    ``ProgrammeChange``.

    Raises ActionRefused (not the district's editor; the programme adopted) and
    ValidationError (an input of another area; one that cannot be taken up from its present
    status, e.g. not taken up — reconsider it first). Nothing is written then."""
    programme = lock(measure.programme)
    require(TAKE_IN, actor, programme)
    if input.area_id != programme.area_id:
        raise ValidationError(
            {"measure": _("Choose a measure of the programme of the input's own area.")}
        )
    item = Input.objects.select_for_update(of=("self",)).get(pk=input.pk)
    if item.follow_up not in (F.TAKEN_UP, F.DONE):
        if item.follow_up not in INPUT_FOLLOW_UP["take_up"].sources:
            raise ValidationError(
                {
                    "measure": _(
                        "An input that is “%(status)s” cannot be taken in. Reconsider it first."
                    )
                    % {"status": F(item.follow_up).label}
                }
            )
        input_follow_up(actor=actor, item=item, status=F.TAKEN_UP, in_plan=True, response=response)
    link, _created = PlanLink.objects.update_or_create(
        input=item,
        defaults={"programme": programme, "measure": measure, "created_by": actor},
    )
    record(
        programme,
        actor,
        "input_taken_in",
        input=item.pk,
        measure=measure.pk,
        project=measure.project_id,
    )
    return link
