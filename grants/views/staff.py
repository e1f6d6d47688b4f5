"""District staff pages: the case queue, case handling, decisions, rounds."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import AnyUser

from .. import identifiers, permissions, selectors, services, workflow
from ..filters import CaseFilter
from ..forms.staff import (
    AppealChangeForm,
    AppealForwardForm,
    AppealOutcomeForm,
    AssessmentForm,
    DecisionForm,
    EmptyForm,
    ImpartialityForm,
    InfoRequestForm,
    MessageForm,
    PaymentForm,
    ReportReviewForm,
    RoundForm,
)
from ..letters import letter_filename
from ..models import (
    Appeal,
    Assessment,
    CaseEvent,
    Decision,
    FinalReport,
    GrantApplication,
    GrantRound,
    Recommendation,
)
from ..rules import kr
from ..services.rounds import ROUND_FIELDS

S = GrantApplication.Status
QUEUE_PAGE_SIZE = 25


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields; unknown keys on the form itself."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- The case queue -----------------------------------------------------------------------------


@login_required
def staff_queue(request):
    user = request.user
    if not permissions.can_view_cases(user):
        raise PermissionDenied
    case_filter = CaseFilter(request.GET, queryset=selectors.case_queue(user), user=user)
    page = Paginator(case_filter.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "grants/staff/queue.html",
        {
            "filter": case_filter,
            "page": page,
            "query": query.urlencode(),
            "GRANTED": S.GRANTED,
        },
    )


# --- Rounds -------------------------------------------------------------------------------------


@login_required
def staff_rounds(request):
    """Every round with its figures: counts and sums only, never an applicant's data."""
    if not permissions.can_view_round_figures(request.user):
        raise PermissionDenied
    return render(
        request,
        "grants/staff/rounds.html",
        {
            "rows": selectors.round_statistics(),
            "can_manage": permissions.can_manage_rounds(request.user),
        },
    )


def _round_form(request, grant_round: GrantRound | None):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    # Validation writes the typed values onto the instance; the heading keeps the saved title.
    context = {"grant_round": grant_round, "title": grant_round.title if grant_round else ""}
    form = context["form"] = RoundForm(request.POST or None, instance=grant_round)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ROUND_FIELDS}
            try:
                saved = services.round_save(
                    actor=request.user,
                    instance=grant_round,
                    areas=form.cleaned_data["areas"],
                    **data,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The round “%(title)s” is saved.") % {"title": saved.title},
                )
                return redirect("grants:staff_rounds")
        return render(request, "grants/staff/round_form.html", context, status=400)
    return render(request, "grants/staff/round_form.html", context)


@login_required
def staff_round_create(request):
    return _round_form(request, None)


@login_required
def staff_round_edit(request, slug: str):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    return _round_form(request, get_object_or_404(GrantRound, slug=slug))


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
        parts.append(kr(data["amount"]))
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
        "org_number": identifiers.format_org_number(application.organisation.org_number),
        "account_number": identifiers.format_account_number(
            application.organisation.account_number
        ),
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


def _take(request, application, form):
    services.case_take(actor=request.user, application=application)
    return _("You have taken the case.")


def _release(request, application, form):
    services.case_release(actor=request.user, application=application)
    return _("The case is released and back in the queue.")


def _impartiality(request, application, form):
    was_mine = application.assigned_to_id == request.user.pk
    impartial = form.cleaned_data["impartial"]
    services.impartiality_declare(
        actor=request.user,
        application=application,
        impartial=impartial,
        note=form.cleaned_data["note"],
    )
    if impartial:
        return _("You have declared that you are impartial in this case.")
    if was_mine:
        return _(
            "You have declared that you are not impartial, so you have been taken off the "
            "case. It is back in the queue for a colleague."
        )
    return _("You have declared that you are not impartial, so you cannot work on this case.")


def _assess(request, application, form):
    services.assessment_save(actor=request.user, application=application, **form.service_data())
    return _("The assessment is saved.")


def _info_request(request, application, form):
    services.info_request(actor=request.user, application=application, **form.cleaned_data)
    return _("The request is sent and the applicant is emailed. The case waits for the reply.")


def _message(request, application, form):
    services.staff_message(actor=request.user, application=application, **form.cleaned_data)
    return _("The message is sent and the applicant is emailed.")


def _propose(request, application, form):
    services.decision_propose(actor=request.user, application=application)
    return _("The decision is proposed to the programme leader.")


