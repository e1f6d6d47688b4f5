"""The application's life as data: every named transition, the statuses it starts from, the
status it leads to and the roles that may make it.

Every status change of a grant application goes through :func:`move`, which checks this table,
saves the status and writes the case-history row in one go. ``GrantApplication`` refuses a
status change that did not come through it (``core.workflow.StatusGuard``), so release,
impartiality, lapsing and the reply to a request for information cannot slip past the table.

One edge means one action: each transition is made by one action of ``grants.actions`` (or, for
``lapse``, by the nightly task), whose check asks this table whether it may start.
"""

from core import versions
from core.workflow import SYSTEM, Transition, Workflow

from . import permissions
from .models import CaseEvent, GrantApplication

S = GrantApplication.Status
K = CaseEvent.Kind

# The workflow roles: who acts for the applicant, who handles the district's cases, who decides.
MEMBER = "member"
HANDLER = "handler"
DECIDER = "decider"

# The statuses an applicant may still withdraw from: before any decision.
WITHDRAWABLE = frozenset({S.SUBMITTED, S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED})
# Under the district's handling: the case queue shows these by default.
OPEN_CASE = frozenset({S.SUBMITTED, S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED})
# A case handler may take (or take over) these; a proposal is the programme leader's to decide.
TAKEABLE = frozenset({S.SUBMITTED, S.IN_REVIEW, S.AWAITING_INFO})
# Assigned, assessed and released while being assessed.
IN_ASSESSMENT = frozenset({S.IN_REVIEW, S.AWAITING_INFO})
DECIDED = frozenset({S.GRANTED, S.REJECTED, S.ACCEPTED, S.REPORT_SUBMITTED, S.CLOSED, S.LAPSED})
# A decision in force that may be appealed, and so changed on appeal.
APPEALABLE = frozenset({S.GRANTED, S.REJECTED, S.ACCEPTED})
# Payments are registered once the grant is accepted, until the case is closed.
PAYABLE = frozenset({S.ACCEPTED, S.REPORT_SUBMITTED})
# The applicant may write to the district while the case lives.
MESSAGEABLE = frozenset(set(S) - {S.DRAFT, S.WITHDRAWN, S.CLOSED, S.LAPSED})

TRANSITIONS = [
    Transition("submit", sources=[S.DRAFT], to=S.SUBMITTED, roles=[MEMBER]),
    Transition("take", sources=[S.SUBMITTED], to=S.IN_REVIEW, roles=[HANDLER]),
    Transition("release", sources=[S.IN_REVIEW], to=S.SUBMITTED, roles=[HANDLER]),
    Transition("request_info", sources=[S.IN_REVIEW], to=S.AWAITING_INFO, roles=[HANDLER]),
    Transition("info_given", sources=[S.AWAITING_INFO], to=S.IN_REVIEW, roles=[MEMBER]),
    Transition("propose", sources=[S.IN_REVIEW], to=S.PROPOSED, roles=[HANDLER]),
    Transition("return_to_review", sources=[S.PROPOSED], to=S.IN_REVIEW, roles=[DECIDER]),
    Transition("decide", sources=[S.PROPOSED], to=[S.GRANTED, S.REJECTED], roles=[DECIDER]),
    Transition("accept", sources=[S.GRANTED], to=S.ACCEPTED, roles=[MEMBER]),
    Transition("lapse", sources=[S.GRANTED], to=S.LAPSED, roles=[SYSTEM]),
    Transition("report", sources=[S.ACCEPTED], to=S.REPORT_SUBMITTED, roles=[MEMBER]),
    Transition("report_return", sources=[S.REPORT_SUBMITTED], to=S.ACCEPTED, roles=[HANDLER]),
    Transition("close", sources=[S.REPORT_SUBMITTED], to=S.CLOSED, roles=[HANDLER]),
    # The district reconsiders on appeal: a new decision, granted or rejected.
    Transition("appeal_change", sources=APPEALABLE, to=[S.GRANTED, S.REJECTED], roles=[DECIDER]),
    # The appeal body allowed the appeal: its decision is a grant.
    Transition("appeal_outcome", sources=APPEALABLE, to=[S.GRANTED], roles=[DECIDER]),
    Transition("withdraw", sources=WITHDRAWABLE, to=S.WITHDRAWN, roles=[MEMBER]),
]

