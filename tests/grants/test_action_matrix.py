"""Every case action × every role × every status: the action is offered on the page exactly when
its service accepts it, and a refused call writes nothing (no history row, no status change, no
row anywhere in the case).

Each state is reached through the real services, as a case gets there. For each role the test
reads the page that role would act from (the staff case page; the applicant's case page) and
then calls every action's service with valid data: an accepted call is rolled back, so each
call starts from the same state.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from areas.models import Area
from grants import actions, services
from grants.models import (
    Appeal,
    Assessment,
    CaseEvent,
    CaseMessage,
    Decision,
    FinalReport,
    GrantApplication,
    ImpartialityDeclaration,
    Payment,
    Recommendation,
)
from tests.accounts.factories import UserFactory, make_user

from .factories import OrganisationFactory, draft_for, letter_sent

pytestmark = pytest.mark.django_db

S = GrantApplication.Status
R = Recommendation
SCORES = {"Nytte for beboerne": 4, "Medvirkning": 5, "Gjennomførbarhet": 4}

ROLES = [
    "member",  # a resident acting for the applicant organisation
    "other_resident",
    "case_handler",
    "other_district_handler",
    "project_leader",
    "programme_leader",
    "four_eyes_leader",  # a programme leader of the district who assessed (where one did)
    "board",
    "secretariat",
    "anonymous",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(users, bjerke, alna) -> dict:
    other_resident = UserFactory()
    OrganisationFactory(member=other_resident)  # acts for another organisation
    return {
        "member": UserFactory(),
        "other_resident": other_resident,
        "case_handler": users["case_handler"],
        "other_district_handler": make_user(Role.CASE_HANDLER, alna),
        "project_leader": users["project_leader"],
        "programme_leader": users["programme_leader"],
        "four_eyes_leader": make_user(Role.PROGRAMME_LEADER, bjerke),
        "board": users["board"],
        "secretariat": users["secretariat"],
        "anonymous": None,
    }


# --- The states, reached through the services ---------------------------------------------------


def _draft(p):
    organisation = OrganisationFactory(member=p["member"])
    return draft_for(p["member"], organisation=organisation)


def _submitted(p):
    return services.application_submit(actor=p["member"], application=_draft(p))


def _taken(p, by="case_handler"):
    application = _submitted(p)
    services.case_take(actor=p[by], application=application)
    return application


def _declared(p, by="case_handler"):
    application = _taken(p, by)
    services.impartiality_declare(actor=p[by], application=application, impartial=True)
    return application


def _assessed(p, by="case_handler", recommendation=R.APPROVE):
    application = _declared(p, by)
    services.assessment_save(
        actor=p[by],
        application=application,
        scores=SCORES,
        recommendation=recommendation,
        reasons="" if recommendation == R.APPROVE else "Begrenset budsjett.",
    )
    return application


def _awaiting_info(p):
    application = _declared(p)
    services.info_request(actor=p["case_handler"], application=application, body="Send tegning.")
    return application


def _proposed(p, by="case_handler", recommendation=R.APPROVE):
    application = _assessed(p, by, recommendation)
    services.decision_propose(actor=p[by], application=application)
    return application


def _leader_declared(p):
    application = _proposed(p)
    services.impartiality_declare(
        actor=p["programme_leader"], application=application, impartial=True
    )
    return application


def _decided(p, outcome=R.APPROVE, letter=True):
    application = _proposed(p, recommendation=outcome)
    leader = p["programme_leader"]
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    services.decision_make(
        actor=leader,
        application=application,
        outcome=outcome,
        reasons="" if outcome == R.APPROVE else "Søknaden oppfyller ikke kravene.",
    )
    return letter_sent(application) if letter else application


def _accepted(p):
    application = _decided(p)
    services.grant_accept(actor=p["member"], application=application)
    return application


def _reported(p):
    application = _accepted(p)
    services.report_submit(
        actor=p["member"],
        application=application,
        what_was_done="Lekeplassen ble bygget på dugnad.",
        participants=40,
        dugnad_hours=100,
        actuals={line.pk: line.amount for line in application.cost_lines.all()},
    )
    return application


def _closed(p):
    application = _reported(p)
    services.report_review(actor=p["case_handler"], application=application, approve=True)
    return application


def _withdrawn(p):
    application = _taken(p)
    services.application_withdraw(actor=p["member"], application=application)
    return application


def _lapsed(p):
    application = _decided(p)
    GrantApplication.objects.filter(pk=application.pk).update(
        accept_by=timezone.localdate() - timedelta(days=1)
    )
    services.reminders_send()
    return application


def _appealed(p, outcome=R.REJECT):
    application = _decided(p, outcome=outcome)
    services.appeal_submit(actor=p["member"], application=application, text="Vi er uenige.")
    return application


def _appeal_forwarded(p):
    application = _appealed(p)
    services.appeal_forward(
        actor=p["programme_leader"], application=application, assessment="Vedtaket står."
    )
    return application


STATES = {
    "draft": _draft,
    "submitted": _submitted,
    "taken": _taken,
    "declared": _declared,
    "assessed": _assessed,
    "awaiting_info": _awaiting_info,
    "proposed": _proposed,
    "proposed_leader_impartial": _leader_declared,
    "proposed_by_four_eyes_leader": lambda p: _proposed(p, by="four_eyes_leader"),
    "granted_letter_pending": lambda p: _decided(p, letter=False),
    "granted": _decided,
    "rejected": lambda p: _decided(p, outcome=R.REJECT),
    "accepted": _accepted,
    "report_submitted": _reported,
    "closed": _closed,
    "withdrawn": _withdrawn,
    "lapsed": _lapsed,
    "appeal_received": _appealed,
    "appeal_received_on_a_grant": lambda p: _appealed(p, outcome=R.APPROVE),
    "appeal_forwarded": _appeal_forwarded,
}


def reach(state: str, people) -> GrantApplication:
    """A case in ``state``, read afresh from the database."""
    return GrantApplication.objects.get(pk=STATES[state](people).pk)


def test_the_states_cover_every_status(people):
    assert {reach(state, people).status for state in STATES} == set(S.values)


# --- What each action's service is called with --------------------------------------------------


def _service_calls(application) -> dict:
    """Each action's service with valid data, as ``call(actor, application)``."""
    today = timezone.localdate()
    actuals = {line.pk: line.amount for line in application.cost_lines.all()}
    return {
        "take": lambda u, a: services.case_take(actor=u, application=a),
        "impartiality": lambda u, a: services.impartiality_declare(
            actor=u, application=a, impartial=True
        ),
        "assess": lambda u, a: services.assessment_save(
            actor=u, application=a, scores=SCORES, recommendation=R.APPROVE
        ),
        "propose": lambda u, a: services.decision_propose(actor=u, application=a),
        "info_request": lambda u, a: services.info_request(
            actor=u, application=a, body="Send tilbud."
        ),
        "decide": lambda u, a: services.decision_make(actor=u, application=a, outcome=R.APPROVE),
        "return_proposal": lambda u, a: services.proposal_return(
            actor=u, application=a, note="Se på budsjettet igjen."
        ),
        "payment": lambda u, a: services.payment_register(
            actor=u, application=a, amount=1_000, paid_on=today
        ),
        "report_review": lambda u, a: services.report_review(actor=u, application=a, approve=True),
        "appeal_prepare": lambda u, a: services.appeal_prepare(
            actor=u, application=a, assessment="Klagen når ikke fram.", advice=Appeal.Advice.KEEP
        ),
        "appeal_change": lambda u, a: services.appeal_change_decision(
            actor=u, application=a, outcome=R.APPROVE, assessment="Klagen tas til følge."
        ),
        "appeal_forward": lambda u, a: services.appeal_forward(
            actor=u, application=a, assessment="Vedtaket står."
        ),
        "appeal_outcome": lambda u, a: services.appeal_record_outcome(
            actor=u, application=a, status=Appeal.Status.UPHELD, note="Statsforvalteren."
        ),
        "staff_message": lambda u, a: services.staff_message(actor=u, application=a, body="Hei."),
        "release": lambda u, a: services.case_release(actor=u, application=a),
        "submit": lambda u, a: services.application_submit(actor=u, application=a),
        "withdraw": lambda u, a: services.application_withdraw(actor=u, application=a),
        "accept": lambda u, a: services.grant_accept(actor=u, application=a),
        "appeal": lambda u, a: services.appeal_submit(actor=u, application=a, text="Uenige."),
        "report": lambda u, a: services.report_submit(
            actor=u,
            application=a,
            what_was_done="Bygget.",
            participants=10,
            dugnad_hours=20,
            actuals=actuals,
        ),
        "applicant_message": lambda u, a: services.applicant_message(
            actor=u, application=a, body="Hei."
        ),
    }


