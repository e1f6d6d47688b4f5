"""The applicant's pages: rounds, organisations, the application in steps, the case page.

Applications are fetched only through the applicant's scope (``applications_for_applicant``):
another organisation's application is a 404. Every write is a service call; a service's
ValidationError is shown on the form field it names and the page is re-rendered with status 400
and everything the user typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import permissions, rules, selectors, services, workflow
from ..forms.applicant import (
    EXTRA_COST_LINES,
    MAX_COST_LINES,
    AcceptForm,
    AppealForm,
    AttachmentForm,
    BudgetForm,
    InvitationAcceptForm,
    InvitationForm,
    MeasureForm,
    MessageForm,
    OrganisationChoiceForm,
    OrganisationForm,
    ReportForm,
    WithdrawForm,
)
from ..identifiers import format_account_number, format_org_number
from ..models import (
    ApplicantKind,
    AttachmentKind,
    Decision,
    GrantApplication,
    GrantRound,
    Organisation,
)
from ..services.applications import MEASURE_FIELDS

S = GrantApplication.Status

STEP_LABELS = {
    "organisasjon": gettext_lazy("Organisation"),
    "tiltak": gettext_lazy("The measure"),
    "budsjett": gettext_lazy("Budget"),
    "vedlegg": gettext_lazy("Attachments"),
    "oppsummering": gettext_lazy("Review and submit"),
}
# Where each problem of ``rules.problems`` is fixed: the id of its field on the step's page.
FIELD_ANCHORS = {"cost_lines": "cost-lines", "organisation": "id_organisation"}


def show_errors(form, exc: ValidationError) -> None:
    """Put a service's messages on the fields they name; anything else on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


def _application(request, pk: int) -> GrantApplication:
    try:
        return selectors.application_for_applicant(request.user, pk)
    except GrantApplication.DoesNotExist as exc:
        raise Http404 from exc


def _detail(application: GrantApplication):
    return redirect("grants:application_detail", pk=application.pk)


