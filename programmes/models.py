"""The yearly handlingsprogram of an area: its prose, its measures and its versions.

A programme is written by the district, put on høring to residents, considered by the local
programme committee, adopted by the district's programme leader and published. What it says
about projects, grants, events and input is composed from the live data
(``programmes.compose``) until it is adopted; an adopted version is frozen as that composition
(``ProgrammeVersion.content``) together with its PDF, and a later change makes a new version.

Every status change goes through ``programmes.workflow``, which writes a ``ProgrammeChange``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, ParticipationStep, SubGoal
from core.models import AppendOnly
from core.storages import private_storage
from core.workflow import StatusGuard, StatusGuardQuerySet
from participation.models import Input
from projects.models import Project

from .paging import measure_url


class ActionProgramme(StatusGuard):
    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        HEARING = "horing", _("Out for comments")
        REVIEW = "behandling", _("Under consideration")
        ADOPTED = "vedtatt", _("Adopted")
        PUBLISHED = "publisert", _("Published")

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="action_programmes", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The number of the version being worked on; adopted versions are ``versions``.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    participation_step = models.PositiveSmallIntegerField(
        _("participation step"),
        choices=ParticipationStep.choices,
        default=ParticipationStep.PROACTIVE,
        help_text=_("The municipality's role in the area this year (deltakelsestrappa)."),
    )
    hearing_until = models.DateField(_("comments until"), null=True, blank=True)

    introduction = models.TextField(_("introduction"), blank=True)
    area_text = models.TextField(
        _("the area"), blank=True, help_text=_("Boundaries, target zones and what marks the area.")
    )
    challenges = models.TextField(
        _("challenges"), blank=True, help_text=_("The challenges the place analysis found.")
    )
    participation_summary = models.TextField(_("participation so far"), blank=True)
    participation_plan = models.TextField(_("participation this year"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    organisation = models.TextField(
        _("organisation and contacts"),
        blank=True,
        help_text=_("Who runs the area programme, the committee, and whom to contact."),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StatusGuardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "area__district__number", "area__name"]
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="programme_one_per_area_year")
        ]

    def __str__(self) -> str:
        return f"Handlingsprogram {self.year} – {self.area.name}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"area": self.area.slug, "year": self.year})

    @property
    def district(self):
        return self.area.district

    @property
    def is_frozen(self) -> bool:
        """Adopted or published: the text and measures wait for a new version."""
        return self.status in (self.Status.ADOPTED, self.Status.PUBLISHED)


# The prose fields of a programme, in the order the document shows them.
PROSE_FIELDS = (
    "introduction",
    "area_text",
    "challenges",
    "participation_summary",
    "participation_plan",
    "risks",
    "organisation",
)


class ProgrammeGoal(models.Model):
    """The area's local goal and strategies under one delmål."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="goals", verbose_name=_("programme")
    )
    sub_goal = models.ForeignKey(
        SubGoal, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-goal")
    )
    local_goal = models.TextField(_("local goal"), blank=True)
    strategies = models.TextField(_("strategies"), blank=True)

    class Meta:
        ordering = ["sub_goal__number"]
        verbose_name = _("goal and strategies")
        verbose_name_plural = _("goals and strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sub_goal"], name="programme_goal_one_per_sub_goal"
            )
        ]

    def __str__(self) -> str:
        return str(self.sub_goal)


