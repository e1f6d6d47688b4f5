"""What the programme's staff view modules share: who may open staff pages at all, fetching a
programme through the user's scope, the check before a write, and the programme's page with its
PDF status (shown again with a reason when a write is refused). No URLs here.

The order of the checks is the house rule: no staff role is a 403, out of scope a 404, in scope
but not allowed a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .. import permissions, selectors
from ..actions import EDIT, PROGRAMME_ACTIONS
from ..compose import compose, content_hash
from ..models import ActionProgramme, ProgrammeVersion, Rendering
from ..paging import content_pages

R = Rendering.Status
PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 100
# How often the page asks again while the PDF is queued or being made.
POLL_SECONDS = 2
# The largest id a database row can have: a larger number in an address finds nothing (and
# never reaches the database, which could not compare it).
MAX_ID = 2**63 - 1
# The address of a programme's staff pages; each module adds its own below it.
PROGRAMME = "intern/handlingsprogram/<int:pk>/"

# --- Scope and checks ---------------------------------------------------------------------------


def staff_user(request):
    if not permissions.can_view_staff_pages(request.user):
        raise PermissionDenied
    return request.user


def no_such_id(*ids: int) -> None:
    if any(value > MAX_ID for value in ids):
        raise Http404


def get_programme(request, pk: int) -> ActionProgramme:
    staff_user(request)
    no_such_id(pk)
    try:
        return selectors.staff_programme(request.user, pk)
    except ActionProgramme.DoesNotExist as exc:
        raise Http404 from exc


def edit_refusal(request, programme: ActionProgramme) -> str:
    """For a write to the content: a 403 for a role that may not write here; otherwise the
    reason it cannot be written now (the programme is adopted), or "" when it can."""
    refusal = EDIT.check(request.user, programme)
    if refusal is None:
        return ""
    if refusal.forbidden:
        raise PermissionDenied(str(refusal))
    return str(refusal)


def url_of(url_name: str, programme: ActionProgramme, /, **kwargs) -> str:
    return reverse(f"programmes:{url_name}", kwargs={"pk": programme.pk, **kwargs})


# --- The programme's page -----------------------------------------------------------------------


def frozen_version(programme: ActionProgramme) -> ProgrammeVersion | None:
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
        "status_url": url_of("staff_rendering_status", programme),
        "page_url": url_of("staff_programme", programme) + "#pdf",
        "outdated": bool(
            rendering and digest and not programme.is_frozen and rendering.content_hash != digest
        ),
        "may_retry": may_write and status == R.FAILED,
    }
    if rendering is not None:
        context["download_url"] = url_of(
            "staff_rendering_download", programme, rendering_pk=rendering.pk
        )
        context["retry_url"] = url_of("staff_rendering_retry", programme, rendering_pk=rendering.pk)
    return context


def programme_context(request, programme: ActionProgramme, bound=None, **extra) -> dict:
    user = request.user
    version = frozen_version(programme)
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
            url_for=lambda action, p: url_of("staff_action", p, name=action.name),
            bound=bound,
        ),
        "notices": PROGRAMME_ACTIONS.notices(user, programme),
        "sub_goals": selectors.sub_goals(programme),
        "can_request_pdf": edit_refusal is None
        and (pdf["rendering"] is None or pdf["outdated"] or pdf["failed"]),
        "pdf": pdf,
        "is_public": permissions.programmes_public().filter(pk=programme.pk).exists(),
        **content_pages(request, content),
        **extra,
    }


def programme_page(request, programme, *, status=200, **extra):
    context = programme_context(request, programme, **extra)
    return render(request, "programmes/staff/programme.html", context, status=status)