@dataclass(frozen=True)
class Offer:
    """Where a page offers an action: the staff case page or the applicant's page (``None``
    for the draft's submit, offered by the steps, which ask the same check)."""

    page: str | None
    marker: str  # what in the page's HTML offers it, {pk} filled in


STAFF_PAGE, APPLICANT_PAGE = "grants:staff_case", "grants:application_detail"
OFFERS = {
    **{
        ("staff_message" if action.name == "message" else action.name): Offer(
            STAFF_PAGE, f'action="{{url:case_{action.name}}}"'
        )
        for action in actions.CASE_ACTIONS
    },
    "submit": Offer(None, ""),
    "withdraw": Offer(APPLICANT_PAGE, 'href="{url:application_withdraw}"'),
    "accept": Offer(APPLICANT_PAGE, 'href="{url:grant_accept}"'),
    "appeal": Offer(APPLICANT_PAGE, 'href="{url:appeal_submit}"'),
    "report": Offer(APPLICANT_PAGE, 'href="{url:report_submit}"'),
    "applicant_message": Offer(APPLICANT_PAGE, 'action="{url:application_message}"'),
}
ACTION_OF = {
    **{("staff_message" if a.name == "message" else a.name): a for a in actions.CASE_ACTIONS},
    **{
        ("applicant_message" if a.name == "message" else a.name): a
        for a in actions.APPLICANT_ACTIONS
    },
}


