"""The life of a handlingsprogram, as data (``core.workflow``).

utkast → på høring (residents comment until a date) → til behandling (the local programme
committee) → vedtatt (adopted by the district's programme leader; the version is frozen) →
publisert. A draft on høring or under consideration can go back to draft; an adopted or
published programme is changed by starting its next version, which begins as a draft while the
public page goes on showing the version last published.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import has_role, is_secretariat
from core import versions
from core.workflow import SYSTEM, Transition, Workflow

from .models import ActionProgramme, ProgrammeChange

S = ActionProgramme.Status

EDITORS = frozenset({Role.PROJECT_LEADER, Role.PROGRAMME_LEADER, Role.SECRETARIAT})
LEADER = frozenset({Role.PROGRAMME_LEADER})


def programme_roles(user, programme: ActionProgramme) -> set[str]:
    """The workflow roles ``user`` holds for ``programme``: those held in its district."""
    if user is None:
        return {SYSTEM}
    roles = {Role.SECRETARIAT} if is_secretariat(user) else set()
    district = programme.area.district_id
    for role in (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER):
        if has_role(user, role, district=district):
            roles.add(role)
    return roles


def _record(programme, transition, actor, old, new, **data):
    versions.bump(versions.PROGRAMMES)
    return ProgrammeChange.objects.create(
        programme=programme,
        actor=actor,
        action=transition.name,
        data={"old": old, "new": new, "version": programme.version, **data},
    )


PROGRAMME_STATUS = Workflow(
    model=ActionProgramme,
    transitions=[
        Transition(
            "hearing",
            sources=[S.DRAFT],
            to=S.HEARING,
            roles=EDITORS,
            label=_("Put out for comments"),
        ),
        Transition(
            "review",
            sources=[S.DRAFT, S.HEARING],
            to=S.REVIEW,
            roles=EDITORS,
            label=_("Send for consideration"),
        ),
        Transition(
            "to_draft",
            sources=[S.HEARING, S.REVIEW],
            to=S.DRAFT,
            roles=EDITORS,
            label=_("Take back to draft"),
        ),
        Transition("adopt", sources=[S.REVIEW], to=S.ADOPTED, roles=LEADER, label=_("Adopt")),
        Transition(
            "publish", sources=[S.ADOPTED], to=S.PUBLISHED, roles=LEADER, label=_("Publish")
        ),
        Transition(
            "revise",
            sources=[S.ADOPTED, S.PUBLISHED],
            to=S.DRAFT,
            roles=EDITORS,
            label=_("Start a new version"),
        ),
    ],
    roles_of=programme_roles,
    record=_record,
    status_label=lambda value: str(S(value).label),
)