class Measure(models.Model):
    """A project's entry in one year's programme: the project's data, shown live, and what the
    programme says of it this year."""

    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("programme"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="programme_measures",
        verbose_name=_("project"),
    )
    comment = models.TextField(
        _("comment in the programme"),
        blank=True,
        help_text=_("What the programme says of this measure this year."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["programme", "project"], name="measure_one_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.project}"


class Rendering(models.Model):
    """One PDF of one composition of a programme. The composition's hash names it: the same
    content is rendered once and gives the same file, however often it is asked for.

    The row, not the broker, remembers what is pending: ``programmes.tasks`` claims it by its
    status and the sweep sends again what was lost on the way to a worker.
    """

    class Status(models.TextChoices):
        QUEUED = "ko", _("Queued")
        RENDERING = "lager", _("Rendering")
        READY = "klar", _("Ready")
        FAILED = "feilet", _("Failed")

    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.PROTECT,
        related_name="renderings",
        verbose_name=_("programme"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    content = models.JSONField(_("content"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    pdf = models.FileField(_("PDF"), storage=private_storage, blank=True, max_length=200)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The Celery task that holds the claim: a redelivery of the same message (a worker killed
    # mid-render) may take it over, another message may not while the claim is fresh.
    task_id = models.CharField(max_length=64, blank=True)
    renders = models.PositiveIntegerField(_("renders completed"), default=0)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("PDF rendering")
        verbose_name_plural = _("PDF renderings")
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.programme} ({self.content_hash[:12]})"


class ProgrammeVersion(models.Model):
    """An adopted version, frozen: the composition as it was adopted, and its PDF."""

    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("programme"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    rendering = models.ForeignKey(
        Rendering, on_delete=models.PROTECT, related_name="versions", verbose_name=_("PDF")
    )
    adopted_at = models.DateTimeField(_("adopted"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "-number"]
        verbose_name = _("adopted version")
        verbose_name_plural = _("adopted versions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="programme_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}, versjon {self.number}"

    def save(self, *args, **kwargs):
        # Frozen: once adopted, only the publication date is ever written.
        if not self._state.adding and set(kwargs.get("update_fields") or ()) != {"published_at"}:
            raise ValueError("An adopted programme version is frozen.")
        super().save(*args, **kwargs)


class ProgrammeChange(AppendOnly):
    """Append-only history of a programme: an action key and its particulars (codes, numbers),
    put into words when shown (``programmes.history``)."""

    programme = models.ForeignKey(ActionProgramme, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("programme change")
        verbose_name_plural = _("programme changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


# The sections of the programme as the page and the PDF show them (their ids in
# ``templates/programmes/partials/_content.html``): what a resident's comment can be about.
class Section(models.TextChoices):
    INTRODUCTION = "innledning", _("Introduction")
    AREA = "omradet", _("The area")
    GOALS = "mal", _("Goals and strategies")
    RESULTS = "resultater", _("Last year's results")
    MEASURES = "tiltak", _("Measures")
    PARTICIPATION = "medvirkning", _("Participation")
    BUDGET = "budsjett", _("Budget")
    RISKS = "risiko", _("Risks")
    ORGANISATION = "organisering", _("Organisation and contacts")


class ProgrammeComment(models.Model):
    """A resident's comment on a draft out for comments: an input of participation (followed
    up there like any other), about one section of the programme or one of its measures."""

    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("programme"),
    )
    input = models.OneToOneField(
        Input,
        on_delete=models.CASCADE,
        related_name="programme_comment",
        verbose_name=_("input"),
    )
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    # A comment on a measure is in the measures section; if the measure is later taken out of
    # the programme, the comment stays on the section.
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("measure"),
    )
    version = models.PositiveSmallIntegerField(_("version commented on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on the programme")
        verbose_name_plural = _("comments on the programme")

    def __str__(self) -> str:
        return f"{self.programme}: {self.section}"


class PlanLink(models.Model):
    """An input taken into the action programme: the measure that took it (``Input``'s
    ``taken_into_plan_link``). The programme is kept even if the measure is taken out."""

    input = models.OneToOneField(
        Input,
        on_delete=models.CASCADE,
        related_name="taken_into_plan_link",
        verbose_name=_("input"),
    )
    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.PROTECT,
        related_name="plan_links",
        verbose_name=_("programme"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("measure"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("input taken into the programme")
        verbose_name_plural = _("inputs taken into the programme")

    def __str__(self) -> str:
        return f"Handlingsprogram {self.programme.year}, tiltak {self.number or '–'}"

    def get_absolute_url(self) -> str:
        """The measure on the programme's public page, on the page of measures that holds it
        (the page itself without a measure)."""
        number = self.number
        return measure_url(self.programme, number) if number else self.programme.get_absolute_url()

    @property
    def number(self) -> int | None:
        """The measure's number in the programme (its place in the order, as the page counts
        them); None when the measure is no longer in it. Uses the programme's measures when
        they are prefetched."""
        if self.measure_id is None:
            return None
        ordered = sorted(self.programme.measures.all(), key=lambda m: (m.position, m.pk))
        for number, measure in enumerate(ordered, start=1):
            if measure.pk == self.measure_id:
                return number
        return None

    @property
    def is_current(self) -> bool:
        """The input still stands as taken up (or done); reconsidered, the link is history."""
        return self.input.follow_up in (Input.FollowUp.TAKEN_UP, Input.FollowUp.DONE)

    @property
    def is_public(self) -> bool:
        """Anyone may read the programme (``permissions.programmes_public``), judged on the
        programme's area and versions, prefetched or not."""
        programme = self.programme
        if not programme.area.is_published:
            return False
        if programme.status == ActionProgramme.Status.HEARING:
            return True
        return any(v.published_at is not None for v in programme.versions.all())

    @property
    def label(self) -> str:
        number = self.number
        if number is None:
            return _("Handlingsprogram %(year)s") % {"year": self.programme.year}
        return _("Handlingsprogram %(year)s, measure %(number)s: %(title)s") % {
            "year": self.programme.year,
            "number": number,
            "title": self.measure_title,
        }

    @property
    def measure_title(self) -> str:
        return self.measure.project.title if self.measure_id else ""
