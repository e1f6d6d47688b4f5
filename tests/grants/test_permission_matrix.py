"""Roles × every grant URL. An applicant never reaches another organisation's application (404);
a case handler never another district's (404); in scope but not allowed is a 403."""

import pytest
from django.urls import reverse

from grants.models import Decision, GrantApplication
from tests.grants.factories import GrantRoundFactory, decided, draft_for, submitted
from tests.matrix import LOGIN, ROLES, Row, assert_matrix

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


@pytest.fixture
def people(users):
    """The matrix roles plus ``applicant``, a member of the organisation that applied."""
    from tests.accounts.factories import UserFactory

    return users | {"applicant": UserFactory()}


def _expect(default, **overrides):
    roles = (*ROLES, "applicant")
    return {role: overrides.get(role, default) for role in roles}


def applicant_only(ok=200, *, anonymous=LOGIN):
    """The applicant gets ``ok``; every other signed-in user a 404 (out of scope)."""
    return _expect(404, anonymous=anonymous, applicant=ok)


def case_staff(ok=200, **overrides):
    """Case handler and programme leader of Bjerke get ``ok``; out of scope is 404."""
    base = _expect(
        404,
        anonymous=LOGIN,
        case_handler=ok,
        programme_leader=ok,
        secretariat=ok,
    )
    base.update(overrides)
    return base


def url(name, **kwargs):
    return lambda: reverse(f"grants:{name}", kwargs=kwargs)


def test_public_grant_pages(people):
    grant_round = GrantRoundFactory()
    rows = [
        Row("grants:rounds", _expect(200)),
        Row(url("round_detail", slug=grant_round.slug), _expect(200)),
        Row(url("application_start", slug=grant_round.slug), _expect(200, anonymous=LOGIN)),
        Row("grants:organisations", _expect(200, anonymous=LOGIN)),
        Row("grants:organisation_create", _expect(200, anonymous=LOGIN)),
        Row("grants:my_applications", _expect(200, anonymous=LOGIN)),
    ]
    assert_matrix(people, rows)


def test_draft_pages_belong_to_the_applicant_alone(people):
    draft = draft_for(people["applicant"])
    pk = draft.pk
    attachment = draft.attachments.first()
    rows = [
        Row(url("application_detail", pk=pk), applicant_only(302)),
        *[
            Row(url("application_step", pk=pk, step=step), applicant_only())
            for step in ("organisasjon", "tiltak", "budsjett", "vedlegg", "oppsummering")
        ],
        Row(url("attachment_download", pk=pk, attachment_pk=attachment.pk), applicant_only()),
        # Staff never see a draft, not even in their own district.
        Row(url("staff_case", pk=pk), case_staff(404, secretariat=404)),
    ]
    assert_matrix(people, rows)


def test_organisation_pages_belong_to_their_members(people):
    draft = draft_for(people["applicant"])
    rows = [Row(url("organisation_detail", pk=draft.organisation_id), applicant_only())]
    assert_matrix(people, rows)


def test_submitted_case_pages(people):
    application = submitted(people["applicant"])
    pk = application.pk
    attachment = application.attachments.first()
    rows = [
        Row(url("application_detail", pk=pk), applicant_only()),
        Row(url("application_withdraw", pk=pk), applicant_only()),
        Row(url("application_receipt", pk=pk), applicant_only()),
        Row(url("staff_case", pk=pk), case_staff()),
        Row(
            url("staff_attachment", pk=pk, attachment_pk=attachment.pk),
            case_staff(),
        ),
        Row(
            "grants:staff_queue",
            _expect(
                403,
                anonymous=LOGIN,
                case_handler=200,
                programme_leader=200,
                other_district_leader=200,
                secretariat=200,
            ),
        ),
        Row(
            "grants:staff_rounds",
            _expect(
                403,
                anonymous=LOGIN,
                case_handler=200,
                programme_leader=200,
                other_district_leader=200,
                board=200,
                secretariat=200,
            ),
        ),
        Row(
            "grants:staff_round_create",
            _expect(403, anonymous=LOGIN, secretariat=200),
        ),
    ]
    assert_matrix(people, rows)


def test_case_actions_by_role(people, django_capture_on_commit_callbacks):
    """POSTs to every case action: out of scope is a 404 whatever the action; in scope, a role
    that may not act gets a 403."""
    application = submitted(people["applicant"])
    pk = application.pk
    actions = [
        "case_take",
        "case_release",
        "case_impartiality",
        "case_assess",
        "case_info_request",
        "case_message",
        "case_propose",
        "case_decide",
        "case_payment",
        "case_report_review",
        "case_appeal_change",
        "case_appeal_forward",
        "case_appeal_outcome",
    ]
    rows = []
    for action in actions:
        expect = _expect(404, anonymous=LOGIN)
        # The secretariat reads every case but handles none.
        expect["secretariat"] = 403
        # The district's own handlers act; their answers are tested with each action.
        del expect["case_handler"], expect["programme_leader"]
        rows.append(Row(url(action, pk=pk), expect, method="post"))
    assert_matrix(people, rows)


def test_decided_case_letter_and_applicant_actions(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = decided(
            people["case_handler"], people["programme_leader"], people["applicant"]
        )
    decision = application.decisions.get()
    assert decision.letter_status == Decision.LetterStatus.READY
    pk = application.pk
    rows = [
        Row(url("decision_letter", pk=pk, decision_pk=decision.pk), applicant_only()),
        Row(url("staff_decision_letter", pk=pk, decision_pk=decision.pk), case_staff()),
        Row(url("grant_accept", pk=pk), applicant_only()),
        Row(url("appeal_submit", pk=pk), applicant_only()),
    ]
    assert_matrix(people, rows)
