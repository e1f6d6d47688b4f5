"""Background work for the dashboards: rendering the board pack, and the sweep that finds what
was lost on the way to a worker.

The render is acknowledged late and rejected when its worker process is lost, so a pool process
killed mid-render leaves the message to be delivered again; the claim in
``services.pack_claim`` lets that same message take the job over and keeps any other from
rendering it twice. A pack is rendered once.
"""

import logging

from celery import shared_task
from django.utils import timezone

from core.tasks import send_now

from .services import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="dashboards.render_board_pack",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    time_limit=RENDER_TIME_LIMIT,
)
def render_board_pack(self, pack_id: int) -> str:
    """Render one board pack; safe to run twice (the second finds it claimed or done)."""
    from .services import pack_run

    task_id = self.request.id or f"eager-{pack_id}"
    board_pack = pack_run(pack_id=pack_id, task_id=task_id)
    return board_pack.status if board_pack else "skipped"


@shared_task(name="dashboards.sweep_pending_board_packs")
def sweep_pending_board_packs() -> int:
    """Send again the packs still queued a while after they were asked for, and those whose
    worker's claim went stale. Ready and failed ones are left alone."""
    from django.db.models import Q

    from .models import BoardPack
    from .services import LOST_IN_QUEUE, STALE_CLAIM

    P = BoardPack.Status
    now = timezone.now()
    pending = list(
        BoardPack.objects.filter(
            Q(status=P.QUEUED, requested_at__lt=now - LOST_IN_QUEUE)
            | Q(status=P.RENDERING, started_at__lt=now - STALE_CLAIM)
        )
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in pending:
        send_now(render_board_pack, pk)
    if pending:
        logger.info("Re-enqueued %d board packs.", len(pending))
    return len(pending)