def _decide(request, application, form):
    services.decision_make(actor=request.user, application=application, **form.cleaned_data)
    return _("The decision is made. The decision letter is being prepared and sent.")


def _payment(request, application, form):
    services.payment_register(actor=request.user, application=application, **form.cleaned_data)
    return _("The payment is registered.")


def _report_review(request, application, form):
    approve = form.cleaned_data["approve"]
    services.report_review(
        actor=request.user,
        application=application,
        approve=approve,
        note=form.cleaned_data["note"],
    )
    if approve:
        return _("The final report is approved and the case is closed.")
    return _("The final report is returned to the applicant with your comment.")


def _appeal_change(request, application, form):
    services.appeal_change_decision(
        actor=request.user, application=application, **form.cleaned_data
    )
    return _("The decision is changed. The new decision letter is being prepared and sent.")


def _appeal_forward(request, application, form):
    services.appeal_forward(actor=request.user, application=application, **form.cleaned_data)
    return _("The appeal is forwarded to the appeal body.")


def _appeal_outcome(request, application, form):
    services.appeal_record_outcome(actor=request.user, application=application, **form.cleaned_data)
    return _("The appeal body's outcome is recorded.")


@dataclass(frozen=True)
class Action:
    """One POST on the case page: its form, who may try it at all, and the service call that
    returns the success message."""

    form_class: type[forms.Form]
    allowed: Callable[[AnyUser, GrantApplication], bool]
    perform: Callable


ACTIONS: dict[str, Action] = {
    "take": Action(EmptyForm, permissions.can_handle, _take),
    "release": Action(EmptyForm, permissions.can_handle, _release),
    "impartiality": Action(ImpartialityForm, permissions.can_handle, _impartiality),
    "assess": Action(AssessmentForm, permissions.can_handle, _assess),
    "info_request": Action(InfoRequestForm, permissions.can_handle, _info_request),
    "message": Action(MessageForm, permissions.can_handle, _message),
    "propose": Action(EmptyForm, permissions.can_handle, _propose),
    "decide": Action(DecisionForm, permissions.has_decider_role, _decide),
    "payment": Action(PaymentForm, permissions.can_handle, _payment),
    "report_review": Action(ReportReviewForm, permissions.can_handle, _report_review),
    "appeal_change": Action(AppealChangeForm, permissions.has_decider_role, _appeal_change),
    "appeal_forward": Action(AppealForwardForm, permissions.has_decider_role, _appeal_forward),
    "appeal_outcome": Action(AppealOutcomeForm, permissions.has_decider_role, _appeal_outcome),
}


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
                _add_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("grants:staff_case", pk=application.pk)
        application = _get_case(request, pk)
        context = _case_context(request, application, bound={name: form})
        return render(request, "grants/staff/case.html", context, status=400)

    view.__name__ = f"case_{name}"
    return view


# --- Downloads ----------------------------------------------------------------------------------


def _case_in_scope(request, pk: int) -> GrantApplication:
    return get_object_or_404(permissions.applications_visible_to(request.user), pk=pk)


@login_required
def staff_decision_letter(request, pk: int, decision_pk: int):
    application = _case_in_scope(request, pk)
    decision = get_object_or_404(
        Decision.objects.select_related("application"),
        application=application,
        pk=decision_pk,
        letter_status=Decision.LetterStatus.READY,
    )
    if not decision.letter:
        raise Http404
    return FileResponse(
        decision.letter.open("rb"),
        as_attachment=True,
        filename=letter_filename(decision),
        content_type="application/pdf",
    )


@login_required
def staff_attachment(request, pk: int, attachment_pk: int):
    application = _case_in_scope(request, pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


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
    path("intern/tilskudd/", staff_queue, name="staff_queue"),
    path("intern/tilskudd/utlysninger/", staff_rounds, name="staff_rounds"),
    path("intern/tilskudd/utlysninger/ny/", staff_round_create, name="staff_round_create"),
    path(
        "intern/tilskudd/utlysninger/<slug:slug>/endre/",
        staff_round_edit,
        name="staff_round_edit",
    ),
    path(CASE, staff_case, name="staff_case"),
    *(
        path(CASE + suffix, _case_action(name), name=f"case_{name}")
        for name, suffix in ACTION_PATHS.items()
    ),
    path(
        CASE + "vedtak/<int:decision_pk>/brev.pdf",
        staff_decision_letter,
        name="staff_decision_letter",
    ),
    path(
        CASE + "vedlegg/<int:attachment_pk>/",
        staff_attachment,
        name="staff_attachment",
    ),
]
