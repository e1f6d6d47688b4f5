"""Medvirkning: participation events, registrations, attendance, and resident input followed up
until residents can see what became of it.

Every write goes through ``participation.services``. Registrations and input keep their history:
nothing is hard-deleted; a cancelled registration is cancelled, a hidden input is hidden with a
stated reason, and every step of an input is a row in ``InputChange``, every change to an event
one in ``EventChange``: append-only rows that store what happened as a key and codes, translated
when shown (``participation.history``). An event's status and an input's follow-up change only
through their workflows (``participation.workflow``).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, ParticipationStep, SubGoal
from core.models import AppendOnly
from core.workflow import StatusGuard, StatusGuardQuerySet
from projects.models import Project


class TargetGroup(models.TextChoices):
    EVERYONE = "alle", _("Everyone")
    CHILDREN_YOUTH = "barn_unge", _("Children and young people")
    FAMILIES = "familier", _("Families with children")
    ELDERLY = "eldre", _("Older people")
    WOMEN = "kvinner", _("Women")
    NEWCOMERS = "nye_innbyggere", _("New residents")
    BUSINESSES = "naeringsdrivende", _("Local businesses")


class Topic(models.TextChoices):
    MEETING_PLACES = "moteplasser", _("Meeting places")
    SAFETY = "trygghet", _("Safety")
    GREEN_AND_PLAY = "gront", _("Green areas and play")
    TRAFFIC = "trafikk", _("Traffic and paths")
    CLEANLINESS = "renhold", _("Cleanliness and upkeep")
    CULTURE = "kultur", _("Culture and leisure")
    CHILDREN_YOUTH = "barn_unge", _("Children and young people")
    HOUSING = "bolig", _("Housing and surroundings")
    OTHER = "annet", _("Other")


# What an editor may change about an event (the editor's fields, the service's arguments).
EVENT_FIELDS = [
    "title",
    "description",
    "kind",
    "project",
    "starts_at",
    "ends_at",
    "place",
    "step_free",
    "hearing_loop",
    "accessibility_notes",
    "languages",
    "interpretation",
    "target_groups",
    "participation_step",
    "capacity",
    "registration",
    "organiser",
]


class Event(StatusGuard):
    """A participation event. Its status changes only through ``workflow.EVENT_STATUS``."""

    class Kind(models.TextChoices):
        PUBLIC_MEETING = "folkemote", _("Public meeting")
        WORKSHOP = "verksted", _("Workshop")
        SAFETY_WALK = "trygghetsvandring", _("Safety walk")
        SURVEY = "sporreundersokelse", _("Survey")
        POP_UP = "stand", _("Stand or pop-up")
        DUGNAD = "dugnad", _("Dugnad")
        DIGITAL = "digitalt", _("Digital meeting")
        OTHER = "annet", _("Other")

    class Registration(models.TextChoices):
        NONE = "ingen", _("No registration")
        OPEN = "apen", _("Registration open")
        CLOSED = "stengt", _("Registration closed")

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        PUBLISHED = "publisert", _("Published")
        CANCELLED = "avlyst", _("Cancelled")

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("description"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    areas = models.ManyToManyField(Area, related_name="events", verbose_name=_("areas"))
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("project"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, help_text=_("Name and address."))
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.TextField(_("more about accessibility"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        default="norsk",
        help_text=_("The languages spoken at the event, for example “norsk, somali, urdu”."),
    )
    interpretation = models.CharField(
        _("interpretation offered"),
        max_length=200,
        blank=True,
        help_text=_("For example “tegnspråk” or “arabisk ved behov”."),
    )
    target_groups = models.JSONField(_("target groups"), default=list)
    participation_step = models.PositiveSmallIntegerField(
        _("participation step"),
        choices=ParticipationStep.choices,
        default=ParticipationStep.PROACTIVE,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Number of places. Leave empty for no limit."),
    )
    registration = models.CharField(
        _("registration"), max_length=8, choices=Registration.choices, default=Registration.NONE
    )
    organiser = models.CharField(_("organiser"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Attendance, recorded after the event: anonymous counts only.
    attendance_total = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    attendance_by_group = models.JSONField(
        _("attendance by target group"), default=dict, blank=True
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Blank too: an event outlives the account of whoever created it, and stays editable.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatusGuardQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("participation event")
        verbose_name_plural = _("participation events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def takes_registrations(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.registration == self.Registration.OPEN
            and not self.is_past
        )


class Registration(models.Model):
    """A place at an event for one or more people. Places are given on confirmation: a
    signed-in person is confirmed at once, a guest when they follow the link in the email."""

    class Status(models.TextChoices):
        PENDING = "venter", _("Waiting for email confirmation")
        CONFIRMED = "bekreftet", _("Confirmed")
        WAITLISTED = "venteliste", _("On the waiting list")
        CANCELLED = "avmeldt", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("email"))
    people = models.PositiveSmallIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1)]
    )
    interpretation_needed = models.CharField(_("interpretation needed"), max_length=120, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # ``token`` opens the status and cancel pages; ``confirm_token`` is only ever sent by email,
    # so a guest's place proves that they read mail at the address they gave.
    token = models.CharField(max_length=48, unique=True)
    confirm_token = models.CharField(max_length=48, blank=True, db_index=True)
    # The language the person registered in; emails to a guest are written in it.
    language = models.CharField(max_length=8, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The place in the queue: when the registration was confirmed by its owner.
    queued_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(people__gte=1), name="registration_people")
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"


class Input(StatusGuard):
    """Something a resident said, online or at an event, and what became of it. The follow-up
    changes only through ``workflow.INPUT_FOLLOW_UP``."""

    STATUS_FIELD = "follow_up"

    class Channel(models.TextChoices):
        ONLINE = "digitalt", _("Online")
        EVENT = "arrangement", _("At an event")
        OTHER = "annet", _("Other")

    class Moderation(models.TextChoices):
        PENDING = "venter", _("Waiting for moderation")
        APPROVED = "godkjent", _("Shown")
        HIDDEN = "skjult", _("Hidden")

    class FollowUp(models.TextChoices):
        RECEIVED = "mottatt", _("Received")
        CONSIDERING = "vurderes", _("Being considered")
        TAKEN_UP = "tatt_inn", _("Taken up")
        NOT_TAKEN_UP = "ikke_tatt_inn", _("Not taken up")
        DONE = "gjennomfort", _("Done")

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="inputs", verbose_name=_("area")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inputs",
        verbose_name=_("project"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inputs",
        verbose_name=_("event"),
    )
    text = models.TextField(_("input"))
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    sub_goal = models.ForeignKey(
        SubGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-goal"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # Who gave it: nobody (anonymous), a signed-in person, or a name and address given.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inputs",
    )
    author_name = models.CharField(_("name"), max_length=160, blank=True)
    author_email = models.EmailField(_("email"), blank=True)
    consent = models.BooleanField(
        _("consent"),
        default=False,
        help_text=_("The person agreed that we store the input and may contact them about it."),
    )
    # The language the input was given in; the follow-up email to a guest is written in it.
    language = models.CharField(max_length=8, blank=True, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=14, choices=FollowUp.choices, default=FollowUp.RECEIVED
    )
    taken_into_project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inputs_taken_up",
        verbose_name=_("taken up in project"),
    )
    # Taken up in the action programme: the measure is linked from the programme's side
    # (``taken_into_plan_link``), which depends on participation and not the other way.
    response = models.TextField(
        _("what we did"),
        blank=True,
        help_text=_("Shown publicly with the input: what became of it, and why."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatusGuardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        indexes = [models.Index(fields=["area", "moderation", "follow_up"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def contact_email(self) -> str:
        """Where to tell the giver about the follow-up; empty if they cannot be reached."""
        if self.author_id and self.author.is_active and self.author.email:
            return self.author.email
        return self.author_email if self.consent else ""


class InputChange(AppendOnly):
    """One step in an input's life, by whom and when: ``action`` is the step's key (a workflow
    transition, ``received``, ``shown``, ``hidden`` or ``project_linked``) and ``data`` its codes
    (``old`` and ``new`` status, project ids). ``note`` is what staff wrote."""

    input = models.ForeignKey(Input, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=24)
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    notified = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.input_id}: {self.action}"


class EventChange(AppendOnly):
    """The audit trail of an event and its registrations: ``action`` is a key and ``data`` its
    codes (changed fields with old and new values, a registration's id, a stated reason)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=24)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.action}"
