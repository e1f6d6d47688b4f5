"""Participation factories."""

from datetime import timedelta

import factory
from django.utils import timezone

from areas.models import Area
from participation.models import Event, Input, Registration, Topic

DEFAULT_AREA_SLUG = "veitvet-og-slettelokka"  # Bydel Bjerke


class EventFactory(factory.django.DjangoModelFactory):
    """A published event in Veitvet og Sletteløkka, a week ahead, with open registration."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Folkemøte om Sletteløkka torg {n}")
    slug = factory.Sequence(lambda n: f"folkemote-slettelokka-{n}")
    description = "Kom og si hva du vil ha på torget."
    kind = Event.Kind.PUBLIC_MEETING
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Veitvet bydelshus, Veitvetveien 8"
    step_free = True
    hearing_loop = True
    languages = "norsk, somali"
    target_groups = factory.LazyFunction(lambda: ["alle"])
    capacity = 30
    registration = Event.Registration.OPEN
    organiser = "Bydel Bjerke"
    status = Event.Status.PUBLISHED

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.areas.set(
            extracted if extracted is not None else [Area.objects.get(slug=DEFAULT_AREA_SLUG)]
        )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    email = factory.Sequence(lambda n: f"deltaker{n}@example.org")
    people = 1
    status = Registration.Status.CONFIRMED
    token = factory.Sequence(lambda n: f"token-{n:040d}")
    queued_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class InputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Input

    area = factory.LazyFunction(lambda: Area.objects.get(slug=DEFAULT_AREA_SLUG))
    text = factory.Sequence(lambda n: f"Vi trenger flere benker på torget ({n}).")
    topic = Topic.MEETING_PLACES
    channel = Input.Channel.ONLINE
    moderation = Input.Moderation.APPROVED


# Helpers for the service, permission and selector tests ----------------------------------------

BJERKE_AREA = DEFAULT_AREA_SLUG
BJERKE_OTHER_AREA = "linderud"  # also Bydel Bjerke
ALNA_AREA = "trosterud-og-haugerud"  # Bydel Alna
TASK_NAMES = ("send_registration_email", "send_input_status_email")


def area(slug: str = DEFAULT_AREA_SLUG) -> Area:
    return Area.objects.get(slug=slug)


def participation_rows() -> dict:
    """Every row the participation services can write, to show that a refused call wrote nothing."""
    from django.apps import apps

    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("participation").get_models()
    }
    rows["event_areas"] = list(Event.areas.through.objects.order_by("pk").values())
    return rows


def record_tasks(monkeypatch) -> list[tuple]:
    """Replace ``.delay`` of the participation email tasks by a recorder. Returns the list the
    calls land in, as ``(task name, *args)`` tuples, once the transaction's on-commit runs."""
    from types import SimpleNamespace

    from participation import tasks

    calls: list[tuple] = []
    for name in TASK_NAMES:
        fake = SimpleNamespace(delay=lambda *args, _name=name: calls.append((_name, *args)))
        monkeypatch.setattr(tasks, name, fake)
    return calls