def _posted(request):
    """The form data of a POST (even an empty one, so that it is validated); None for a GET."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- Rounds (public) ----------------------------------------------------------------------------


def rounds(request):
    now = timezone.now()
    round_list = list(selectors.rounds_public(now))
    for grant_round in round_list:
        grant_round.open_now = grant_round.is_open(now)
    return render(request, "grants/rounds.html", {"rounds": round_list})


def _round(slug: str) -> GrantRound:
    try:
        return selectors.round_public(slug)
    except GrantRound.DoesNotExist as exc:
        raise Http404 from exc


def _kind_labels(values) -> list[str]:
    return [ApplicantKind(v).label for v in values if v in ApplicantKind.values]


def _attachment_labels(values) -> list[str]:
    return [AttachmentKind(v).label for v in values if v in AttachmentKind.values]


def round_detail(request, slug: str):
    grant_round = _round(slug)
    now = timezone.now()
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": grant_round,
            "open_now": grant_round.is_open(now),
            "upcoming": now < grant_round.opens_at,
            "applicant_kinds": _kind_labels(grant_round.applicant_kinds),
            "required_attachments": _attachment_labels(grant_round.required_attachments),
        },
    )


@login_required
def application_start(request, slug: str):
    grant_round = _round(slug)
    organisations = selectors.organisations_of(request.user)
    form = OrganisationChoiceForm(_posted(request), organisations=organisations)
    closed = rules.round_problems(grant_round)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_start(
                    actor=request.user,
                    grant_round=grant_round,
                    organisation=form.cleaned_data["organisation"],
                )
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("The draft is created. It is saved at every step."))
                return redirect("grants:application_step", pk=application.pk, step=rules.STEPS[0])
        status = 400
    return render(
        request,
        "grants/application_start.html",
        {
            "round": grant_round,
            "form": form,
            "has_organisations": bool(form.fields["organisation"].queryset),
            "closed": closed[0].message if closed else "",
            "applicant_kinds": _kind_labels(grant_round.applicant_kinds),
        },
        status=status,
    )


# --- Organisations ------------------------------------------------------------------------------


@login_required
def organisations(request):
    return render(
        request,
        "grants/organisations.html",
        {"organisations": selectors.organisations_of(request.user).order_by("name")},
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(_posted(request))
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You can invite others to act for it.")
                % {"name": organisation.name},
            )
            return redirect(
                next_url or reverse("grants:organisation_detail", args=[organisation.pk])
            )
    return render(
        request,
        "grants/organisation_form.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_detail(request, pk: int):
    try:
        organisation = selectors.organisation_detail(request.user, pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    memberships = list(organisation.memberships.all())
    is_admin = any(m.user_id == request.user.pk and m.is_admin for m in memberships)
    form = InvitationForm(_posted(request), prefix="invite")
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=request.user, organisation=organisation, email=form.cleaned_data["email"]
                )
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(
                    request, _("An invitation is sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("grants:organisation_detail", pk=organisation.pk)
    pending = [i for i in organisation.invitations.all() if i.is_valid()]
    return render(
        request,
        "grants/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "is_admin": is_admin,
            "invitations": pending,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def invitation_accept(request, token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    form = InvitationAcceptForm(_posted(request))
    if request.method == "POST":
        try:
            organisation = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            form.is_valid()
            show_errors(form, exc)
        else:
            messages.success(
                request, _("You can now act for %(name)s.") % {"name": organisation.name}
            )
            return redirect("grants:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "grants/invitation_accept.html",
        {"invitation": invitation, "valid": invitation.is_valid(), "form": form},
        status=400 if form.errors else 200,
    )


# --- My applications ----------------------------------------------------------------------------


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
        decisions = getattr(application, "current_decisions", [])
        if decisions and decisions[0].notified_at:
            return _("You may appeal by %(date)s") % {"date": _date(decisions[0].appeal_deadline)}
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
    applications = list(selectors.applicant_applications(request.user))
    for application in applications:
        application.is_draft = application.status == S.DRAFT
        application.next_step = next_step(application)
    return render(request, "grants/my_applications.html", {"applications": applications})


# --- The application in steps -------------------------------------------------------------------


def _step_url(application: GrantApplication, step: str, field: str = "") -> str:
    url = reverse("grants:application_step", args=[application.pk, step])
    if field and field != "__all__":
        url += "#" + FIELD_ANCHORS.get(field, f"id_{field}")
    return url


def _steps(application: GrantApplication, current: str, problems) -> list[dict]:
    incomplete = {p.step for p in problems}
    return [
        {
            "number": number,
            "label": STEP_LABELS[step],
            "url": _step_url(application, step),
            "current": step == current,
            "done": step != "oppsummering" and step not in incomplete,
        }
        for number, step in enumerate(rules.STEPS, 1)
    ]


def _problem_rows(application: GrantApplication, problems) -> list[dict]:
    return [
        {
            "message": p.message,
            "step": STEP_LABELS[p.step],
            "url": _step_url(application, p.step, p.field) if p.field != "__all__" else "",
        }
        for p in problems
    ]


def _first_open_step(application: GrantApplication) -> str:
    incomplete = {p.step for p in rules.problems(application)}
    return next((s for s in rules.STEPS if s in incomplete), rules.STEPS[-1])


def _render_step(request, application, step: str, status: int = 200, **context):
    problems = rules.problems(application)
    index = rules.STEPS.index(step)
    context.update(
        {
            "application": application,
            "round": application.round,
            "step": step,
            "step_label": STEP_LABELS[step],
            "steps": _steps(application, step, problems),
            "step_problems": _problem_rows(application, [p for p in problems if p.step == step]),
            "problems": _problem_rows(application, problems),
            "previous_url": _step_url(application, rules.STEPS[index - 1]) if index else "",
        }
    )
    return render(request, f"grants/step_{step}.html", context, status=status)


def _saved(request, application, step: str):
    """After a step is saved: on to the next step, or stay ("Save draft")."""
    if request.POST.get("action") == "continue":
        return redirect(_step_url(application, rules.STEPS[rules.STEPS.index(step) + 1]))
    messages.success(request, _("The draft is saved."))
    return redirect(_step_url(application, step))


def _continuing(request) -> bool:
    return request.POST.get("action") == "continue"


def _step_form(request, application, step: str, form, save, **context):
    """The common round trip of a step: validate, save through the service, or show the errors."""
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                return _saved(request, application, step)
        return _render_step(request, application, step, status=400, form=form, **context)
    return _render_step(request, application, step, form=form, **context)


def _step_organisation(request, application):
    form = OrganisationChoiceForm(
        _posted(request),
        organisations=permissions.organisations_for(request.user),
        initial={"organisation": application.organisation_id},
    )

    def save(form):
        organisation = form.cleaned_data["organisation"]
        if organisation.pk != application.organisation_id:
            services.application_change_organisation(
                actor=request.user, application=application, organisation=organisation
            )

    return _step_form(
        request,
        application,
        "organisasjon",
        form,
        save,
        applicant_kinds=_kind_labels(application.round.applicant_kinds),
    )


def _step_measure(request, application):
    areas = application.round.areas.select_related("district").order_by("district__number", "name")
    initial = {name: getattr(application, name) for name in MEASURE_FIELDS}
    initial["sub_goal"], initial["area"] = application.sub_goal_id, application.area_id
    form = MeasureForm(
        _posted(request), initial=initial, areas=areas, complete=_continuing(request)
    )

    def save(form):
        services.application_save_measure(
            actor=request.user, application=application, **form.cleaned_data
        )

    return _step_form(request, application, "tiltak", form, save)


def _step_budget(request, application):
    lines = [
        {"description": c.description, "amount": c.amount} for c in application.cost_lines.all()
    ]
    initial = {name: getattr(application, name) for name in BudgetForm.Meta.fields}
    rows = request.GET.get("rader", "")
    extra = min(int(rows), MAX_COST_LINES) if rows.isdigit() else EXTRA_COST_LINES
    if request.method == "POST" and request.POST.get("action") == "more_lines":
        # Without JavaScript: save what is typed, then the same page with more empty rows.
        data = request.POST.copy()
        total = data.get("lines-TOTAL_FORMS", "")
        count = int(total) if total.isdigit() else 0
        data["lines-TOTAL_FORMS"] = str(min(count + EXTRA_COST_LINES, MAX_COST_LINES))
        form = BudgetForm(data, initial=initial, lines_initial=lines, complete=False)
        if form.is_valid():
            try:
                _save_budget(request, application, form)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                empty = len(form.lines.forms) - len(form.cost_lines())
                url = _step_url(application, "budsjett")
                return redirect(f"{url}?rader={max(empty, EXTRA_COST_LINES)}#cost-lines")
        return _render_step(
            request, application, "budsjett", status=400, form=form, **_budget(application)
        )
    form = BudgetForm(
        _posted(request),
        initial=initial,
        lines_initial=lines,
        extra_lines=extra,
        complete=_continuing(request),
    )
    return _step_form(
        request,
        application,
        "budsjett",
        form,
        lambda form: _save_budget(request, application, form),
        **_budget(application),
    )


def _save_budget(request, application, form) -> None:
    services.application_save_budget(
        actor=request.user,
        application=application,
        cost_lines=form.cost_lines(),
        **form.figures(),
    )


def _budget(application) -> dict:
    total = application.total_cost
    return {
        "total": total,
        "own_share": application.own_share_percent,
        "city_share": (round(application.amount_applied * 100 / total, 1) if total else None),
        "min_own": rules.kr(total * application.round.min_own_share_percent / 100),
        "max_city": rules.kr(
            min(
                total * application.round.max_city_share_percent / 100, application.round.max_amount
            )
        ),
    }


def _attachment_context(application) -> dict:
    attached = [a for a in application.attachments.all() if not a.for_report]
    present = {a.kind for a in attached}
    required = [
        {"label": AttachmentKind(kind).label, "present": kind in present}
        for kind in rules.required_attachment_kinds(application)
        if kind in AttachmentKind.values
    ]
    return {"attachments": attached, "required": required}


def _step_attachments(request, application):
    context = _attachment_context(application)
    missing = [
        kind
        for kind in rules.required_attachment_kinds(application)
        if kind not in {a.kind for a in context["attachments"]}
    ]
    form = AttachmentForm(
        _posted(request),
        _files(request),
        initial={"kind": missing[0] if missing else AttachmentKind.QUOTE},
    )
    if request.method == "POST" and _continuing(request) and not request.FILES.get("file"):
        return redirect(_step_url(application, "oppsummering"))

    def save(form):
        attachment = services.attachment_add(
            actor=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.original_name})

    return _step_form(request, application, "vedlegg", form, save, **context)


def _summary_context(application) -> dict:
    return {
        **_attachment_context(application),
        **_budget(application),
        **_format_org(application.organisation),
    }


def _format_org(organisation) -> dict:
    return {
        "org_number": format_org_number(organisation.org_number),
        "account_number": format_account_number(organisation.account_number),
    }


def _step_summary(request, application):
    return _render_step(request, application, "oppsummering", **_summary_context(application))


STEP_VIEWS = {
    "organisasjon": _step_organisation,
    "tiltak": _step_measure,
    "budsjett": _step_budget,
    "vedlegg": _step_attachments,
    "oppsummering": _step_summary,
}


@login_required
def application_step(request, pk: int, step: str):
    if step not in STEP_VIEWS:
        raise Http404
    application = _application(request, pk)
    if not permissions.can_edit_draft(request.user, application):
        return _detail(application)
    return STEP_VIEWS[step](request, application)


@login_required
@require_POST
def application_submit(request, pk: int):
    application = _application(request, pk)
    if application.status != S.DRAFT:
        return _detail(application)
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as exc:
        return _render_step(
            request,
            application,
            "oppsummering",
            status=400,
            submit_errors=exc.messages,
            **_summary_context(application),
        )
    return redirect("grants:application_receipt", pk=application.pk)


@login_required
def application_receipt(request, pk: int):
    application = _application(request, pk)
    if application.status == S.DRAFT:
        return redirect(_step_url(application, _first_open_step(application)))
    return render(request, "grants/application_receipt.html", {"application": application})


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
                "label": _("Decision") if key == "vedtak" else S(key).label,
                "state": state,
                # Which decision: granted, rejected or lapsed.
                "status": S(application.status).label
                if state == "current" and key == "vedtak"
                else "",
            }
        )
    return rows


def _can_appeal(application, decision, open_appeal) -> bool:
    return bool(
        decision
        and decision.notified_at
        and application.status in (S.GRANTED, S.REJECTED, S.ACCEPTED)
        and open_appeal is None
    )


def _decisions(application) -> list[Decision]:
    decisions = list(application.decisions.all())
    for decision in decisions:
        decision.letter_ready = decision.letter_status == Decision.LetterStatus.READY
    return decisions


def _case_context(application, **forms) -> dict:
    decisions = _decisions(application)
    decision = selectors.current_decision_of(application)
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
        "can_message": application.status not in (S.DRAFT, S.WITHDRAWN, S.CLOSED, S.LAPSED),
        "can_accept": application.status == S.GRANTED and decision and decision.letter_ready,
        "can_report": application.status == S.ACCEPTED,
        "can_appeal": _can_appeal(application, decision, open_appeal),
        "appeal_late": bool(decision and timezone.localdate() > decision.appeal_deadline),
        "can_withdraw": application.status in workflow.WITHDRAWABLE,
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
    return render(request, "grants/application_detail.html", _case_context(application))


@login_required
@require_POST
def application_message(request, pk: int):
    application = _application(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.applicant_message(
                actor=request.user, application=application, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Your message is sent to the district."))
            return redirect(reverse("grants:application_detail", args=[pk]) + "#messages")
    return render(
        request,
        "grants/application_detail.html",
        _case_context(application, message_form=form),
        status=400,
    )


def _confirm_page(request, application, form_class, template: str, act, context, allowed: bool):
    """A GET confirmation page with a form whose POST calls ``act(form)``."""
    if request.method == "GET" and not allowed:
        messages.info(request, _("That is not possible at this stage of the case."))
        return _detail(application)
    form = form_class(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = act(form)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, done)
            return _detail(application)
    context = {"application": application, "form": form, **context}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def application_withdraw(request, pk: int):
    application = _application(request, pk)

    def act(form):
        services.application_withdraw(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        )
        return _("The application is withdrawn.")

    return _confirm_page(
        request,
        application,
        WithdrawForm,
        "grants/application_withdraw.html",
        act,
        {},
        allowed=application.status in workflow.WITHDRAWABLE,
    )


@login_required
def grant_accept(request, pk: int):
    application = _application(request, pk)
    _decisions(application)
    decision = selectors.current_decision_of(application)

    def act(form):
        services.grant_accept(actor=request.user, application=application)
        return _("Thank you. The grant is accepted. Send the final report by %(date)s.") % {
            "date": _date(application.round.report_deadline)
        }

    return _confirm_page(
        request,
        application,
        AcceptForm,
        "grants/grant_accept.html",
        act,
        {"decision": decision},
        allowed=application.status == S.GRANTED and decision is not None,
    )


@login_required
def appeal_submit(request, pk: int):
    application = _application(request, pk)
    decision = selectors.current_decision_of(application)
    open_appeal = next((a for a in application.appeals.all() if a.is_open), None)

    def act(form):
        appeal = services.appeal_submit(
            actor=request.user, application=application, text=form.cleaned_data["text"]
        )
        if appeal.is_late:
            return _(
                "Your appeal is received. It came after the deadline and is registered as "
                "late, but the district will still consider it."
            )
        return _("Your appeal is received. The district will consider it first.")

    late = bool(decision and timezone.localdate() > decision.appeal_deadline)
    return _confirm_page(
        request,
        application,
        AppealForm,
        "grants/appeal_form.html",
        act,
        {"decision": decision, "late": late},
        allowed=_can_appeal(application, decision, open_appeal),
    )


@login_required
def report_submit(request, pk: int):
    application = _application(request, pk)
    if request.method == "GET" and application.status != S.ACCEPTED:
        messages.info(request, _("The final report is sent once the grant is accepted."))
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
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                services.attachment_add(
                    actor=request.user,
                    application=application,
                    kind=AttachmentKind.REPORT_DOCUMENTATION,
                    upload=form.cleaned_data["file"],
                    for_report=True,
                )
            services.report_submit(
                actor=request.user,
                application=application,
                what_was_done=form.cleaned_data["what_was_done"],
                participants=form.cleaned_data["participants"],
                dugnad_hours=form.cleaned_data["dugnad_hours"],
                actuals=form.actuals(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The final report is sent. The district will review it."))
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


# --- Files --------------------------------------------------------------------------------------


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    if attachment.for_report:
        return redirect("grants:report_submit", pk=pk)
    if application.status != S.DRAFT:
        return _detail(application)
    return redirect(_step_url(application, "vedlegg"))


@login_required
def decision_letter(request, pk: int, decision_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    decision = get_object_or_404(
        application.decisions.filter(letter_status=Decision.LetterStatus.READY), pk=decision_pk
    )
    if not decision.letter:
        raise Http404
    try:
        handle = decision.letter.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = f"vedtak-{application.reference}-{decision.pk}.pdf"
    return FileResponse(handle, filename=name, content_type="application/pdf")


urlpatterns = [
    path("tilskudd/", rounds, name="rounds"),
    path("tilskudd/utlysning/<slug:slug>/", round_detail, name="round_detail"),
    path("tilskudd/utlysning/<slug:slug>/sok/", application_start, name="application_start"),
    path("tilskudd/organisasjoner/", organisations, name="organisations"),
    path("tilskudd/organisasjoner/ny/", organisation_create, name="organisation_create"),
    path("tilskudd/organisasjoner/<int:pk>/", organisation_detail, name="organisation_detail"),
    path("tilskudd/invitasjon/<str:token>/", invitation_accept, name="invitation_accept"),
    path("tilskudd/soknader/", my_applications, name="my_applications"),
    path("tilskudd/soknader/<int:pk>/", application_detail, name="application_detail"),
    path("tilskudd/soknader/<int:pk>/steg/<str:step>/", application_step, name="application_step"),
    path(
        "tilskudd/soknader/<int:pk>/vedlegg/<int:attachment_pk>/",
        attachment_download,
        name="attachment_download",
    ),
    path(
        "tilskudd/soknader/<int:pk>/vedlegg/<int:attachment_pk>/fjern/",
        attachment_remove,
        name="attachment_remove",
    ),
    path("tilskudd/soknader/<int:pk>/send/", application_submit, name="application_submit"),
    path("tilskudd/soknader/<int:pk>/kvittering/", application_receipt, name="application_receipt"),
    path("tilskudd/soknader/<int:pk>/trekk/", application_withdraw, name="application_withdraw"),
    path("tilskudd/soknader/<int:pk>/melding/", application_message, name="application_message"),
    path(
        "tilskudd/soknader/<int:pk>/vedtak/<int:decision_pk>/brev.pdf",
        decision_letter,
        name="decision_letter",
    ),
    path("tilskudd/soknader/<int:pk>/aksepter/", grant_accept, name="grant_accept"),
    path("tilskudd/soknader/<int:pk>/sluttrapport/", report_submit, name="report_submit"),
    path("tilskudd/soknader/<int:pk>/klage/", appeal_submit, name="appeal_submit"),
]
