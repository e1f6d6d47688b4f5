"""The board pack: asked for, claimed by one worker, rendered once.

``pack_request`` takes the figures of the dashboard for the filters and scope asked for (the
cached ones while the data has not changed), keeps them on a ``BoardPack`` row as the snapshot
the PDF is made from, and enqueues the render after commit. The row is named by the snapshot's
hash: the same filters and scope over unchanged data give the same figures, the same row and
the same file, also when two people ask at the same moment (the unique hash decides which
insert wins). A failed pack asked for again is queued again.

A worker claims the row by its status and its task id, as a programme's PDF is claimed
(``programmes.services.rendering`` says what happens when a worker dies mid-render): the task
is acknowledged late, a redelivered message takes over its own claim, a claim older than the
render's time limit belongs to nobody, and the sweep sends again what was lost on the way.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from core.tasks import enqueue

from .figures import Filters, Scope
from .models import BoardPack

logger = logging.getLogger(__name__)

P = BoardPack.Status

RENDER_SOFT_TIME_LIMIT = 150
RENDER_TIME_LIMIT = 180
STALE_CLAIM = timedelta(seconds=RENDER_TIME_LIMIT + 60)
LOST_IN_QUEUE = timedelta(minutes=1)

FILTER_FIELDS = ("year", "sub_programme", "district", "area", "sub_goal")
# The programme's years lie well inside these; a year outside is a mistyped address.
YEARS = range(2000, 2101)


# --- The filters, from a form -------------------------------------------------------------------


def filters_from_data(data) -> Filters:
    """The filters a form sent (``year``, ``sub_programme``, ``district``, ``area``,
    ``sub_goal``, each a number or empty). Raises ValidationError, in words the reader
    understands, for a value that is not a number or names nothing that exists."""
    from areas.models import Area, District, SubGoal, SubProgramme

    models = {
        "sub_programme": SubProgramme,
        "district": District,
        "area": Area,
        "sub_goal": SubGoal,
    }
    values: dict[str, int] = {}
    for name in FILTER_FIELDS:
        raw = (data.get(name) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 9:
            raise ValidationError(
                _("The filters are not valid: %(value)s is not a number."),
                params={"value": raw[:20]},
            )
        values[name] = int(raw)
    if "year" in values and values["year"] not in YEARS:
        raise ValidationError(_("The filters are not valid: there are no figures for that year."))
    for name, model in models.items():
        if name in values and not model.objects.filter(pk=values[name]).exists():
            raise ValidationError(
                _("The filters are not valid: what they name does not exist (any more).")
            )
    return Filters(**values)


def filter_labels(filters: Filters) -> list[tuple[str, str]]:
    """The filters in words, for the pack's first page: ("År", "2025"), ("Bydel", "Alna")…"""
    from areas.models import Area, District, SubGoal, SubProgramme

    labels: list[tuple[str, str]] = []
    if filters.year is not None:
        labels.append((pgettext("board pack", "Year"), str(filters.year)))
    for value, model, label in (
        (filters.sub_programme, SubProgramme, pgettext("board pack", "Satsing")),
        (filters.district, District, pgettext("board pack", "District")),
        (filters.area, Area, pgettext("board pack", "Area")),
        (filters.sub_goal, SubGoal, pgettext("board pack", "Sub-goal")),
    ):
        if value is not None:
            obj = model.objects.filter(pk=value).first()
            labels.append((label, str(obj) if obj else str(value)))
    return labels


def pack_scope(scope: Scope) -> dict:
    """The part of a scope a pack keeps: the districts it covers. Whether figures may link to
    grant cases plays no part on paper, so the board and the secretariat share their packs."""
    return {
        "district_ids": None if scope.district_ids is None else sorted(scope.district_ids),
        "label": scope.label,
    }


# --- Asking for a pack --------------------------------------------------------------------------


def _enqueue(pack: BoardPack) -> None:
    from . import tasks

    enqueue(tasks.render_board_pack, pack.pk)


def pack_title(scope: Scope) -> str:
    if scope.district_ids is None:
        return pgettext("board pack", "Board pack: the whole programme")
    return pgettext("board pack", "Board pack: %(district)s") % {"district": scope.label}


