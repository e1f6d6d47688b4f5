"""Every status change of a grant application goes through the workflow table: the model refuses
one that did not come through ``grants.workflow.move`` (a save or a queryset update), and each
move writes its history row in the same go."""

import pytest
from django.core.exceptions import PermissionDenied

from core.workflow import SYSTEM, WorkflowBypassed, permit_status_update
from grants import actions, workflow
from grants.models import CaseEvent, GrantApplication

from .factories import draft_for, submitted

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def test_saving_a_changed_status_outside_the_workflow_is_refused(users):
    application = submitted()
    application.status = S.GRANTED

    with pytest.raises(WorkflowBypassed):
        application.save()
    with pytest.raises(WorkflowBypassed):
        application.save(update_fields=["status"])

    assert GrantApplication.objects.get(pk=application.pk).status == S.SUBMITTED


def test_a_row_read_again_is_guarded_too(users):
    submitted()
    application = GrantApplication.objects.get()
    application.status = S.CLOSED

    with pytest.raises(WorkflowBypassed):
        application.save()


def test_a_queryset_update_of_the_status_is_refused():
    application = submitted()

    with pytest.raises(WorkflowBypassed):
        GrantApplication.objects.filter(pk=application.pk).update(status=S.CLOSED)
    with pytest.raises(WorkflowBypassed):
        GrantApplication.objects.all().update(status=S.CLOSED)

    assert GrantApplication.objects.get(pk=application.pk).status == S.SUBMITTED


def test_other_fields_still_save_and_update_as_before():
    application = submitted()
    application.title = "Ny tittel"
    application.save()
    GrantApplication.objects.filter(pk=application.pk).update(location="Et annet sted")

    fresh = GrantApplication.objects.get(pk=application.pk)
    assert (fresh.title, fresh.location, fresh.status) == (
        "Ny tittel",
        "Et annet sted",
        S.SUBMITTED,
    )


def test_a_permitted_bulk_update_is_workflow_code_only():
    application = submitted()

    permit_status_update(GrantApplication.objects.filter(pk=application.pk)).update(
        status=S.IN_REVIEW
    )

    assert GrantApplication.objects.get(pk=application.pk).status == S.IN_REVIEW


def test_a_move_saves_the_status_and_writes_its_history_row(users):
    application = GrantApplication.objects.get(pk=submitted().pk)
    handler = users["case_handler"]
    before = CaseEvent.objects.count()

    event = workflow.move(application, "take", actor=handler)

    assert GrantApplication.objects.get(pk=application.pk).status == S.IN_REVIEW
    assert CaseEvent.objects.count() == before + 1
    assert (event.kind, event.actor, event.visible_to_applicant) == (
        CaseEvent.Kind.ASSIGNED,
        handler,
        True,
    )


@pytest.mark.parametrize(
    ("name", "role"),
    [("take", "resident"), ("accept", "case_handler"), ("lapse", "programme_leader")],
)
def test_a_move_the_table_refuses_writes_nothing(users, name, role):
    application = GrantApplication.objects.get(pk=submitted().pk)
    before = CaseEvent.objects.count()

    with pytest.raises(PermissionDenied):
        workflow.move(application, name, actor=users[role])

    assert GrantApplication.objects.get(pk=application.pk).status == S.SUBMITTED
    assert CaseEvent.objects.count() == before


def test_only_scheduled_work_lapses_a_grant():
    assert workflow.WORKFLOW["lapse"].roles == {SYSTEM}
    assert workflow.roles_of(None, GrantApplication()) == {SYSTEM}


def test_a_draft_is_created_with_its_status_and_submitted_through_the_table():
    application = draft_for()
    assert application.status == S.DRAFT
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.SUBMITTED).exists()


# One edge means one action: each transition of the table is made by the action named here (or
# by scheduled work), whose check asks the table about it.
MADE_BY = {
    "submit": actions.Submit,
    "take": actions.Take,
    "release": actions.Release,  # also when a handler declares they are not impartial
    "request_info": actions.InfoRequest,
    "info_given": actions.ApplicantMessage,
    "propose": actions.Propose,
    "return_to_review": actions.ReturnProposal,
    "decide": actions.Decide,
    "accept": actions.Accept,
    "lapse": None,  # the nightly reminders task
    "report": actions.Report,
    "report_return": actions.ReportReview,
    "close": actions.ReportReview,
    "appeal_change": actions.AppealChange,
    "appeal_outcome": actions.AppealOutcome,
    "withdraw": actions.Withdraw,
}


def test_every_transition_is_named_and_made_by_one_action():
    assert set(workflow.WORKFLOW.names()) == set(MADE_BY)
    assert set(workflow.HISTORY) == set(MADE_BY)
    every_action = {type(a) for a in actions.CASE_ACTIONS} | {
        type(a) for a in actions.APPLICANT_ACTIONS
    }
    assert {cls for cls in MADE_BY.values() if cls} <= every_action


def test_the_code_assigns_a_status_nowhere_but_the_workflow():
    """A reader's check, beside the model's: no module of the app sets ``.status`` of an
    application itself (final reports and appeals have statuses of their own)."""
    import pathlib
    import re

    root = pathlib.Path(workflow.__file__).parent
    offenders = []
    pattern = re.compile(r"\b(application|app|locked)\.status\s*=[^=]")
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
