"""Every read a participation page needs, permission-scoped, with a fixed number of queries."""

from collections import OrderedDict

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import AnyUser

from .models import Event, Input, InputChange, Registration, Topic
from .permissions import events_public, events_visible_to, inputs_visible_to

R = Registration.Status


def with_seats(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate places taken (confirmed people) and the waiting list's length."""
    return qs.annotate(
        seats_taken=Coalesce(
            Sum("registrations__people", filter=Q(registrations__status=R.CONFIRMED)), 0
        ),
        waitlist_count=Count(
            "registrations", filter=Q(registrations__status=R.WAITLISTED), distinct=True
        ),
    )


def _event_base(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.select_related("project").prefetch_related("areas__district")


def events_upcoming(*, area=None, kind: str = "", at=None, prepared: bool = True):
    """Published events not yet over, soonest first, optionally in one area or of one kind.

    ``prepared=False`` leaves out what a card shows (seats, areas, project): for a list that
    pages, which prepares the page's rows only (``prepare_events``)."""
    at = at or timezone.now()
    qs = events_public().filter(ends_at__gte=at)
    if area is not None:
        qs = qs.filter(areas=area)
    if kind:
        qs = qs.filter(kind=kind)
    # distinct() in the scope and annotations do not mix: re-select by primary key.
    events = Event.objects.filter(pk__in=qs.values("pk")).order_by("starts_at", "pk")
    return prepare_events(events) if prepared else events


def prepare_events(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Events ready for their cards: seats left, areas and project."""
    return with_seats(_event_base(qs))


def event_public(slug: str) -> Event:
    return with_seats(_event_base(Event.objects.filter(pk__in=events_public().values("pk")))).get(
        slug=slug
    )


def staff_events(user: AnyUser) -> QuerySet[Event]:
    return with_seats(
        _event_base(Event.objects.filter(pk__in=events_visible_to(user).values("pk")))
    ).order_by("-starts_at", "pk")


def staff_event(user: AnyUser, slug: str) -> Event:
    registrations = Registration.objects.select_related("user").order_by(
        "queued_at", "created_at", "pk"
    )
    return (
        with_seats(_event_base(Event.objects.filter(pk__in=events_visible_to(user).values("pk"))))
        .prefetch_related(
            Prefetch("registrations", queryset=registrations),
            Prefetch("inputs", queryset=Input.objects.select_related("sub_goal")),
            "changes__actor",
        )
        .get(slug=slug)
    )


def staff_inputs(user: AnyUser) -> QuerySet[Input]:
    return inputs_visible_to(user).select_related(
        "area__district", "project", "event", "sub_goal", "taken_into_project", "author"
    )


def staff_input(user: AnyUser, pk: int) -> Input:
    return (
        staff_inputs(user)
        .prefetch_related(Prefetch("changes", queryset=InputChange.objects.select_related("actor")))
        .get(pk=pk)
    )


# The action programme links an input it took in to its measure from its own side (the
# programmes app depends on participation, never the other way): where that link exists, it
# is loaded with what its words need, by the relation's name alone.
PLAN_LINK = "taken_into_plan_link"


def plan_link_related() -> list[str]:
    """What to load along (``select_related``) to name each input's measure in the action
    programme; nothing when no app links inputs to a programme."""
    if not hasattr(Input, PLAN_LINK):
        return []
    return [f"{PLAN_LINK}__measure__project", f"{PLAN_LINK}__programme__area"]


def plan_link_fields() -> list[str]:
    """The fields of those rows that the words and the link need (for ``only``)."""
    if not hasattr(Input, PLAN_LINK):
        return []
    return [
        f"{PLAN_LINK}__input_id",
        f"{PLAN_LINK}__measure__position",
        f"{PLAN_LINK}__measure__project__title",
        f"{PLAN_LINK}__programme__year",
        f"{PLAN_LINK}__programme__status",
        f"{PLAN_LINK}__programme__area__slug",
        f"{PLAN_LINK}__programme__area__is_published",
    ]


def plan_link_prefetches() -> list[str]:
    """What to prefetch to number each linked measure and to tell whether its programme is
    public: a query each, and none when no input is linked."""
    if not hasattr(Input, PLAN_LINK):
        return []
    return [f"{PLAN_LINK}__programme__measures", f"{PLAN_LINK}__programme__versions"]


def area_inputs_public(area) -> "OrderedDict[str, list[Input]]":
    """Shown input of one area grouped by topic, in the order of the topics: what residents
    said and what became of it. Never a name or an address."""
    items = (
        Input.objects.filter(area=area, moderation=Input.Moderation.APPROVED)
        .select_related("taken_into_project", "event", "project", "sub_goal", *plan_link_related())
        .only(
            "text",
            "topic",
            "follow_up",
            "response",
            "created_at",
            "channel",
            "sub_goal__number",
            "sub_goal__title",
            "taken_into_project__title",
            "taken_into_project__slug",
            "taken_into_project__is_public",
            "event__title",
            "event__slug",
            # An event remembers the status it was loaded with (its workflow guard): loading it
            # here spares one query per input.
            "event__status",
            "project__title",
            "project__slug",
            "project__is_public",
            *plan_link_fields(),
        )
        .prefetch_related(*plan_link_prefetches())
        .order_by("-created_at", "-pk")
    )
    grouped: OrderedDict[str, list[Input]] = OrderedDict((t.value, []) for t in Topic)
    for item in items:
        grouped.setdefault(item.topic, []).append(item)
    return OrderedDict((k, v) for k, v in grouped.items() if v)


def follow_up_counts(area) -> dict[str, int]:
    rows = (
        Input.objects.filter(area=area, moderation=Input.Moderation.APPROVED)
        .values("follow_up")
        .annotate(n=Count("pk"))
    )
    return {row["follow_up"]: row["n"] for row in rows}


def with_queue_position(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``queue_position``: a waiting registration's place in the queue (1 is next),
    in the order the waiting list moves up (``queued_at``, then pk); None for the others."""
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=R.WAITLISTED)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        queue_position=Case(
            When(
                status=R.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def registration_by_token(token: str) -> Registration:
    """The registration a link in an email opens, with its place in the queue."""
    return with_queue_position(Registration.objects.select_related("event")).get(token=token)


def my_registrations(user: AnyUser) -> QuerySet[Registration]:
    return with_queue_position(
        Registration.objects.filter(user=user)
        .exclude(status=R.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )
