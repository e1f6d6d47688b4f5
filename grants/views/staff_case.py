"""District staff's case page: the case with its history and the forms of the actions the user
may take now (``grants.actions.CASE_ACTIONS``), and the one POST view every action posts to.

Cases are fetched only through the staff scope: out of scope is a 404, an action the user may
never take is a 403, and one refused for the case's state or with invalid data is shown again on
the page with status 400.
"""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import formatting
from core.views import run_action

from .. import permissions, selectors
from ..actions import CASE_ACTIONS
from ..models import (
    Appeal,
    Assessment,
    CaseEvent,
    Decision,
    FinalReport,
    GrantApplication,
    Recommendation,
)

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


def _action_url(action, application: GrantApplication) -> str:
    return reverse(f"grants:case_{action.name}", args=[application.pk])


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
    if data.get("advice") in Appeal.Advice.values:
        parts.append(
            _("recommendation: %(label)s") % {"label": Appeal.Advice(data["advice"]).label}
        )
    if event.note:
        parts.append(event.note)
    return " · ".join(parts)


def _case_context(request, application: GrantApplication, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    assessment = _assessment_of(application)
    criteria = application.round.criteria_list
    current = selectors.current_decision(application)
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
        # The actions this user may take now, plus any sent back with errors (so nothing typed
        # is lost whatever the state has become), and the reasons shown where one is missing.
        "actions": CASE_ACTIONS.bind(user, application, url_for=_action_url, bound=bound),
        "action_notices": CASE_ACTIONS.notices(user, application, exclude=bound),
        "LETTER_READY": Decision.LetterStatus.READY,
    }


@login_required
def staff_case(request, pk: int):
    application = _get_case(request, pk)
    return render(request, "grants/staff/case.html", _case_context(request, application))


# --- The case page's actions --------------------------------------------------------------------


@login_required
@require_POST
def case_action(request, pk: int, name: str):
    """Every action of the case page: out of scope 404, forbidden 403, refused or invalid 400
    with the page and what was typed; success redirects to the case."""
    application = _get_case(request, pk)
    done, form = run_action(request, CASE_ACTIONS[name], application)
    if done:
        return redirect("grants:staff_case", pk=application.pk)
    application = _get_case(request, pk)
    context = _case_context(request, application, bound={name: form})
    return render(request, "grants/staff/case.html", context, status=400)


# --- URLs ---------------------------------------------------------------------------------------

CASE = "intern/tilskudd/saker/<int:pk>/"

urlpatterns = [
    path(CASE, staff_case, name="staff_case"),
    *(
        path(CASE + action.path, case_action, {"name": action.name}, name=f"case_{action.name}")
        for action in CASE_ACTIONS
    ),
]