# The history row each transition writes, and whether the applicant sees it.
HISTORY = {
    "submit": (K.SUBMITTED, True),
    "take": (K.ASSIGNED, True),
    "release": (K.UNASSIGNED, False),
    "request_info": (K.INFO_REQUESTED, True),
    "info_given": (K.INFO_GIVEN, True),
    # The proposal (innstilling) is internal; the applicant sees the case as under assessment.
    "propose": (K.PROPOSED, False),
    "return_to_review": (K.PROPOSAL_RETURNED, False),
    "decide": (K.DECIDED, True),
    "accept": (K.ACCEPTED, True),
    "lapse": (K.LAPSED, True),
    "report": (K.REPORT_SUBMITTED, True),
    "report_return": (K.REPORT_RETURNED, True),
    "close": (K.CLOSED, True),
    "appeal_change": (K.DECIDED, True),
    "appeal_outcome": (K.DECIDED, True),
    "withdraw": (K.WITHDRAWN, True),
}


def roles_of(user, application: GrantApplication) -> set[str]:
    """The workflow roles ``user`` holds in this case; scheduled work (``None``) is SYSTEM."""
    if user is None:
        return {SYSTEM}
    roles = set()
    if permissions.can_handle(user, application):
        roles.add(HANDLER)
    if permissions.has_decider_role(user, application):
        roles.add(DECIDER)
    if permissions.is_member(user, application):
        roles.add(MEMBER)
    return roles


def _record(application, transition, actor, old, new, *, note="", data=None, visible=None):
    versions.bump(versions.GRANTS)
    kind, shown = HISTORY[transition.name]
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        note=note,
        data=data or {},
        visible_to_applicant=shown if visible is None else visible,
    )


WORKFLOW = Workflow(
    model=GrantApplication,
    transitions=TRANSITIONS,
    roles_of=roles_of,
    record=_record,
    status_label=lambda status: str(S(status).label),
)


def move(
    application: GrantApplication,
    name: str,
    *,
    actor,
    to: str | None = None,
    update_fields=(),
    note: str = "",
    data: dict | None = None,
    visible: bool | None = None,
) -> CaseEvent:
    """Make transition ``name`` on a locked application: check the table, save the status (and
    the ``update_fields`` the caller changed) and write the history row. Raises
    ``ActionRefused`` and writes nothing when the table says no. ``actor`` is ``None`` for
    scheduled work. Returns the history row."""
    return WORKFLOW.apply(
        application,
        name,
        actor=actor,
        to=to,
        update_fields=[*update_fields, "updated_at"],
        note=note,
        data=data,
        visible=visible,
    )


def status_refusal(application: GrantApplication, name: str, *, to: str | None = None):
    """Why transition ``name`` cannot start from the case's status now (a refusal of state,
    which the page shows on the form), or ``None``."""
    return WORKFLOW.status_refusal(application, name, to=to, not_now=True)


# The applicant's timeline: the stages a case passes, in order, for the progress indicator.
# Each stage is keyed by its status, except the decision, which has three outcomes.
DECISION_STAGE = "decision"
TIMELINE = [
    (S.DRAFT, {S.DRAFT}),
    (S.SUBMITTED, {S.SUBMITTED}),
    (S.IN_REVIEW, {S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED}),
    (DECISION_STAGE, {S.GRANTED, S.REJECTED, S.LAPSED}),
    (S.ACCEPTED, {S.ACCEPTED}),
    (S.REPORT_SUBMITTED, {S.REPORT_SUBMITTED}),
    (S.CLOSED, {S.CLOSED}),
]
