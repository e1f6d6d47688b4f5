"""Background work for programmes: rendering the PDF, and the sweep that finds what was lost.

Tasks take primary keys and call one service. The render is acknowledged late (settings:
``CELERY_TASK_ACKS_LATE``) and rejected when its worker process is lost, so a pool process
killed mid-render leaves the message to be delivered again at once; the claim in
``services.rendering_claim`` lets that same message take the job over and keeps any other from
rendering it twice. A whole worker killed mid-render leaves a claim that goes stale after the
render's time limit, and the sweep sends it again (``services.rendering`` says how).
"""

import logging

from celery import shared_task
from django.utils import timezone

from core.tasks import send_now

from .services.rendering import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="programmes.render_programme",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    time_limit=RENDER_TIME_LIMIT,
)
def render_programme(self, rendering_id: int) -> str:
    """Render one programme PDF; safe to run twice (the second finds it claimed or done)."""
    from .services import rendering_run

    task_id = self.request.id or f"eager-{rendering_id}"
    rendering = rendering_run(rendering_id=rendering_id, task_id=task_id)
    return rendering.status if rendering else "skipped"


@shared_task(name="programmes.sweep_pending_renderings")
def sweep_pending_renderings() -> int:
    """Send again the renderings still queued a while after they were asked for (the broker
    was away, or lost the message) and those whose worker's claim went stale (the worker died
    with its message). Ready and failed ones are left alone: a failed one waits for somebody to
    try again. A row sent twice is rendered once (the claim)."""
    from django.db.models import Q

    from .models import Rendering
    from .services.rendering import LOST_IN_QUEUE, STALE_CLAIM

    now = timezone.now()
    pending = list(
        Rendering.objects.filter(
            Q(status=Rendering.Status.QUEUED, requested_at__lt=now - LOST_IN_QUEUE)
            | Q(status=Rendering.Status.RENDERING, started_at__lt=now - STALE_CLAIM)
        )
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in pending:
        send_now(render_programme, pk)
    if pending:
        logger.info("Re-enqueued %d programme renderings.", len(pending))
    return len(pending)
