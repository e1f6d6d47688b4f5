"""A programme's way from draft to published, through ``programmes.workflow``.

Adoption freezes the version: the composition as it stands is stored on a
``ProgrammeVersion`` and its PDF is asked for at once. Publishing shows that version to
everyone; starting the next version makes a new draft and leaves the published one where it is.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import require

from .. import actions
from ..compose import compose
from ..models import ActionProgramme, ProgrammeVersion
from ..workflow import PROGRAMME_STATUS
from ._common import lock
from .rendering import rendering_request

# The shortest and longest time residents are given to comment.
HEARING_MIN = timedelta(days=7)
HEARING_MAX = timedelta(days=366)


def check_hearing_until(until: date | None, *, today: date | None = None) -> None:
    """Raise ValidationError unless ``until`` gives residents between a week and a year."""
    today = today or timezone.localdate()
    if until is None:
        raise ValidationError({"until": _("Enter the last day residents can comment.")})
    if until < today + HEARING_MIN:
        raise ValidationError(
            {
                "until": _("Give residents at least a week: choose %(date)s or later.")
                % {"date": date_format(today + HEARING_MIN)}
            }
        )
    if until > today + HEARING_MAX:
        raise ValidationError({"until": _("The comment period can be at most a year.")})


@transaction.atomic
def programme_put_on_hearing(
    *, actor: User, programme: ActionProgramme, until: date
) -> ActionProgramme:
    """Publish the draft for residents' comments until ``until`` (inclusive)."""
    programme = lock(programme)
    require(actions.PROGRAMME_ACTIONS["hearing"], actor, programme)
    check_hearing_until(until)
    programme.hearing_until = until
    PROGRAMME_STATUS.apply(
        programme, "hearing", actor=actor, update_fields=["hearing_until"], until=until.isoformat()
    )
    return programme


@transaction.atomic
def programme_send_for_review(*, actor: User, programme: ActionProgramme) -> ActionProgramme:
    """Send the programme to the local programme committee for consideration."""
    programme = lock(programme)
    require(actions.PROGRAMME_ACTIONS["review"], actor, programme)
    PROGRAMME_STATUS.apply(programme, "review", actor=actor)
    return programme


@transaction.atomic
def programme_to_draft(*, actor: User, programme: ActionProgramme) -> ActionProgramme:
    """Take a programme that is out for comments or under consideration back to draft."""
    programme = lock(programme)
    require(actions.PROGRAMME_ACTIONS["to_draft"], actor, programme)
    PROGRAMME_STATUS.apply(programme, "to_draft", actor=actor)
    return programme


@transaction.atomic
def programme_adopt(*, actor: User, programme: ActionProgramme) -> ProgrammeVersion:
    """Adopt the programme: freeze this version's composition and ask for its PDF.

    Only the district's programme leader adopts (the workflow table says so)."""
    programme = lock(programme)
    require(actions.PROGRAMME_ACTIONS["adopt"], actor, programme)
    PROGRAMME_STATUS.apply(programme, "adopt", actor=actor)
    now = timezone.now()
    content = compose(programme)
    content["adopted_on"] = timezone.localdate(now).isoformat()
    rendering = rendering_request(actor=actor, programme=programme, content=content)
    return ProgrammeVersion.objects.create(
        programme=programme,
        number=programme.version,
        content=content,
        rendering=rendering,
        adopted_at=now,
        adopted_by=actor,
    )


@transaction.atomic
def programme_publish(*, actor: User, programme: ActionProgramme) -> ProgrammeVersion:
    """Publish the adopted version: it becomes the programme's public page and PDF."""
    programme = lock(programme)
    require(actions.PROGRAMME_ACTIONS["publish"], actor, programme)
    PROGRAMME_STATUS.apply(programme, "publish", actor=actor)
    version = ProgrammeVersion.objects.get(programme=programme, number=programme.version)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return version


@transaction.atomic
def programme_revise(*, actor: User, programme: ActionProgramme) -> ActionProgramme:
    """Start the next version as a draft. The adopted versions stay as they were, and the
    public page goes on showing the one last published until the next is."""
    programme = lock(programme)
    require(actions.PROGRAMME_ACTIONS["revise"], actor, programme)
    programme.version += 1
    PROGRAMME_STATUS.apply(programme, "revise", actor=actor, update_fields=["version"])
    return programme
