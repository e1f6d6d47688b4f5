"""Staff pages for residents' comments on a programme: the comments given on it, and taking
an input into one of its measures (``services.comment_take_in``). The district's editors
take in; other staff who may see the programme read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from participation.permissions import inputs_visible_to

from .. import permissions
from ..comments import TAKE_IN
from ..models import ActionProgramme, ProgrammeComment


def _programme(request, area: str, year: int) -> ActionProgramme:
    if not permissions.can_view_staff_pages(request.user) or not 2000 <= year <= 2100:
        raise Http404
    return get_object_or_404(
        permissions.programmes_visible_to(request.user).select_related("area__district"),
        area__slug=area,
        year=year,
    )


def _url(programme: ActionProgramme) -> str:
    return reverse(
        "programmes:staff_comments", kwargs={"area": programme.area.slug, "year": programme.year}
    )


@login_required
@require_GET
def staff_comments(request, area: str, year: int):
    """Every comment given on the programme, with its follow-up, and a way to take it into a
    measure for those who may."""
    programme = _programme(request, area, year)
    comments = (
        ProgrammeComment.objects.filter(programme=programme)
        .select_related(
            "input", "measure__project", "input__taken_into_plan_link__measure__project"
        )
        .order_by("-created_at", "-pk")
    )
    measures = list(programme.measures.select_related("project").order_by("position", "pk"))
    return render(
        request,
        "programmes/comments_staff.html",
        {
            "programme": programme,
            "comments": comments,
            "measures": measures,
            "may_take_in": TAKE_IN.allowed(request.user, programme),
            "refusal": TAKE_IN.check(request.user, programme),
        },
    )


@login_required
@require_POST
def staff_comment_take_in(request, area: str, year: int, pk: int):
    """POST ``measure`` (a measure's id): take the input ``pk`` of the programme's area into
    it. Another district's input is a 404; a reader who may not take in gets a 403."""
    programme = _programme(request, area, year)
    item = get_object_or_404(
        inputs_visible_to(request.user).filter(area_id=programme.area_id), pk=pk
    )
    refusal = TAKE_IN.check(request.user, programme)
    if refusal is not None and refusal.forbidden:
        raise PermissionDenied
    # The page's form names its fields plainly; the input is the one in the URL.
    data = {
        "take_in-input": str(item.pk),
        "take_in-measure": request.POST.get("measure", ""),
        "take_in-response": request.POST.get("response", ""),
    }
    form = TAKE_IN.get_form(request.user, programme, data=data)
    if refusal is not None:
        messages.error(request, str(refusal))
    elif not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            messages.success(request, TAKE_IN.execute(request.user, programme, form))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_url(programme))


urlpatterns = [
    path(
        "intern/handlingsprogram/<slug:area>/<int:year>/kommentarer/",
        staff_comments,
        name="staff_comments",
    ),
    path(
        "intern/handlingsprogram/<slug:area>/<int:year>/innspill/<int:pk>/ta-inn/",
        staff_comment_take_in,
        name="staff_comment_take_in",
    ),
]
