"""Staff pages of the handlingsprogram: the list, starting one, writing it, its actions and
the PDF's progress.

Programmes are fetched only through the staff scope (``permissions.programmes_visible_to``):
no staff role is a 403, out of scope a 404. Every page reads for everyone in scope; every POST
asks the action's check first, so a role that may not write gets a 403 and a programme that is
adopted shows the action's reason on the page (status 400) with nothing written. The board
and the district's case handlers read the same pages without any form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.actions import ActionRefused
from core.files import private_file_response
from core.forms import show_service_errors
from core.views import run_action

from .. import history, permissions, selectors, services
from ..actions import EDIT, PROGRAMME_ACTIONS
from ..compose import compose, content_hash
from ..filters import ProgrammeFilter
from ..forms import GoalForm, MeasureAddForm, MeasureCommentForm, ProgrammeCreateForm
from ..models import PROSE_FIELDS, ActionProgramme, Measure, ProgrammeVersion, Rendering

R = Rendering.Status
PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 100
# How often the page asks again while the PDF is queued or being made.
POLL_SECONDS = 2
# The largest id a database row can have: a larger number in an address finds nothing (and
# never reaches the database, which could not compare it).
MAX_ID = 2**63 - 1

# --- Scope and checks ---------------------------------------------------------------------------


def _staff_user(request):
    if not permissions.can_view_staff_pages(request.user):
        raise PermissionDenied
    return request.user


def _no_such_id(*ids: int) -> None:
    if any(value > MAX_ID for value in ids):
        raise Http404


def _get(request, pk: int) -> ActionProgramme:
    _staff_user(request)
    _no_such_id(pk)
    try:
        return selectors.staff_programme(request.user, pk)
    except ActionProgramme.DoesNotExist as exc:
        raise Http404 from exc


def _edit_refusal(request, programme: ActionProgramme) -> str:
    """For a write to the content: a 403 for a role that may not write here; otherwise the
    reason it cannot be written now (the programme is adopted), or "" when it can."""
    refusal = EDIT.check(request.user, programme)
    if refusal is None:
        return ""
    if refusal.forbidden:
        raise PermissionDenied(str(refusal))
    return str(refusal)


def _paginate(request, items, size: int):
    page = Paginator(items, size).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return page, query.urlencode()


def _url(url_name: str, programme: ActionProgramme, /, **kwargs) -> str:
    return reverse(f"programmes:{url_name}", kwargs={"pk": programme.pk, **kwargs})


# --- The list and starting a programme ----------------------------------------------------------


def _create_form(user, data=None):
    areas = permissions.areas_for_editor(user)
    if not areas.exists():
        return None
    return ProgrammeCreateForm(data, areas=areas)


@login_required
def staff_programmes(request):
    user = _staff_user(request)
    programme_filter = ProgrammeFilter(
        request.GET or None, queryset=permissions.programmes_visible_to(user)
    )
    page, query = _paginate(request, selectors.programme_list(programme_filter.qs), PAGE_SIZE)
    return render(
        request,
        "programmes/staff/programme_list.html",
        {
            "filter": programme_filter,
            "page": page,
            "query": query,
            "create_form": _create_form(user),
        },
    )


@login_required
def staff_programme_create(request):
    user = _staff_user(request)
    form = _create_form(user, request.POST if request.method == "POST" else None)
    if form is None:
        raise PermissionDenied
    if request.method == "POST":
        if form.is_valid():
            try:
                programme = services.programme_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The programme for %(year)s is started as a draft.")
                    % {"year": programme.year},
                )
                return redirect("programmes:staff_programme", pk=programme.pk)
        return render(request, "programmes/staff/programme_create.html", {"form": form}, status=400)
    return render(request, "programmes/staff/programme_create.html", {"form": form})


# --- The programme's page -----------------------------------------------------------------------


def _frozen_version(programme: ActionProgramme) -> ProgrammeVersion | None:
    if not programme.is_frozen:
        return None
    return ProgrammeVersion.objects.filter(programme=programme, number=programme.version).first()


def rendering_context(request, programme: ActionProgramme, *, digest: str | None = None) -> dict:
    """What the PDF's status fragment shows. ``digest`` is the hash of what the page shows now:
    with it, a PDF of older content is said to be out of date."""
    rendering = selectors.current_rendering(programme)
    may_write = permissions.can_edit(request.user, programme)
    status = rendering.status if rendering else ""
    context = {
        "programme": programme,
        "rendering": rendering,
        "queued": status == R.QUEUED,
        "in_progress": status == R.RENDERING,
        "ready": status == R.READY,
        "failed": status == R.FAILED,
        "polling": status in (R.QUEUED, R.RENDERING),
        "poll_seconds": POLL_SECONDS,
        "status_url": _url("staff_rendering_status", programme),
        "page_url": _url("staff_programme", programme) + "#pdf",
        "outdated": bool(
            rendering and digest and not programme.is_frozen and rendering.content_hash != digest
        ),
        "may_retry": may_write and status == R.FAILED,
    }
    if rendering is not None:
        context["download_url"] = _url(
            "staff_rendering_download", programme, rendering_pk=rendering.pk
        )
        context["retry_url"] = _url("staff_rendering_retry", programme, rendering_pk=rendering.pk)
    return context


def _programme_context(request, programme: ActionProgramme, bound=None, **extra) -> dict:
    user = request.user
    version = _frozen_version(programme)
    content = version.content if version else compose(programme)
    digest = content_hash(content)
    edit_refusal = EDIT.check(user, programme)
    may_edit = permissions.can_edit(user, programme)
    pdf = rendering_context(request, programme, digest=digest)
    return {
        "programme": programme,
        "content": content,
        "version_record": version,
        "can_change": edit_refusal is None,
        # An editor is told why the content cannot be written now; a reader is not.
        "edit_reason": str(edit_refusal) if may_edit and edit_refusal else "",
        "actions": PROGRAMME_ACTIONS.bind(
            user,
            programme,
            url_for=lambda action, p: _url("staff_action", p, name=action.name),
            bound=bound,
        ),
        "notices": PROGRAMME_ACTIONS.notices(user, programme),
        "sub_goals": selectors.sub_goals(programme),
        "can_request_pdf": edit_refusal is None
        and (pdf["rendering"] is None or pdf["outdated"] or pdf["failed"]),
        "pdf": pdf,
        **extra,
    }


def _programme_page(request, programme, *, status=200, **extra):
    context = _programme_context(request, programme, **extra)
    return render(request, "programmes/staff/programme.html", context, status=status)


@login_required
def staff_programme(request, pk: int):
    return _programme_page(request, _get(request, pk))


@login_required
@require_POST
def staff_action(request, pk: int, name: str):
    """The POST view of a status action: out of scope 404, refused 403, errors 400."""
    programme = _get(request, pk)
    if name not in PROGRAMME_ACTIONS:
        raise Http404
    done, form = run_action(request, PROGRAMME_ACTIONS[name], programme)
    if done:
        return redirect("programmes:staff_programme", pk=programme.pk)
    return _programme_page(request, _get(request, pk), status=400, bound={name: form})


# --- Writing the text ---------------------------------------------------------------------------


@login_required
def staff_programme_edit(request, pk: int):
    """The prose and participation step. Readers see what is written, without a form."""
    programme = _get(request, pk)
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
    programme = _get(request, pk)
    sub_goal = next((g for g in selectors.sub_goals(programme) if g.number == number), None)
    if sub_goal is None:
        raise Http404
    goal = selectors.goals_by_sub_goal(programme).get(sub_goal.pk)
    initial = {"local_goal": goal.local_goal, "strategies": goal.strategies} if goal else {}
    context = {"programme": programme, "sub_goal": sub_goal, "goal": goal}
    if request.method == "POST":
        reason = _edit_refusal(request, programme)
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
                return redirect(_url("staff_programme", programme) + f"#delmal-{number}")
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
    _no_such_id(measure_pk)
    measure = programme.measures.select_related("project").filter(pk=measure_pk).first()
    if measure is None:
        raise Http404
    measure.programme = programme
    return measure


@login_required
def staff_measures(request, pk: int):
    return _measures_page(request, _get(request, pk))


def _measure_write(request, programme, write) -> str:
    """Run one write to the measures; "" when done, otherwise the reason it was refused."""
    reason = _edit_refusal(request, programme)
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
    programme = _get(request, pk)
    reason = _edit_refusal(request, programme)
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
            return redirect(_url("staff_measures", programme) + f"#measure-{measure.pk}")
    return _measures_page(request, programme, status=400, add_form=form)


@login_required
@require_POST
def staff_measure_remove(request, pk: int, measure_pk: int):
    programme = _get(request, pk)
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
    programme = _get(request, pk)
    measure = _get_measure(programme, measure_pk)
    up = request.POST.get("retning") != "ned"
    reason = _measure_write(
        request,
        programme,
        lambda: services.measure_move(actor=request.user, measure=measure, up=up),
    )
    if reason:
        return _measures_page(request, programme, status=400, errors=[reason])
    return redirect(_url("staff_measures", programme) + f"#measure-{measure.pk}")


@login_required
def staff_measure_comment(request, pk: int, measure_pk: int):
    """What the programme says of one measure this year."""
    programme = _get(request, pk)
    measure = _get_measure(programme, measure_pk)
    context = {"programme": programme, "measure": measure}
    if request.method == "POST":
        reason = _edit_refusal(request, programme)
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
                return redirect(_url("staff_measures", programme) + f"#measure-{measure.pk}")
        return render(request, "programmes/staff/measure_comment.html", context, status=400)
    refusal = EDIT.check(request.user, programme)
    if refusal is None:
        context["form"] = MeasureCommentForm(initial={"comment": measure.comment})
    elif permissions.can_edit(request.user, programme):
        context["reason"] = str(refusal)
    return render(request, "programmes/staff/measure_comment.html", context)


# --- The PDF ------------------------------------------------------------------------------------


@login_required
@require_POST
def staff_rendering_request(request, pk: int):
    """ "Lag PDF": the PDF of the programme as it stands now, asked for once."""
    programme = _get(request, pk)
    reason = _edit_refusal(request, programme)
    if reason:
        return _programme_page(request, programme, status=400, pdf_errors=[reason])
    rendering = services.rendering_request(actor=request.user, programme=programme)
    if rendering.status == R.READY:
        messages.success(request, _("The PDF of the programme as it stands is ready."))
    else:
        messages.success(request, _("The PDF is being made. This page shows when it is ready."))
    return redirect(_url("staff_programme", programme) + "#pdf")


@login_required
@require_POST
def staff_rendering_retry(request, pk: int, rendering_pk: int):
    """ "Prøv igjen": queue a failed PDF again."""
    programme = _get(request, pk)
    if not permissions.can_edit(request.user, programme):
        raise PermissionDenied
    _no_such_id(rendering_pk)
    rendering = Rendering.objects.filter(programme=programme, pk=rendering_pk).first()
    if rendering is None:
        raise Http404
    if rendering.status != R.FAILED:
        return _programme_page(
            request,
            programme,
            status=400,
            pdf_errors=[_("Only a PDF that failed can be tried again.")],
        )
    services.rendering_retry(rendering=rendering)
    messages.success(request, _("The PDF is being made again."))
    return redirect(_url("staff_programme", programme) + "#pdf")


@login_required
def staff_rendering_status(request, pk: int):
    """The PDF's progress as a fragment that htmx polls; without htmx, the programme's page."""
    programme = _get(request, pk)
    context = rendering_context(request, programme)
    if not request.htmx:
        return redirect(context["page_url"])
    response = render(request, "programmes/partials/_rendering_status.html", {"pdf": context})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def staff_rendering_download(request, pk: int, rendering_pk: int):
    """A ready PDF of the programme, from private storage, to those who may see the programme."""
    programme = _get(request, pk)
    _no_such_id(rendering_pk)
    rendering = Rendering.objects.filter(
        programme=programme, pk=rendering_pk, status=R.READY
    ).first()
    if rendering is None:
        raise Http404
    version = (rendering.content or {}).get("version") or programme.version
    filename = f"handlingsprogram-{programme.area.slug}-{programme.year}-v{version}.pdf"
    return private_file_response(rendering.pdf, filename=filename, content_type="application/pdf")


# --- History ------------------------------------------------------------------------------------


@login_required
def staff_history(request, pk: int):
    programme = _get(request, pk)
    page, query = _paginate(request, selectors.changes(programme), HISTORY_PAGE_SIZE)
    return render(
        request,
        "programmes/staff/history.html",
        {"programme": programme, "page": page, "rows": history.describe(page), "query": query},
    )


# --- URLs ---------------------------------------------------------------------------------------

PROGRAMME = "intern/handlingsprogram/<int:pk>/"
MEASURE = PROGRAMME + "tiltak/<int:measure_pk>/"

urlpatterns = [
    path("intern/handlingsprogram/", staff_programmes, name="staff_programmes"),
    path("intern/handlingsprogram/ny/", staff_programme_create, name="staff_programme_create"),
    path(PROGRAMME, staff_programme, name="staff_programme"),
    path(PROGRAMME + "endre/", staff_programme_edit, name="staff_programme_edit"),
    path(PROGRAMME + "mal/<int:number>/", staff_goal_edit, name="staff_goal_edit"),
    path(PROGRAMME + "tiltak/", staff_measures, name="staff_measures"),
    path(PROGRAMME + "tiltak/legg-til/", staff_measure_add, name="staff_measure_add"),
    path(MEASURE + "kommentar/", staff_measure_comment, name="staff_measure_comment"),
    path(MEASURE + "fjern/", staff_measure_remove, name="staff_measure_remove"),
    path(MEASURE + "flytt/", staff_measure_move, name="staff_measure_move"),
    path(PROGRAMME + "handling/<str:name>/", staff_action, name="staff_action"),
    path(PROGRAMME + "pdf/", staff_rendering_request, name="staff_rendering_request"),
    path(PROGRAMME + "pdf/status/", staff_rendering_status, name="staff_rendering_status"),
    path(
        PROGRAMME + "pdf/<int:rendering_pk>/prov-igjen/",
        staff_rendering_retry,
        name="staff_rendering_retry",
    ),
    path(
        PROGRAMME + "pdf/<int:rendering_pk>/last-ned/",
        staff_rendering_download,
        name="staff_rendering_download",
    ),
    path(PROGRAMME + "historikk/", staff_history, name="staff_history"),
]
