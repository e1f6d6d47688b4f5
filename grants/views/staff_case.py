"""District staff's case page: the case with its history and action forms, the POST views of
those actions (what each does is in ``staff_case_actions``) and the case's file downloads.

Cases are fetched only through the staff scope: out of scope is a 404, an action the user may
not take is a 403, and a form the service refuses is shown again with status 400.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import formatting
from core.forms import show_service_errors

from .. import permissions, selectors, workflow
from ..forms.staff import AssessmentForm, DecisionForm
from ..models import (
    Appeal,
    Assessment,
    CaseEvent,
    Decision,
    FinalReport,
    GrantApplication,
    Recommendation,
)
from ._common import S
from .staff_case_actions import ACTIONS

# --- The case page ------------------------------------------------------------------------------


def _get_case(request, pk: int) -> GrantApplication:
    try:
        return selectors.case_detail(request.user, pk)
    except GrantApplication.DoesNotExist as exc:
        raise Http404 from exc


def _assessment_of(application: GrantApplication) -> Assessment | None:
    try:
        return application.assessment
    except Assessment.DoesNotExist:
        return None


def _report_of(application: GrantApplication) -> FinalReport | None:
    try:
        return application.final_report
    except FinalReport.DoesNotExist:
        return None


def _open_appeal(application: GrantApplication) -> Appeal | None:
    return next((a for a in application.appeals.all() if a.is_open), None)


def _make_form(name: str, application: GrantApplication, data=None):
    """The action form ``name`` for this case, bound to ``data`` when given."""
    criteria = application.round.criteria_list
    assessment = _assessment_of(application)
    if name == "assess":
        return AssessmentForm(
            data,
            prefix=name,
            criteria=criteria,
            initial=AssessmentForm.initial_from(assessment, criteria),
        )
    if name == "decide":
        return DecisionForm(data, prefix=name, initial=DecisionForm.initial_from(assessment))
    return ACTIONS[name].form_class(data, prefix=name)


def _available_actions(user, application: GrantApplication) -> dict[str, bool]:
    """Which action forms apply to this user in the case's current state."""
    status = application.status
    handles = permissions.can_handle(user, application)
    impartial = permissions.is_impartial(user, application)
    declaration = permissions.latest_declaration(user, application)
    declared_partial = declaration is not None and not declaration.impartial
    decider = permissions.has_decider_role(user, application)
    mine = application.assigned_to_id == user.pk
    open_case = status in workflow.OPEN_CASE
    # Once proposed, the case is the programme leader's to decide; nobody takes it over then.
    in_handling = open_case and status != S.PROPOSED
    appeal = _open_appeal(application)
    return {
        "take": handles and in_handling and not mine and not declared_partial,
        "release": handles and in_handling and application.assigned_to_id is not None,
        "impartiality": handles
        and open_case
        and declaration is None
        and (mine or (decider and status == S.PROPOSED)),
        "assess": permissions.can_assess(user, application)
        and status in (S.IN_REVIEW, S.AWAITING_INFO),
        "info_request": handles and impartial and status == S.IN_REVIEW,
        "message": handles,
        "propose": permissions.can_assess(user, application)
        and status == S.IN_REVIEW
        and _assessment_of(application) is not None,
        "decide": decider and status == S.PROPOSED and impartial,
        "payment": handles and status in (S.ACCEPTED, S.REPORT_SUBMITTED),
        "report_review": handles
        and status == S.REPORT_SUBMITTED
        and _report_of(application) is not None,
        "appeal_change": decider and appeal is not None and appeal.status == Appeal.Status.RECEIVED,
        "appeal_forward": decider
        and appeal is not None
        and appeal.status == Appeal.Status.RECEIVED,
        "appeal_outcome": decider
        and appeal is not None
        and appeal.status == Appeal.Status.FORWARDED,
    }


def _event_detail(event: CaseEvent) -> str:
    """What a history row adds to its kind, from the event's data, in the reader's language."""
    data = event.data or {}
    parts = []
    if "impartial" in data:
        parts.append(_("impartial") if data["impartial"] else _("not impartial"))
    if data.get("recommendation") in Recommendation.values:
        parts.append(
            _("recommendation: %(label)s") % {"label": Recommendation(data["recommendation"]).label}
        )
    if data.get("outcome") in Recommendation.values:
        parts.append(str(Recommendation(data["outcome"]).label))
    if isinstance(data.get("amount"), int) and data.get("outcome") != Recommendation.REJECT:
        parts.append(formatting.kroner(data["amount"]))
    if data.get("reply_by"):
        try:
            reply_by = date.fromisoformat(data["reply_by"]).strftime("%d.%m.%Y")
        except ValueError:
            reply_by = data["reply_by"]
        parts.append(_("reply by %(date)s") % {"date": reply_by})
    if data.get("late"):
        parts.append(_("received after the deadline"))
    if data.get("status") in Appeal.Status.values:
        parts.append(str(Appeal.Status(data["status"]).label))
    if event.note:
        parts.append(event.note)
    return " · ".join(parts)


