"""The application in steps: starting a draft in a round, the five steps, the draft's
attachments, submitting, and the receipt.

Applications are fetched only through the applicant's scope (``applications_for_applicant``):
another organisation's application is a 404. Each step saves through a service; a service's
ValidationError is shown on the form field it names and the step is re-rendered with status 400
and everything the user typed. "Save and continue" also checks the round's rules for the step
(``rules.problems``): a broken rule keeps the user on the step with its message at its field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import show_service_errors

from .. import permissions, rules, selectors, services, steps
from ..forms.applicant import (
    EXTRA_COST_LINES,
    MAX_COST_LINES,
    ApplicationStartForm,
    AttachmentForm,
    BudgetForm,
    MeasureForm,
    OrganisationChoiceForm,
)
from ..models import AttachmentKind, GrantApplication
from ..services.applications import MEASURE_FIELDS
from ._common import (
    S,
    _application,
    _budget,
    _detail,
    _files,
    _first_open_step,
    _format_org,
    _kind_labels,
    _posted,
    _round,
    _step_url,
)

STEP_LABELS = {
    steps.ORGANISATION: gettext_lazy("Organisation"),
    steps.MEASURE: gettext_lazy("The measure"),
    steps.BUDGET: gettext_lazy("Budget"),
    steps.ATTACHMENTS: gettext_lazy("Attachments"),
    steps.SUMMARY: gettext_lazy("Review and submit"),
}


@login_required
def application_start(request, slug: str):
    grant_round = _round(slug)
    organisations = selectors.organisations_of(request.user)
    form = ApplicationStartForm(_posted(request), organisations=organisations)
    closed = rules.round_problems(grant_round)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_start(
                    actor=request.user,
                    grant_round=grant_round,
                    organisation=form.cleaned_data["organisation"],
                    start_key=form.cleaned_data["start_key"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
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


# --- The application in steps -------------------------------------------------------------------


def _steps(application: GrantApplication, current: str, problems) -> list[dict]:
    incomplete = {p.step for p in problems}
    return [
        {
            "number": number,
            "label": STEP_LABELS[step],
            "url": _step_url(application, step),
            "current": step == current,
            "done": step != steps.SUMMARY and step not in incomplete,
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


def _render_step(request, application, step: str, status: int = 200, **context):
    if request.method == "POST":
        application = _application(request, application.pk)  # as the step's save left it
        if step in _SAVED_FIGURES:
            context.update(_SAVED_FIGURES[step](application))
    problems = rules.problems(application)
    # After a refused "Save and continue" the error summary names this step's problems.
    shown = [] if context.get("summary_intro") else [p for p in problems if p.step == step]
    index = rules.STEPS.index(step)
    context.update(
        {
            "application": application,
            "round": application.round,
            "step": step,
            "step_label": STEP_LABELS[step],
            "steps": _steps(application, step, problems),
            "step_problems": _problem_rows(application, shown),
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


def _rules_on_form(form, problems) -> None:
    """Put each broken round rule on the field where it is fixed (``Problem.field``): the
    cost lines of the budget have their own place on the form, anything else goes on top."""
    for problem in problems:
        if problem.field == "cost_lines" and hasattr(form, "lines_error"):
            form.lines_error = problem.message
        elif problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            form.add_error(None, problem.message)


def _step_form(request, application, step: str, form, save, **context):
    """The common round trip of a step: validate, save through the service, or show the errors.

    "Save and continue" on a step whose round rules fail keeps the user on the step, as the
    GOV.UK Design System's validation pattern and NAV's Aksel ("Skjemavalidering") recommend
    for a question page: the error summary on top links to each message, and each message
    stands at its field. What was typed is saved in the draft first (as "Save draft" would),
    so nothing is lost, and the summary says so; only the move to the next step is refused.
    """
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                broken = _step_rules(request, application, step)
                if not broken:
                    return _saved(request, application, step)
                _rules_on_form(form, broken)
                context["summary_intro"] = _(
                    "The draft is saved, but you cannot go on until this is fixed:"
                )
        return _render_step(request, application, step, status=400, form=form, **context)
    return _render_step(request, application, step, form=form, **context)


def _step_rules(request, application, step: str) -> list:
    """The round rules the saved step breaks, when the user wants to go on; none for "Save"."""
    if not _continuing(request):
        return []
    saved = _application(request, application.pk)
    return [p for p in rules.problems(saved) if p.step == step]


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
        steps.ORGANISATION,
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

    return _step_form(request, application, steps.MEASURE, form, save)


def _step_budget(request, application):
    # The saved lines fill the rows of a new page only. A posted row counts by what it holds:
    # with the saved lines as its "initial", a row typed before a refused "Save and continue"
    # (and saved then) would look unchanged on the next post and be dropped.
    lines = (
        []
        if request.method == "POST"
        else [
            {"description": c.description, "amount": c.amount} for c in application.cost_lines.all()
        ]
    )
    initial = {name: getattr(application, name) for name in BudgetForm.Meta.fields}
    rows = request.GET.get("rader", "")
    extra = min(int(rows), MAX_COST_LINES) if rows.isdecimal() else EXTRA_COST_LINES
    if request.method == "POST" and request.POST.get("action") == "more_lines":
        # Without JavaScript: save what is typed, then the same page with more empty rows.
        data = request.POST.copy()
        total = data.get("lines-TOTAL_FORMS", "")
        count = int(total) if total.isdecimal() else 0
        data["lines-TOTAL_FORMS"] = str(min(count + EXTRA_COST_LINES, MAX_COST_LINES))
        form = BudgetForm(data, initial=initial, lines_initial=lines, complete=False)
        if form.is_valid():
            try:
                _save_budget(request, application, form)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                empty = len(form.lines.forms) - len(form.cost_lines())
                url = _step_url(application, steps.BUDGET)
                return redirect(f"{url}?rader={max(empty, EXTRA_COST_LINES)}#cost-lines")
        return _render_step(
            request, application, steps.BUDGET, status=400, form=form, **_budget(application)
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
        steps.BUDGET,
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
    if request.method == "POST" and _continuing(request):
        form.fields["file"].required = False  # going on without a new file is fine …

    def save(form):
        if not form.cleaned_data.get("file"):
            return  # … unless a document the round requires is missing (``_step_rules``)
        attachment = services.attachment_add(
            actor=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.original_name})

    return _step_form(request, application, steps.ATTACHMENTS, form, save, **context)


def _summary_context(application) -> dict:
    return {
        **_attachment_context(application),
        **_budget(application),
        **_format_org(application.organisation),
    }


def _step_summary(request, application):
    return _render_step(request, application, steps.SUMMARY, **_summary_context(application))


# What a step shows of the draft as saved, recomputed after a POST has saved the step.
_SAVED_FIGURES = {steps.BUDGET: _budget, steps.ATTACHMENTS: _attachment_context}

STEP_VIEWS = {
    steps.ORGANISATION: _step_organisation,
    steps.MEASURE: _step_measure,
    steps.BUDGET: _step_budget,
    steps.ATTACHMENTS: _step_attachments,
    steps.SUMMARY: _step_summary,
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
            steps.SUMMARY,
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
    return redirect(_step_url(application, steps.ATTACHMENTS))


urlpatterns = [
    path("tilskudd/utlysning/<slug:slug>/sok/", application_start, name="application_start"),
    path("tilskudd/soknader/<int:pk>/steg/<str:step>/", application_step, name="application_step"),
    path(
        "tilskudd/soknader/<int:pk>/vedlegg/<int:attachment_pk>/fjern/",
        attachment_remove,
        name="attachment_remove",
    ),
    path("tilskudd/soknader/<int:pk>/send/", application_submit, name="application_submit"),
    path("tilskudd/soknader/<int:pk>/kvittering/", application_receipt, name="application_receipt"),
]