def _marker(offer: Offer, application) -> str:
    head, _, rest = offer.marker.partition("{url:")
    name, _, tail = rest.partition("}")
    return head + reverse(f"grants:{name}", args=[application.pk]) + tail


def _pages(user, application) -> dict[str, str]:
    """The HTML of each page as ``user`` sees it; empty where the page is not theirs."""
    client = Client()
    if user is not None:
        client.force_login(user)
    pages = {}
    for page in (STAFF_PAGE, APPLICANT_PAGE):
        response = client.get(reverse(page, args=[application.pk]))
        pages[page] = response.content.decode() if response.status_code == 200 else ""
    return pages


def _footprint(application) -> tuple:
    """Everything a grant service can write about this case."""
    fresh = GrantApplication.objects.get(pk=application.pk)
    rows = tuple(
        model.objects.filter(application=application).count()
        for model in (
            CaseEvent,
            CaseMessage,
            Decision,
            Payment,
            Appeal,
            ImpartialityDeclaration,
            Assessment,
            FinalReport,
        )
    )
    appeals = tuple(
        Appeal.objects.filter(application=application).values_list("status", "prepared_at")
    )
    assessment = tuple(
        Assessment.objects.filter(application=application).values_list("updated_at", "proposed_at")
    )
    return (fresh.status, fresh.assigned_to_id, fresh.updated_at, rows, appeals, assessment)


class _Rollback(Exception):
    pass


def _accepted_by_service(call, user, application) -> bool:
    """Whether the service takes the call; an accepted call is rolled back."""
    fresh = GrantApplication.objects.get(pk=application.pk)
    try:
        with transaction.atomic():
            call(user, fresh)
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, ValidationError):
        return False


@pytest.mark.parametrize("state", list(STATES))
def test_an_action_is_offered_exactly_when_its_service_accepts_it(people, state):
    application = reach(state, people)
    calls = _service_calls(application)
    assert set(calls) == set(OFFERS) == set(ACTION_OF)
    mismatches = []
    for role in ROLES:
        user = people[role]
        pages = _pages(user, application)
        for name, call in calls.items():
            offer = OFFERS[name]
            if offer.page is None:
                offered = user is not None and ACTION_OF[name].allowed(user, application)
            else:
                offered = _marker(offer, application) in pages[offer.page]
            if user is None:
                accepted = False  # nobody signed in reaches a service
            else:
                before = _footprint(application)
                accepted = _accepted_by_service(call, user, application)
                if _footprint(application) != before:
                    mismatches.append(f"{name} as {role}: the call wrote something")
            if offered != accepted:
                mismatches.append(
                    f"{name} as {role}: {'offered' if offered else 'not offered'} on the page "
                    f"but the service {'accepts' if accepted else 'refuses'}"
                )
    assert not mismatches, f"In state {state}:\n" + "\n".join(mismatches)


def test_every_action_is_offered_to_someone_in_some_state(people):
    """The matrix is not vacuous: each action is possible somewhere."""
    offered = set()
    for state in STATES:
        application = reach(state, people)
        for name, action in ACTION_OF.items():
            if any(
                people[role] is not None and action.allowed(people[role], application)
                for role in ROLES
            ):
                offered.add(name)
    assert offered == set(ACTION_OF)


def test_a_bjerke_case_in_alna_is_out_of_every_bjerke_role(people):
    """The other district's handler is refused every action on a case of this district."""
    application = _declared(people)
    application.area = Area.objects.get(slug="trosterud-og-haugerud")
    assert not any(
        action.allowed(people["case_handler"], application) for action in actions.CASE_ACTIONS
    )