def _case_context(request, application: GrantApplication, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    available = _available_actions(user, application)
    # A form sent back with errors is shown whatever the state, so nothing typed is lost.
    show = {name: allowed or name in bound for name, allowed in available.items()}
    action_forms = {
        name: bound[name] if name in bound else _make_form(name, application)
        for name, shown in show.items()
        if shown
    }
    assessment = _assessment_of(application)
    criteria = application.round.criteria_list
    current = selectors.current_decision_of(application)
    decisions = list(application.decisions.all())
    payments = list(application.payments.all())
    paid = sum(p.amount for p in payments)
    report = _report_of(application)
    attachments = list(application.attachments.all())
    declaration = permissions.latest_declaration(user, application)
    appeals = list(application.appeals.all())
    return {
        "application": application,
        "organisation": application.organisation,
        "org_number": formatting.org_number(application.organisation.org_number),
        "account_number": formatting.account_number(application.organisation.account_number),
        "cost_lines": list(application.cost_lines.all()),
        "attachments": [a for a in attachments if not a.for_report],
        "report_attachments": [a for a in attachments if a.for_report],
        "assessment": assessment,
        "score_rows": [
            (criterion, assessment.scores.get(criterion) if assessment else None)
            for criterion in criteria
        ],
        "current_decision": current,
        "decisions": decisions,
        "payments": payments,
        "paid": paid,
        "left_to_pay": max((current.amount if current and current.is_grant else 0) - paid, 0),
        "report": report,
        "report_rows": [
            {**row, "difference": int(row.get("actual") or 0) - int(row.get("budgeted") or 0)}
            for row in (report.accounts if report else [])
        ],
        "appeals": appeals,
        "late_open_appeal": next((a for a in appeals if a.is_open and a.is_late), None),
        "declarations": list(application.impartiality_declarations.all()),
        "my_declaration": declaration,
        "events": [(event, _event_detail(event)) for event in application.events.all()],
        "messages_list": list(application.messages.all()),
        "show": show,
        "forms": action_forms,
        "four_eyes_blocked": show["decide"] and not permissions.may_decide_here(user, application),
        "impartiality_for_decision": application.status == S.PROPOSED
        and application.assigned_to_id != user.pk,
        "LETTER_READY": Decision.LetterStatus.READY,
    }


@login_required
def staff_case(request, pk: int):
    application = _get_case(request, pk)
    return render(request, "grants/staff/case.html", _case_context(request, application))


# --- The case page's actions --------------------------------------------------------------------


def _case_action(name: str):
    """The POST view for action ``name``: out of scope 404, not allowed 403, errors 400."""
    action = ACTIONS[name]

    @login_required
    @require_POST
    def view(request, pk: int):
        application = _get_case(request, pk)
        if not action.allowed(request.user, application):
            raise PermissionDenied
        form = _make_form(name, application, data=request.POST)
        if form.is_valid():
            try:
                message = action.perform(request, application, form)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("grants:staff_case", pk=application.pk)
        application = _get_case(request, pk)
        context = _case_context(request, application, bound={name: form})
        return render(request, "grants/staff/case.html", context, status=400)

    view.__name__ = f"case_{name}"
    return view


# --- URLs ---------------------------------------------------------------------------------------

CASE = "intern/tilskudd/saker/<int:pk>/"

ACTION_PATHS = {
    "take": "ta/",
    "release": "frigi/",
    "impartiality": "habilitet/",
    "assess": "vurdering/",
    "info_request": "foresporsel/",
    "message": "melding/",
    "propose": "innstill/",
    "decide": "vedtak/",
    "payment": "utbetaling/",
    "report_review": "sluttrapport/",
    "appeal_change": "klage/omgjor/",
    "appeal_forward": "klage/oversend/",
    "appeal_outcome": "klage/utfall/",
}


urlpatterns = [
    path(CASE, staff_case, name="staff_case"),
    *(
        path(CASE + suffix, _case_action(name), name=f"case_{name}")
        for name, suffix in ACTION_PATHS.items()
    ),
]
