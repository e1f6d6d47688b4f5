"""Input (innspill): given online or registered by staff, moderated, and followed up until the
resident can see what became of it. Each step is an ``InputChange``; whoever gave the input is
told when its follow-up status changes, if they can be reached."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects.permissions import projects_visible_to

from ..models import Input, InputChange, Topic
from ..permissions import can_edit_input
from ._common import require, send_later

F = Input.FollowUp
M = Input.Moderation

# Which follow-up status may follow which: mottatt → vurderes → tatt inn / ikke tatt inn,
# and tatt inn → gjennomført. A decision may be reconsidered.
FOLLOW_UP = {
    F.RECEIVED: {F.CONSIDERING, F.TAKEN_UP, F.NOT_TAKEN_UP},
    F.CONSIDERING: {F.TAKEN_UP, F.NOT_TAKEN_UP},
    F.TAKEN_UP: {F.DONE, F.CONSIDERING},
    F.NOT_TAKEN_UP: {F.CONSIDERING},
    F.DONE: set(),
}
MAX_LENGTH = 5000


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your input.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep the input under %(max)s characters.") % {"max": MAX_LENGTH}}
        )
    return text


def _check_topic(topic: str) -> None:
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose a topic.")})


def _check_links(area, project, event) -> None:
    if project is not None and project.area_id != area.pk:
        raise ValidationError({"project": _("The project belongs to another area.")})
    if event is not None and area.pk not in {a.pk for a in event.areas.all()}:
        raise ValidationError({"event": _("The event took place in another area.")})


@transaction.atomic
def input_submit(
    *,
    actor: User | None,
    area,
    text: str,
    topic: str,
    project=None,
    event=None,
    sub_goal=None,
    name: str = "",
    email: str = "",
    consent: bool = False,
    language: str = "",
) -> Input:
    """Input given online. Anonymous input waits for moderation before it is shown; input from
    a signed-in person is shown at once (and can be hidden afterwards)."""
    text = _check_text(text)
    _check_topic(topic)
    _check_links(area, project, event)
    signed_in = actor is not None and actor.is_authenticated
    if email and not consent:
        raise ValidationError(
            {"consent": _("Tick the box if we may contact you about your input.")}
        )
    item = Input.objects.create(
        area=area,
        project=project,
        event=event,
        text=text,
        topic=topic,
        sub_goal=sub_goal,
        channel=Input.Channel.ONLINE,
        author=actor if signed_in else None,
        author_name="" if signed_in else name.strip(),
        author_email="" if signed_in else email.strip().lower(),
        consent=consent or signed_in,
        moderation=M.APPROVED if signed_in else M.PENDING,
        language=language,
    )
    InputChange.objects.create(input=item, actor=item.author, field="created", new=item.follow_up)
    return item


@transaction.atomic
def input_register(
    *,
    actor: User,
    area,
    text: str,
    topic: str,
    event=None,
    project=None,
    sub_goal=None,
    name: str = "",
    email: str = "",
    consent: bool = False,
    channel: str = Input.Channel.EVENT,
) -> Input:
    """Staff register input gathered at a physical event. A name or address is kept only with
    the person's consent."""
    item = Input(area=area)
    require(can_edit_input(actor, item))
    text = _check_text(text)
    _check_topic(topic)
    _check_links(area, project, event)
    if (name.strip() or email.strip()) and not consent:
        raise ValidationError(
            {"consent": _("Only store a name or address when the person has agreed to it.")}
        )
    item = Input.objects.create(
        area=area,
        project=project,
        event=event,
        text=text,
        topic=topic,
        sub_goal=sub_goal,
        channel=channel,
        author_name=name.strip(),
        author_email=email.strip().lower(),
        consent=consent,
        registered_by=actor,
        moderation=M.APPROVED,
    )
    InputChange.objects.create(input=item, actor=actor, field="created", new=item.follow_up)
    return item


@transaction.atomic
def input_moderate(*, actor: User, item: Input, show: bool, reason: str = "") -> Input:
    """Show an input publicly, or hide it with a stated reason (the text is kept)."""
    require(can_edit_input(actor, item))
    item = Input.objects.select_for_update().get(pk=item.pk)
    if not show and not reason.strip():
        raise ValidationError({"reason": _("Say why the input is hidden.")})
    new = M.APPROVED if show else M.HIDDEN
    InputChange.objects.create(
        input=item, actor=actor, field="moderation", old=item.moderation, new=new, note=reason
    )
    item.moderation = new
    item.hidden_reason = "" if show else reason.strip()
    item.save(update_fields=["moderation", "hidden_reason", "updated_at"])
    return item


@transaction.atomic
def input_follow_up(
    *,
    actor: User,
    item: Input,
    status: str,
    response: str = "",
    project=None,
    plan: str = "",
) -> Input:
    """Move an input along its follow-up: taken up needs the project or action programme that
    took it; not taken up needs the reason. Reconsidering drops the earlier link and answer.
    The giver is emailed if they can be reached."""
    from ..tasks import send_input_status_email

    require(can_edit_input(actor, item))
    item = Input.objects.select_for_update(of=("self",)).select_related("author").get(pk=item.pk)
    if status not in F.values:
        raise ValidationError({"status": _("Choose a follow-up status.")})
    if status not in FOLLOW_UP.get(item.follow_up, set()):
        raise ValidationError(
            {
                "status": _("An input that is “%(old)s” cannot become “%(new)s”.")
                % {"old": F(item.follow_up).label, "new": F(status).label}
            }
        )
    errors = {}
    if status == F.TAKEN_UP:
        if project is None and not plan.strip():
            errors["project"] = _(
                "Choose the project, or name the action programme, that took up the input."
            )
        if project is not None and not projects_visible_to(actor).filter(pk=project.pk).exists():
            errors["project"] = _("Choose one of your district's projects.")
    if status == F.NOT_TAKEN_UP and not response.strip():
        errors["response"] = _("Say why the input was not taken up.")
    if status == F.DONE and not response.strip() and not item.response:
        errors["response"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    change = InputChange.objects.create(
        input=item, actor=actor, field="follow_up", old=item.follow_up, new=status, note=response
    )
    item.follow_up = status
    if status == F.TAKEN_UP:
        item.taken_into_project = project
        item.taken_into_plan = plan.strip()
    if status == F.CONSIDERING:
        # Reconsidered: the earlier decision and its answer no longer stand on the public page.
        item.taken_into_project, item.taken_into_plan = None, ""
        item.response = response.strip()
    elif response.strip():
        item.response = response.strip()
    item.save()
    if item.contact_email:
        change.notified = True
        change.save(update_fields=["notified"])
        send_later(send_input_status_email, item.pk)
    return item
