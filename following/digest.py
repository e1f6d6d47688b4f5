"""What a digest tells: what is new in the followed areas within a window (since, until].

Only what anyone may read on the public pages goes in: published events in published areas
(announced in the window, not yet over), public updates of public projects, residents' input
shown on the area's page whose follow-up moved on in the window, and published grant rounds
opening in the window. Never a name or an email address. A fixed number of queries whatever the
number of areas or items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from grants.models import GrantRound
from participation.models import Event, EventChange, Input, InputChange
from participation.permissions import events_public
from participation.workflow import INPUT_FOLLOW_UP
from projects.models import StatusUpdate
from projects.permissions import projects_public

# The history keys of the follow-up steps (a transition's name is its key).
FOLLOW_UP_KEYS = tuple(t.name for t in INPUT_FOLLOW_UP.transitions)
# A digest shows this many of each kind at most; the rest are counted and linked.
LIMIT = 20


@dataclass
class Items:
    events: list[Event] = field(default_factory=list)
    updates: list[StatusUpdate] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)
    rounds: list[GrantRound] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.events) + len(self.updates) + len(self.inputs) + len(self.rounds)


def items(area_ids, since, until) -> Items:
    """Everything new in the areas ``area_ids`` after ``since`` up to and including ``until``."""
    area_ids = list(area_ids)
    published = EventChange.objects.filter(
        event=OuterRef("pk"), action="published", created_at__gt=since, created_at__lte=until
    )
    events = list(
        Event.objects.filter(
            pk__in=events_public()
            .filter(status=Event.Status.PUBLISHED, areas__in=area_ids, ends_at__gt=until)
            .values("pk")
        )
        .filter(Exists(published))
        .order_by("starts_at", "pk")[:LIMIT]
    )
    updates = list(
        StatusUpdate.objects.filter(
            is_public=True,
            project__in=projects_public().filter(area__in=area_ids),
            created_at__gt=since,
            created_at__lte=until,
        )
        .select_related("project__area")
        .order_by("-date", "-pk")[:LIMIT]
    )
    followed_up = InputChange.objects.filter(
        input=OuterRef("pk"),
        action__in=FOLLOW_UP_KEYS,
        created_at__gt=since,
        created_at__lte=until,
    )
    inputs = list(
        Input.objects.filter(
            area__in=area_ids, area__is_published=True, moderation=Input.Moderation.APPROVED
        )
        .filter(Exists(followed_up))
        .select_related("area")
        .only("text", "topic", "follow_up", "response", "area__name", "area__slug")
        .order_by("-updated_at", "-pk")[:LIMIT]
    )
    rounds = list(
        GrantRound.objects.filter(
            is_published=True,
            areas__in=area_ids,
            opens_at__gt=since,
            opens_at__lte=until,
            closes_at__gt=until,
        )
        .distinct()
        .order_by("closes_at", "pk")[:LIMIT]
    )
    return Items(events=events, updates=updates, inputs=inputs, rounds=rounds)
