"""The applicant's pages after the draft: my applications, and the case page of a submitted
application with its messages, decision letters, acceptance, final report, appeal and withdrawal.

Applications are fetched only through the applicant's scope (``applications_for_applicant``):
another organisation's application is a 404. Every write is a service call; a service's
ValidationError is shown on the form field it names and the page is re-rendered with status 400
and everything the user typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import show_service_errors
from core.pagination import paginate
from core.views import run_action

from .. import actions, selectors, services, workflow
from ..forms.applicant import MessageForm, ReportForm
from ..models import AttachmentKind, Decision, GrantApplication
from ._common import (
    S,
    _application,
    _budget,
    _detail,
    _files,
    _first_open_step,
    _format_org,
    _posted,
    _step_url,
)

# --- My applications ----------------------------------------------------------------------------

# "My applications" shows this many a page, newest first (a housing co-op applies every year).
MY_PAGE_SIZE = 25


def _date(value) -> str:
    return date_format(value, "d.m.Y") if value else ""


def next_step(application: GrantApplication) -> str:
    """What the applicant should do next, in a few words, from data already on the row."""
    status = application.status
    if status == S.DRAFT:
        if application.round.is_open():
            closes = timezone.localtime(application.round.closes_at)
            return _("Finish and submit by %(date)s") % {"date": date_format(closes, "d.m.Y H:i")}
        return _("The round is closed; the draft can no longer be submitted.")
    if status == S.AWAITING_INFO:
        return _("Answer the district's request for more information.")
    if status in (S.SUBMITTED, S.IN_REVIEW, S.PROPOSED):
        return _("The district is assessing the application.")
    if status == S.GRANTED:
        if application.accept_by:
            return _("Accept the grant by %(date)s") % {"date": _date(application.accept_by)}
        return _("Accept the grant when the decision letter is ready.")
    if status == S.REJECTED:
        decision = selectors.current_decision(application)
        if decision and decision.notified_at:
            return _("You may appeal by %(date)s") % {"date": _date(decision.appeal_deadline)}
        return _("The decision letter is being prepared.")
    if status == S.ACCEPTED:
        return _("Send the final report by %(date)s") % {
            "date": _date(application.round.report_deadline)
        }
    if status == S.REPORT_SUBMITTED:
        return _("The district is reviewing the final report.")
    return ""


@login_required
def my_applications(request):
    page, query = paginate(request, selectors.applicant_applications(request.user), MY_PAGE_SIZE)
    page.object_list = list(page.object_list)
    for application in page.object_list:
        application.is_draft = application.status == S.DRAFT
        application.next_step = next_step(application)
    return render(request, "grants/my_applications.html", {"page": page, "query": query})


# --- The case page ------------------------------------------------------------------------------


def _timeline(application: GrantApplication) -> list[dict]:
    """The stages of ``workflow.TIMELINE`` as done, current or still to come.

    A withdrawn application left the line after it was submitted: its timeline ends there.
    """
    stages = workflow.TIMELINE
    current = next(
        (i for i, (_key, statuses) in enumerate(stages) if application.status in statuses), None
    )
    if current is None:
        rows = [{"label": S(key).label, "state": "done", "status": ""} for key, _s in stages[:2]]
        return [*rows, {"label": S(application.status).label, "state": "current", "status": ""}]
    rows = []
    for index, (key, _statuses) in enumerate(stages):
        state = "done" if index < current else "current" if index == current else "todo"
        rows.append(
            {
                "label": _("Decision") if key == workflow.DECISION_STAGE else S(key).label,
                "state": state,
                # Which decision: granted, rejected or lapsed.
                "status": S(application.status).label
                if state == "current" and key == workflow.DECISION_STAGE
                else "",
            }
        )
    return rows


def _decisions(application) -> list[Decision]:
    decisions = list(application.decisions.all())
    for decision in decisions:
        decision.letter_ready = decision.letter_status == Decision.LetterStatus.READY
    return decisions


def _case_context(request, application, **forms) -> dict:
    user = request.user
    decisions = _decisions(application)
    decision = selectors.current_decision(application)
    appeals = list(application.appeals.all())
    open_appeal = next((a for a in appeals if a.is_open), None)
    all_messages = list(application.messages.all())
    for message in all_messages:
        message.is_plain = message.kind == message.Kind.MESSAGE
    attachments = list(application.attachments.all())
    context = {
        "application": application,
        "timeline": _timeline(application),
        "decision": decision,
        "decisions": decisions,
        "appeals": appeals,
        "open_appeal": open_appeal,
        "case_messages": all_messages,
        "open_request": next(
            (m for m in all_messages if m.kind == m.Kind.INFO_REQUEST and not m.answered_at),
            None,
        ),
        "events": list(application.events.all()),
        "payments": list(application.payments.all()),
        "report": getattr(application, "final_report", None),
        "attachments": [a for a in attachments if not a.for_report],
        "report_attachments": [a for a in attachments if a.for_report],
        "can_message": actions.ApplicantMessage().allowed(user, application),
        "can_accept": actions.Accept().allowed(user, application),
        "can_report": actions.Report().allowed(user, application),
        "can_appeal": actions.AppealSubmit().allowed(user, application),
        "appeal_late": bool(decision and timezone.localdate() > decision.appeal_deadline),
        "can_withdraw": actions.Withdraw().allowed(user, application),
        "message_form": MessageForm(),
        **_budget(application),
        **_format_org(application.organisation),
    }
    context.update(forms)
    return context


@login_required
def application_detail(request, pk: int):
    application = _application(request, pk)
    if application.status == S.DRAFT:
        return redirect(_step_url(application, _first_open_step(application)))
    return render(request, "grants/application_detail.html", _case_context(request, application))


@login_required
@require_POST
def application_message(request, pk: int):
    application = _application(request, pk)
    done, form = run_action(request, actions.ApplicantMessage(), application)
    if done:
        return redirect(reverse("grants:application_detail", args=[pk]) + "#messages")
    return render(
        request,
        "grants/application_detail.html",
        _case_context(request, application, message_form=form),
        status=400,
    )


def _confirm_page(request, application, action, template: str, context=None):
    """A GET confirmation page with the action's form, whose POST runs the action. Where the
    action is not possible now, the applicant is sent back to the case page with the reason."""
    if request.method == "GET":
        refusal = action.check(request.user, application)
        if refusal is not None:
            messages.info(request, str(refusal))
            return _detail(application)
        form = action.get_form(request.user, application)
    else:
        done, form = run_action(request, action, application)
        if done:
            return _detail(application)
    context = {"application": application, "form": form, **(context or {})}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def application_withdraw(request, pk: int):
    application = _application(request, pk)
    return _confirm_page(
        request, application, actions.Withdraw(), "grants/application_withdraw.html"
    )


@login_required
def grant_accept(request, pk: int):
    application = _application(request, pk)
    _decisions(application)
    decision = selectors.current_decision(application)
    return _confirm_page(
        request, application, actions.Accept(), "grants/grant_accept.html", {"decision": decision}
    )


@login_required
def appeal_submit(request, pk: int):
    application = _application(request, pk)
    decision = selectors.current_decision(application)
    late = bool(decision and timezone.localdate() > decision.appeal_deadline)
    return _confirm_page(
        request,
        application,
        actions.AppealSubmit(),
        "grants/appeal_form.html",
        {"decision": decision, "late": late},
    )


@login_required
def report_submit(request, pk: int):
    application = _application(request, pk)
    action = actions.Report()
    refusal = action.check(request.user, application)
    if refusal is not None and (refusal.forbidden or request.method == "GET"):
        if refusal.forbidden:
            raise PermissionDenied(str(refusal))
        messages.info(request, str(refusal))
        return _detail(application)
    report = getattr(application, "final_report", None)
    initial = {"dugnad_hours": application.dugnad_hours}
    if report is not None:
        initial = {
            "what_was_done": report.what_was_done,
            "participants": report.participants,
            "dugnad_hours": report.dugnad_hours,
        }
        actual = {row.get("description"): row.get("actual") for row in report.accounts}
        for line in application.cost_lines.all():
            if line.description in actual:
                initial[f"actual_{line.pk}"] = actual[line.description]
    form = ReportForm(
        _posted(request),
        _files(request),
        initial=initial,
        cost_lines=application.cost_lines.all(),
    )
    if refusal is not None:  # the case moved on since the page was shown: say so, save nothing
        form.is_valid()
        form.add_error(None, str(refusal))
    elif request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                services.attachment_add(
                    actor=request.user,
                    application=application,
                    kind=AttachmentKind.REPORT_DOCUMENTATION,
                    upload=form.cleaned_data["file"],
                    for_report=True,
                )
            done = action.execute(request.user, application, form)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, done)
            return _detail(application)
    if request.method == "POST":
        # The list of documents may have grown if only the report itself was refused.
        application = _application(request, pk)
    return render(
        request,
        "grants/report_form.html",
        {
            "application": application,
            "form": form,
            "report": report,
            "account_rows": [
                (line, form[f"actual_{line.pk}"]) for line in application.cost_lines.all()
            ],
            "report_attachments": [a for a in application.attachments.all() if a.for_report],
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("tilskudd/soknader/", my_applications, name="my_applications"),
    path("tilskudd/soknader/<int:pk>/", application_detail, name="application_detail"),
    path("tilskudd/soknader/<int:pk>/trekk/", application_withdraw, name="application_withdraw"),
    path("tilskudd/soknader/<int:pk>/melding/", application_message, name="application_message"),
    path("tilskudd/soknader/<int:pk>/aksepter/", grant_accept, name="grant_accept"),
    path("tilskudd/soknader/<int:pk>/sluttrapport/", report_submit, name="report_submit"),
    path("tilskudd/soknader/<int:pk>/klage/", appeal_submit, name="appeal_submit"),
]
