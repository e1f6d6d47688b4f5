"""The public pages of the grant rounds: the list of rounds and a round's page. No login.

Starting an application in a round is in ``application_steps``.
"""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core import versions
from core.page_cache import cached_for_visitors

from .. import selectors
from ..models import AttachmentKind
from ._common import _kind_labels, _round

# A round opens and closes with the clock: its pages are renewed every minute besides whenever
# a round changes.
CLOCK_SECONDS = 60


@cached_for_visitors(versions.GRANTS, seconds=CLOCK_SECONDS)
def rounds(request):
    now = timezone.now()
    round_list = list(selectors.rounds_public(now))
    for grant_round in round_list:
        grant_round.open_now = grant_round.is_open(now)
    return render(request, "grants/rounds.html", {"rounds": round_list})


def _attachment_labels(values) -> list[str]:
    return [AttachmentKind(v).label for v in values if v in AttachmentKind.values]


@cached_for_visitors(versions.GRANTS, seconds=CLOCK_SECONDS)
def round_detail(request, slug: str):
    grant_round = _round(slug)
    now = timezone.now()
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": grant_round,
            "open_now": grant_round.is_open(now),
            "upcoming": now < grant_round.opens_at,
            "applicant_kinds": _kind_labels(grant_round.applicant_kinds),
            "required_attachments": _attachment_labels(grant_round.required_attachments),
        },
    )


urlpatterns = [
    path("tilskudd/", rounds, name="rounds"),
    path("tilskudd/utlysning/<slug:slug>/", round_detail, name="round_detail"),
]
