"""Writing a programme on the staff side: its text and participation step, the goals and
strategies under each delmål, and its measures (add, remove, move, comment).

Every page reads for everyone in scope, without a form for those who may not write; every
write asks the Edit action's check first (``programmes.actions.EDIT``), so a role that may not
write gets a 403 and an adopted programme shows the reason (status 400) with nothing written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.actions import ActionRefused
from core.forms import show_service_errors
from core.views import run_action

from .. import permissions, selectors, services
from ..actions import EDIT
from ..forms import GoalForm, MeasureAddForm, MeasureCommentForm
from ..models import PROSE_FIELDS, ActionProgramme, Measure
from ._staff import (
    PROGRAMME,
    edit_refusal,
    get_programme,
    no_such_id,
    url_of,
)

# --- Writing the text ---------------------------------------------------------------------------


@login_required
def staff_programme_edit(request, pk: int):
    """The prose and participation step. Readers see what is written, without a form."""
    programme = get_programme(request, pk)
    context = {"programme": programme, "fields": _prose(programme)}
    if request.method == "POST":
        done, form = run_action(request, EDIT, programme)
        if done:
            return redirect("programmes:staff_programme", pk=programme.pk)
        context["form"] = form
        return render(request, "programmes/staff/programme_edit.html", context, status=400)
    refusal = EDIT.check(request.user, programme)
    if refusal is None:
        context["form"] = EDIT.get_form(request.user, programme)
    elif permissions.can_edit(request.user, programme):
        context["reason"] = str(refusal)
    return render(request, "programmes/staff/programme_edit.html", context)


def _prose(programme: ActionProgramme) -> list[tuple[str, str]]:
    return [
        (ActionProgramme._meta.get_field(name).verbose_name, getattr(programme, name))
        for name in PROSE_FIELDS
    ]


@login_required
def staff_goal_edit(request, pk: int, number: int):
    """The area's local goal and strategies under one delmål."""
    programme = get_programme(request, pk)
    sub_goal = next((g for g in selectors.sub_goals(programme) if g.number == number), None)
    if sub_goal is None:
        raise Http404
    goal = selectors.goals_by_sub_goal(programme).get(sub_goal.pk)
    initial = {"local_goal": goal.local_goal, "strategies": goal.strategies} if goal else {}
    context = {"programme": programme, "sub_goal": sub_goal, "goal": goal}
    if request.method == "POST":
        reason = edit_refusal(request, programme)
        form = GoalForm(request.POST, initial=initial)
        context["form"] = form
        if reason:
            form.is_valid()
            form.add_error(None, reason)
        elif form.is_valid():
            try:
                services.goal_save(
                    actor=request.user, programme=programme, sub_goal=sub_goal, **form.cleaned_data
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc.refusal))
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The goal and strategies under sub-goal %(number)s are saved.")
                    % {"number": sub_goal.number},
                )
                return redirect(url_of("staff_programme", programme) + f"#delmal-{number}")
        return render(request, "programmes/staff/goal_edit.html", context, status=400)
    refusal = EDIT.check(request.user, programme)
    if refusal is None:
        context["form"] = GoalForm(initial=initial)
    elif permissions.can_edit(request.user, programme):
        context["reason"] = str(refusal)
    return render(request, "programmes/staff/goal_edit.html", context)


# --- The measures -------------------------------------------------------------------------------


def _measures_page(request, programme, *, status=200, add_form=None, errors=()):
    refusal = EDIT.check(request.user, programme)
    can_change = refusal is None
    items = selectors.measures(programme)
    if add_form is None and can_change:
        add_form = MeasureAddForm(projects=selectors.addable_projects(programme))
    context = {
        "programme": programme,
        "measures": items,
        "can_change": can_change,
        "reason": (
            str(refusal) if refusal and permissions.can_edit(request.user, programme) else ""
        ),
        "add_form": add_form,
        "errors": list(errors),
        "last": len(items),
    }
    return render(request, "programmes/staff/measures.html", context, status=status)


def _get_measure(programme, measure_pk: int) -> Measure:
    no_such_id(measure_pk)
    measure = programme.measures.select_related("project").filter(pk=measure_pk).first()
    if measure is None:
        raise Http404
    measure.programme = programme
    return measure


