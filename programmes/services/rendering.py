"""The PDF of a programme: asked for, claimed by one worker, rendered once.

The ``Rendering`` row is the job. It is named by the hash of the composition it renders, so
asking twice for the same content returns the same row and the same file, and nothing is
rendered twice — also when two requests ask at the same moment (the unique hash decides which
insert wins; the other reads the winner's row).

A worker claims the row by its status and its task id (``rendering_claim``). What happens when
a worker dies mid-render:

* **A pool process is killed** (the out-of-memory killer): the task is acknowledged late and
  rejected on worker loss, so the broker hands the same message, with the same task id, to the
  next free process at once, and that message takes over its own claim.
* **The whole worker is killed**: its message stays unacknowledged in Redis until the
  broker's visibility timeout (an hour by default) and the claim stays with the dead task.
  A render is cut off by its time limit (``RENDER_TIME_LIMIT``), so a claim older than
  ``STALE_CLAIM`` belongs to nobody: the sweep (``programmes.tasks``, every minute) sends the
  row again, and the new message takes it over. The old message, when it comes back, finds
  the rendering ready and does nothing. The PDF is rendered once.
* **The broker was away when the PDF was asked for**: the row is queued and nothing was sent;
  the sweep sends it a minute later.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_secretariat
from core.tasks import enqueue

from .. import permissions
from ..compose import compose, content_hash, queryset_for_compose
from ..models import ActionProgramme, ProgrammeVersion, Rendering

logger = logging.getLogger(__name__)

R = Rendering.Status

# A render takes seconds; one still running after this is stopped by the worker (soft limit
# first, so the failure is recorded on the row, then the hard limit).
RENDER_SOFT_TIME_LIMIT = 150
RENDER_TIME_LIMIT = 180
# A claim older than the hard time limit, with a margin, belongs to a worker that is gone.
STALE_CLAIM = timedelta(seconds=RENDER_TIME_LIMIT + 60)
# A row still queued this long after it was asked for was never picked up (the broker was
# away, or lost the message): the sweep sends it again.
LOST_IN_QUEUE = timedelta(minutes=1)


def _enqueue(rendering: Rendering) -> None:
    from .. import tasks

    enqueue(tasks.render_programme, rendering.pk)


@transaction.atomic
def rendering_request(
    *, actor: User | None, programme: ActionProgramme, content: dict | None = None
) -> Rendering:
    """The PDF of ``content`` (by default the programme as it stands now), asked for once.

    A ready, queued or rendering row for the same content is returned as it is (nothing is
    rendered again); a failed one is queued again; otherwise a new row is queued and the render
    enqueued after commit. With the broker away the row stays queued for the sweep; this never
    raises for that."""
    content = content if content is not None else compose(programme)
    digest = content_hash(content)
    try:
        with transaction.atomic():
            rendering, created = Rendering.objects.get_or_create(
                content_hash=digest,
                defaults={"programme": programme, "content": content, "requested_by": actor},
            )
    except IntegrityError:  # asked for at the same moment by somebody else
        rendering, created = Rendering.objects.get(content_hash=digest), False
    if created:
        _enqueue(rendering)
    elif rendering.status == R.FAILED:
        rendering = rendering_retry(rendering=rendering)
    return rendering


@transaction.atomic
def rendering_retry(*, rendering: Rendering, actor: User | None = None) -> Rendering:
    """Queue a failed rendering again and enqueue it after commit; any other status is left as
    it is (a rendering asked to retry twice at once is queued once).

    With an ``actor`` (a person pressing "try again"), raises PermissionDenied unless they may
    edit the programme; without one it is the system asking."""
    if actor is not None and not permissions.can_edit(actor, rendering.programme):
        raise PermissionDenied
    updated = Rendering.objects.filter(pk=rendering.pk, status=R.FAILED).update(
        status=R.QUEUED,
        error="",
        task_id="",
        started_at=None,
        finished_at=None,
        requested_at=timezone.now(),
    )
    if updated:
        _enqueue(rendering)
    rendering.refresh_from_db()
    return rendering


def rendering_claim(*, rendering_id: int, task_id: str) -> bool:
    """Take the rendering for the task ``task_id``: a queued one, one this same task held
    before (its message delivered again after its worker died), or one whose claim is stale.
    False when it is ready, failed, gone, or held by another task whose claim is fresh.

    One UPDATE, so of two workers trying at once exactly one wins."""
    now = timezone.now()
    return bool(
        Rendering.objects.filter(pk=rendering_id)
        .filter(
            Q(status=R.QUEUED)
            | Q(status=R.RENDERING, task_id=task_id)
            | Q(status=R.RENDERING, started_at__lt=now - STALE_CLAIM)
        )
        .update(status=R.RENDERING, task_id=task_id, started_at=now, error="")
    )


def pdf_name(rendering: Rendering) -> str:
    """The file's name: the area, the year and the content hash (the same content, the same
    name), under a folder that is never served as media."""
    content = rendering.content
    return (
        f"handlingsprogram/{content['area']['slug']}-{content['year']}-"
        f"{rendering.content_hash[:16]}.pdf"
    )


def rendering_run(*, rendering_id: int, task_id: str) -> Rendering | None:
    """Render the PDF if this task can claim it; None when another has it or it is done.

    The file is stored under its deterministic name (``pdf_name``) and the row marked ready
    only while this task still holds the claim, so ``renders`` counts each completed render
    once. A failure (the render, the storage, the time limit) is recorded on the row —
    status FAILED and the error — not raised: the page shows it with a way to try again."""
    from .. import pdf

    if not rendering_claim(rendering_id=rendering_id, task_id=task_id):
        return None
    rendering = Rendering.objects.get(pk=rendering_id)
    try:
        document = pdf.render_pdf(rendering.content)
        name = pdf_name(rendering)
        storage = rendering.pdf.storage
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(document.data))
    except Exception as exc:
        logger.exception("The programme PDF %s could not be rendered.", rendering_id)
        Rendering.objects.filter(pk=rendering_id, status=R.RENDERING, task_id=task_id).update(
            status=R.FAILED, error=str(exc)[:2000] or type(exc).__name__, finished_at=timezone.now()
        )
        return Rendering.objects.get(pk=rendering_id)
    finished = Rendering.objects.filter(
        pk=rendering_id, status=R.RENDERING, task_id=task_id
    ).update(
        status=R.READY,
        pdf=saved,
        page_count=document.page_count,
        renders=F("renders") + 1,
        finished_at=timezone.now(),
    )
    if not finished:
        logger.warning("Rendering %s was taken over while this task rendered it.", rendering_id)
    return Rendering.objects.get(pk=rendering_id)


# --- Every area of a year -----------------------------------------------------------------------


@dataclass
class YearRender:
    """What ``renderings_request_year`` did: each programme's rendering, and the areas that have
    no programme for the year."""

    year: int
    renderings: list[tuple[ActionProgramme, Rendering]] = field(default_factory=list)
    areas_without_programme: list[str] = field(default_factory=list)

    def with_status(self, status: str) -> list[tuple[ActionProgramme, Rendering]]:
        return [(p, r) for p, r in self.renderings if r.status == status]


def programme_content(programme: ActionProgramme) -> dict:
    """The programme as it stands: the adopted version's frozen content while it is adopted or
    published, otherwise the live composition."""
    if programme.is_frozen:
        version = (
            ProgrammeVersion.objects.filter(programme=programme, number=programme.version)
            .only("content")
            .first()
        )
        if version is not None:
            return version.content
    return compose(programme)


def renderings_request_year(*, actor: User | None, year: int) -> YearRender:
    """Ask for the PDF of every area's programme for ``year`` (``rendering_request`` each, in
    its own transaction, so each render is enqueued as soon as it is asked for and the areas
    render in parallel on as many workers as there are).

    A programme whose content has a PDF already is not rendered again. ``actor`` is None on the
    command line; a person must be of the secretariat, or PermissionDenied is raised."""
    from areas.models import Area

    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied
    outcome = YearRender(year=year)
    programmes = (
        queryset_for_compose().filter(year=year).order_by("area__district__number", "area__name")
    )
    for programme in programmes:
        rendering = rendering_request(
            actor=actor, programme=programme, content=programme_content(programme)
        )
        outcome.renderings.append((programme, rendering))
    # Areas running that year (their period includes it) but with no programme written.
    outcome.areas_without_programme = list(
        Area.objects.filter(start_year__lte=year, end_year__gte=year)
        .exclude(action_programmes__year=year)
        .values_list("name", flat=True)
    )
    return outcome
