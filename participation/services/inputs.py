"""Input (innspill): given online or registered by staff, moderated, and followed up until the
resident can see what became of it. Each step is an ``InputChange``; whoever gave the input is
told when its follow-up status changes, if they can be reached.

The follow-up moves only along ``workflow.INPUT_FOLLOW_UP``, one action per edge
(``participation.actions``); each service refuses with its action's own check."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import versions
from core.actions import ActionRefused, Refusal, require
from projects.permissions import projects_visible_to

from .. import actions
from ..models import Input, InputChange, Topic
from ..permissions import can_edit_input
from ..workflow import INPUT_FOLLOW_UP
from ._common import refuse_unless, send_later

F = Input.FollowUp
M = Input.Moderation
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
    versions.bump(versions.PARTICIPATION)
    InputChange.objects.create(
        input=item, actor=item.author, action="received", data={"new": item.follow_up}
    )
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
    refuse_unless(can_edit_input(actor, Input(area=area)))
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
    versions.bump(versions.PARTICIPATION)
    InputChange.objects.create(
        input=item, actor=actor, action="received", data={"new": item.follow_up}
    )
    return item


def _lock(item: Input) -> Input:
    return (
        Input.objects.select_for_update(of=("self",))
        .select_related("author", "area")
        .get(pk=item.pk)
    )


@transaction.atomic
def input_moderate(*, actor: User, item: Input, show: bool, reason: str = "") -> Input:
    """Show an input publicly, or hide it with a stated reason (the text is kept). Raises
    ActionRefused, ValidationError (no reason to hide)."""
    item = _lock(item)
    require(actions.INPUT_ACTIONS["show" if show else "hide"], actor, item)
    if not show and not reason.strip():
        raise ValidationError({"reason": _("Say why the input is hidden.")})
    new = M.APPROVED if show else M.HIDDEN
    versions.bump(versions.PARTICIPATION)
    InputChange.objects.create(
        input=item,
        actor=actor,
        action="shown" if show else "hidden",
        data={"old": item.moderation, "new": new},
        note=reason.strip(),
    )
    item.moderation = new
    item.hidden_reason = "" if show else reason.strip()
    item.save(update_fields=["moderation", "hidden_reason", "updated_at"])
    return item


def _check_project(item: Input, project, actor: User) -> str | None:
    """Why ``project`` cannot be the input's project, or None: it must be one of the input's
    own area (and one the actor may see)."""
    if project is None:
        return None
    if project.area_id != item.area_id:
        return _("Choose a project in %(area)s, the input's area.") % {"area": item.area.name}
    if not projects_visible_to(actor).filter(pk=project.pk).exists():
        return _("Choose one of your district's projects.")
    return None


@transaction.atomic
def input_link_project(*, actor: User, item: Input, project) -> Input:
    """Link the input to the project of its area that it is about (or to none). Raises
    ActionRefused, ValidationError (a project of another area)."""
    item = _lock(item)
    require(actions.INPUT_ACTIONS["link_project"], actor, item)
    problem = _check_project(item, project, actor)
    if problem:
        raise ValidationError({"project": problem})
    new = project.pk if project is not None else None
    if new == item.project_id:
        return item
    versions.bump(versions.PARTICIPATION)
    InputChange.objects.create(
        input=item,
        actor=actor,
        action="project_linked",
        data={"old": item.project_id, "new": new},
    )
    item.project = project
    item.save(update_fields=["project", "updated_at"])
    return item


@transaction.atomic
def input_follow_up(
    *,
    actor: User,
    item: Input,
    status: str = "",
    transition: str = "",
    response: str = "",
    project=None,
    in_plan: bool = False,
) -> Input:
    """Move an input along its follow-up: by ``transition`` (the step's name, as the staff
    page's actions do), or to ``status`` by the one transition that leads there from here:
    taken up needs a project of the input's area, or ``in_plan`` when the caller (the action
    programme's take-in) links the measure that took it; not taken up needs the reason.
    Reconsidering drops the earlier project and answer. Taken up in a project links the input
    to it. The giver is emailed if they can be reached. Raises
    ActionRefused (not allowed, or no such step from here), ValidationError."""
    from ..tasks import send_input_status_email

    item = _lock(item)
    if transition:
        step = actions.INPUT_ACTIONS[transition]
        status = step.target
    elif status not in F.values:
        raise ValidationError({"status": _("Choose a follow-up status.")})
    else:
        step = actions.follow_up_step(item.follow_up, status)
    if step is None:
        raise ActionRefused(
            Refusal(
                _("An input that is “%(old)s” cannot become “%(new)s”.")
                % {"old": F(item.follow_up).label, "new": F(status).label}
            )
        )
    require(step, actor, item)
    errors = {}
    if status == F.TAKEN_UP:
        if project is None and not in_plan:
            errors["project"] = _("Choose the project that took up the input.")
        problem = _check_project(item, project, actor)
        if problem:
            errors["project"] = problem
    if status == F.NOT_TAKEN_UP and not response.strip():
        errors["response"] = _("Say why the input was not taken up.")
    if status == F.DONE and not response.strip() and not item.response:
        errors["response"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    changed = ["updated_at"]
    data = {}
    if status == F.TAKEN_UP:
        item.taken_into_project = project
        changed += ["taken_into_project"]
        data = {"project": project.pk if project else None, "plan": in_plan}
        if project is not None and item.project_id is None:
            item.project = project
            changed.append("project")
    if status == F.CONSIDERING:
        # Reconsidered: the earlier decision and its answer no longer stand on the public page.
        item.taken_into_project = None
        item.response = response.strip()
        changed += ["taken_into_project", "response"]
    elif response.strip():
        item.response = response.strip()
        changed.append("response")
    notified = bool(item.contact_email)
    INPUT_FOLLOW_UP.apply(
        item,
        step.name,
        actor=actor,
        update_fields=changed,
        note=response.strip(),
        notified=notified,
        **data,
    )
    if notified:
        send_later(send_input_status_email, item.pk)
    return item