@login_required
def staff_measures(request, pk: int):
    return _measures_page(request, get_programme(request, pk))


def _measure_write(request, programme, write) -> str:
    """Run one write to the measures; "" when done, otherwise the reason it was refused."""
    reason = edit_refusal(request, programme)
    if reason:
        return reason
    try:
        write()
    except ActionRefused as exc:
        return str(exc.refusal)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
@require_POST
def staff_measure_add(request, pk: int):
    programme = get_programme(request, pk)
    reason = edit_refusal(request, programme)
    form = MeasureAddForm(request.POST, projects=selectors.addable_projects(programme))
    if reason:
        form.is_valid()
        form.add_error(None, reason)
    elif form.is_valid():
        try:
            measure = services.measure_add(
                actor=request.user, programme=programme, project=form.cleaned_data["project"]
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc.refusal))
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s is added to the measures.") % {"title": measure.project.title},
            )
            return redirect(url_of("staff_measures", programme) + f"#measure-{measure.pk}")
    return _measures_page(request, programme, status=400, add_form=form)


@login_required
@require_POST
def staff_measure_remove(request, pk: int, measure_pk: int):
    programme = get_programme(request, pk)
    measure = _get_measure(programme, measure_pk)
    title = measure.project.title
    reason = _measure_write(
        request,
        programme,
        lambda: services.measure_remove(actor=request.user, measure=measure),
    )
    if reason:
        return _measures_page(request, programme, status=400, errors=[reason])
    messages.success(
        request,
        _("%(title)s is taken out of the measures. The project itself is unchanged.")
        % {"title": title},
    )
    return redirect("programmes:staff_measures", pk=programme.pk)


@login_required
@require_POST
def staff_measure_move(request, pk: int, measure_pk: int):
    programme = get_programme(request, pk)
    measure = _get_measure(programme, measure_pk)
    up = request.POST.get("retning") != "ned"
    reason = _measure_write(
        request,
        programme,
        lambda: services.measure_move(actor=request.user, measure=measure, up=up),
    )
    if reason:
        return _measures_page(request, programme, status=400, errors=[reason])
    return redirect(url_of("staff_measures", programme) + f"#measure-{measure.pk}")


@login_required
def staff_measure_comment(request, pk: int, measure_pk: int):
    """What the programme says of one measure this year."""
    programme = get_programme(request, pk)
    measure = _get_measure(programme, measure_pk)
    context = {"programme": programme, "measure": measure}
    if request.method == "POST":
        reason = edit_refusal(request, programme)
        form = MeasureCommentForm(request.POST)
        context["form"] = form
        if reason:
            form.is_valid()
            form.add_error(None, reason)
        elif form.is_valid():
            try:
                services.measure_comment(
                    actor=request.user, measure=measure, comment=form.cleaned_data["comment"]
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc.refusal))
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The comment on %(title)s is saved.") % {"title": measure.project.title},
                )
                return redirect(url_of("staff_measures", programme) + f"#measure-{measure.pk}")
        return render(request, "programmes/staff/measure_comment.html", context, status=400)
    refusal = EDIT.check(request.user, programme)
    if refusal is None:
        context["form"] = MeasureCommentForm(initial={"comment": measure.comment})
    elif permissions.can_edit(request.user, programme):
        context["reason"] = str(refusal)
    return render(request, "programmes/staff/measure_comment.html", context)


MEASURE = PROGRAMME + "tiltak/<int:measure_pk>/"

urlpatterns = [
    path(PROGRAMME + "endre/", staff_programme_edit, name="staff_programme_edit"),
    path(PROGRAMME + "mal/<int:number>/", staff_goal_edit, name="staff_goal_edit"),
    path(PROGRAMME + "tiltak/", staff_measures, name="staff_measures"),
    path(PROGRAMME + "tiltak/legg-til/", staff_measure_add, name="staff_measure_add"),
    path(MEASURE + "kommentar/", staff_measure_comment, name="staff_measure_comment"),
    path(MEASURE + "fjern/", staff_measure_remove, name="staff_measure_remove"),
    path(MEASURE + "flytt/", staff_measure_move, name="staff_measure_move"),
]
