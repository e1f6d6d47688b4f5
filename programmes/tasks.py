"""Background work for programmes: rendering the PDF, and the sweep that finds what was lost.

Tasks take primary keys and call one service. The render is acknowledged late (settings:
``CELERY_TASK_ACKS_LATE``), so a worker killed mid-render leaves the message to be delivered
again; the claim in ``services.rendering_claim`` lets that same message take the job over and
keeps any other from rendering it twice.
"""

import logging

from celery import shared_task
from django.utils import timezone

from core.tasks import send_now

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, name="programmes.render_programme", acks_late=True, reject_on_worker_lost=True
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
    was away) and those whose worker's claim went stale (it died and its message was lost)."""
    from datetime import timedelta

    from django.db.models import Q

    from .models import Rendering
    from .services.rendering import STALE_CLAIM

    now = timezone.now()
    pending = list(
        Rendering.objects.filter(
            Q(status=Rendering.Status.QUEUED, requested_at__lt=now - timedelta(minutes=1))
            | Q(status=Rendering.Status.RENDERING, started_at__lt=now - STALE_CLAIM)
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        send_now(render_programme, pk)
    if pending:
        logger.info("Re-enqueued %d programme renderings.", len(pending))
    return len(pending)