@transaction.atomic
def pack_request(*, actor: User | None, filters: Filters, scope: Scope) -> BoardPack:
    """The board pack of the dashboard for ``filters`` within ``scope``, asked for once.

    The caller has checked that ``actor`` may see the dashboard of ``scope``. A ready, queued
    or rendering pack of the same figures is returned as it is; a failed one is queued again;
    otherwise a new row is queued and its render enqueued after commit. With the broker away
    the row stays queued for the sweep; this never raises for that."""
    from . import figures, pack

    # Bokmål, as the board's papers are; the figures come from the cache when they can.
    with translation.override("nb"):
        dash = figures.dashboard(filters, scope)
        content = pack.snapshot(dash, title=pack_title(scope), filter_labels=filter_labels(filters))
    digest = pack.content_hash(content)
    try:
        with transaction.atomic():
            board_pack, created = BoardPack.objects.get_or_create(
                content_hash=digest,
                defaults={
                    "filters": filters.as_query(),
                    "scope": pack_scope(scope),
                    "content": content,
                    "taken_at": dash.taken_at,
                    "requested_by": actor,
                },
            )
    except IntegrityError:  # asked for at the same moment by somebody else
        board_pack, created = BoardPack.objects.get(content_hash=digest), False
    if created:
        _enqueue(board_pack)
    elif board_pack.status == P.FAILED:
        board_pack = pack_retry(pack=board_pack)
    return board_pack


@transaction.atomic
def pack_retry(*, pack: BoardPack) -> BoardPack:
    """Queue a failed pack again and enqueue it after commit; any other is left as it is."""
    updated = BoardPack.objects.filter(pk=pack.pk, status=P.FAILED).update(
        status=P.QUEUED,
        error="",
        task_id="",
        started_at=None,
        finished_at=None,
        requested_at=timezone.now(),
    )
    if updated:
        _enqueue(pack)
    pack.refresh_from_db()
    return pack


# --- Rendering it -------------------------------------------------------------------------------


def pack_claim(*, pack_id: int, task_id: str) -> bool:
    """Take the pack for the task ``task_id``: a queued one, one this same task held before
    (its message delivered again after its worker died), or one whose claim is stale. One
    UPDATE, so of two workers trying at once exactly one wins."""
    now = timezone.now()
    return bool(
        BoardPack.objects.filter(pk=pack_id)
        .filter(
            Q(status=P.QUEUED)
            | Q(status=P.RENDERING, task_id=task_id)
            | Q(status=P.RENDERING, started_at__lt=now - STALE_CLAIM)
        )
        .update(status=P.RENDERING, task_id=task_id, started_at=now, error="")
    )


def pdf_name(board_pack: BoardPack) -> str:
    """The file's name, deterministic for the figures, in a folder never served as media."""
    taken = timezone.localtime(board_pack.taken_at).strftime("%Y-%m-%d")
    return f"styrepakker/styrepakke-{taken}-{board_pack.content_hash[:16]}.pdf"


def pack_run(*, pack_id: int, task_id: str) -> BoardPack | None:
    """Render the pack if this task can claim it; None when another has it or it is done.

    The file is stored under its deterministic name and the row marked ready only while this
    task still holds the claim, so ``renders`` counts each completed render once. A failure is
    recorded on the row (status FAILED and the error), not raised."""
    from . import pack

    if not pack_claim(pack_id=pack_id, task_id=task_id):
        return None
    board_pack = BoardPack.objects.get(pk=pack_id)
    try:
        document = pack.render_pdf(board_pack.content)
        name = pdf_name(board_pack)
        storage = board_pack.pdf.storage
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(document.data))
    except Exception as exc:
        logger.exception("The board pack %s could not be rendered.", pack_id)
        BoardPack.objects.filter(pk=pack_id, status=P.RENDERING, task_id=task_id).update(
            status=P.FAILED, error=str(exc)[:2000] or type(exc).__name__, finished_at=timezone.now()
        )
        return BoardPack.objects.get(pk=pack_id)
    finished = BoardPack.objects.filter(pk=pack_id, status=P.RENDERING, task_id=task_id).update(
        status=P.READY,
        pdf=saved,
        page_count=document.page_count,
        renders=F("renders") + 1,
        finished_at=timezone.now(),
    )
    if not finished:
        logger.warning("Board pack %s was taken over while this task rendered it.", pack_id)
    return BoardPack.objects.get(pk=pack_id)
