"""The PDF of a programme: asked for, claimed by one worker, rendered once.

The ``Rendering`` row is the job. It is named by the hash of the composition it renders, so
asking twice for the same content returns the same row and the same file, and nothing is
rendered twice. A worker claims the row by its status (``rendering_claim``); a worker killed
mid-render leaves the claim with its task id, and the same message, delivered again once a
worker is back (late acknowledgement), takes it over, while another message for the same row
leaves it alone until the claim is stale. The sweep (``programmes.tasks``) sends again what was
never picked up, so a broker outage when the PDF was asked for loses nothing.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from core.tasks import enqueue

from ..compose import compose, content_hash
from ..models import ActionProgramme, Rendering

logger = logging.getLogger(__name__)

R = Rendering.Status

# A claim older than this belongs to a worker that is gone (a render takes seconds).
STALE_CLAIM = timedelta(minutes=10)


def _enqueue(rendering: Rendering) -> None:
    from .. import tasks

    enqueue(tasks.render_programme, rendering.pk)


@transaction.atomic
def rendering_request(
    *, actor: User | None, programme: ActionProgramme, content: dict | None = None
) -> Rendering:
    """The PDF of ``content`` (by default the programme as it stands now), asked for once.

    A ready, queued or rendering row for the same content is returned as it is; a failed one
    is queued again; otherwise a new row is queued and the render enqueued after commit."""
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
        rendering_retry(rendering=rendering)
    return rendering


@transaction.atomic
def rendering_retry(*, rendering: Rendering) -> Rendering:
    """Queue a failed rendering again."""
    updated = Rendering.objects.filter(pk=rendering.pk, status=R.FAILED).update(
        status=R.QUEUED, error="", task_id="", requested_at=timezone.now()
    )
    if updated:
        _enqueue(rendering)
    rendering.refresh_from_db()
    return rendering


def rendering_claim(*, rendering_id: int, task_id: str) -> bool:
    """Take the rendering for the task ``task_id``: a queued one, one this same task held
    before (a redelivery after a worker died), or one whose claim is stale. False when it is
    ready, failed, or held by another live task."""
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

    A failure is recorded on the row (status FAILED and the error), not raised: the page shows
    it with a way to try again."""
    from .. import pdf

    if not rendering_claim(rendering_id=rendering_id, task_id=task_id):
        return None
    rendering = Rendering.objects.get(pk=rendering_id)
    try:
        document = pdf.render_pdf(rendering.content)
    except Exception as exc:
        logger.exception("The programme PDF %s could not be rendered.", rendering_id)
        Rendering.objects.filter(pk=rendering_id, task_id=task_id).update(
            status=R.FAILED, error=str(exc)[:2000] or type(exc).__name__, finished_at=timezone.now()
        )
        return Rendering.objects.get(pk=rendering_id)
    name = pdf_name(rendering)
    storage = rendering.pdf.storage
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(document.data))
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
