"""Projects (tiltak) run by a district in an area: money, progress, indicators and history.

Every write goes through ``projects.services``, which records a ``ProjectChange`` row in the same
transaction; nothing here is changed silently.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, ParticipationStep, SubGoal
from core.storages import RandomName, public_storage


class Project(models.Model):
    class Status(models.TextChoices):
        IDEA = "ide", _("Idea")
        PLANNED = "planlagt", _("Planned")
        ONGOING = "pagar", _("Ongoing")
        COMPLETED = "fullfort", _("Completed")
        CLOSED = "avsluttet", _("Closed")
        CANCELLED = "avlyst", _("Cancelled")

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="projects", verbose_name=_("area")
    )
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    sub_goals = models.ManyToManyField(
        SubGoal, related_name="projects", verbose_name=_("sub-goals")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    participation_step = models.PositiveSmallIntegerField(
        _("participation step"),
        choices=ParticipationStep.choices,
        default=ParticipationStep.PROACTIVE,
        help_text=_("The municipality's role in the project (deltakelsestrappa)."),
    )
    owner = models.CharField(_("project owner"), max_length=160, blank=True)
    manager = models.CharField(_("project manager"), max_length=160, blank=True)
    steering_group = models.TextField(_("steering group"), blank=True)
    benefit_owner = models.CharField(_("benefit owner"), max_length=160, blank=True)
    is_public = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Published projects are shown on the area page and in the open data."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def district(self):
        return self.area.district


class Partner(models.Model):
    """An actor the project works with, typed by the brochure's list of actors."""

    class Kind(models.TextChoices):
        SCHOOL = "skole", _("School")
        KINDERGARTEN = "barnehage", _("Kindergarten")
        ASSOCIATION = "forening", _("Association")
        RESIDENTS_ASSOCIATION = "velforening", _("Residents' association")
        HOUSING_COOP = "borettslag", _("Housing co-operative")
        SPORTS_CLUB = "idrettslag", _("Sports club")
        VOLUNTEER_CENTRE = "frivilligsentral", _("Volunteer centre")
        CULTURE = "kulturaktor", _("Local cultural actor")
        AGENCY = "etat", _("Municipal agency")
        STATE = "stat", _("State body")
        BUSINESS = "naeringsliv", _("Business")
        SOCIAL_ENTREPRENEUR = "sosial_entreprenor", _("Social entrepreneur")
        FAITH = "trossamfunn", _("Faith community")
        RESIDENTS = "innbyggere", _("Residents")
        OTHER = "annet", _("Other")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class ProjectImage(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="images", verbose_name=_("project")
    )
    image = models.ImageField(
        _("image"),
        upload_to=RandomName("projects", keep_extension=True),
        storage=public_storage,
    )
    # Read from the file when it is saved (``save``), so a page can give the browser the
    # image's size before it arrives and nothing below it moves. Not ImageField's
    # width_field, which reads the file again each time a row without a size is loaded.
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="project_image_alt_required"
            )
        ]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs):
        if self.image and (self.width is None or self.height is None):
            try:
                self.width, self.height = self.image.width, self.image.height
            except (OSError, ValueError, TypeError):
                self.width = self.height = None  # not readable: the page gives no size
        super().save(*args, **kwargs)


class BudgetLine(models.Model):
    class Source(models.TextChoices):
        # The områdeløft funds are the state's and Oslo kommune's, each its own source
        # (docs/funding-sources.md): the old single value is the city's share.
        AREA_FUNDS = "omradeloftmidler", _("Area upgrade funds, Oslo kommune")
        STATE_AREA_FUNDS = "omradeloft_stat", _("Area upgrade funds, the state")
        HOUSING_GRANT = "bomiljotilskudd", _("Bomiljøtilskudd")
        OTHER_PUBLIC = "annen_offentlig", _("Other public funding")
        PRIVATE = "privat", _("Private funding")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("funding source"), max_length=20, choices=Source.choices)
    planned = models.DecimalField(
        _("planned (NOK)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(0)]
    )
    spent = models.DecimalField(
        _("spent (NOK)"),
        max_digits=12,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["year", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "source"], name="budget_line_unique_year_source"
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0) & models.Q(spent__gte=0),
                name="budget_line_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}"


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due"))
    done_date = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_date is not None


class StatusUpdate(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public updates are shown on the project page.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"


class Indicator(models.Model):
    """Something the project measures, e.g. "dugnadstimer" or "besøkstall" (unit, base, target)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example hours, people, %."))
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    date = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"


class ProjectChange(models.Model):
    """Append-only history: who changed what in a project, and when.

    A row stores what happened as an action key, the action's particulars in ``data`` (names,
    years, codes) and each changed field's old and new value in ``changes`` as codes (ISO dates,
    choice codes, ids). ``projects.history`` puts it into words in the reader's language.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Project created")
        UPDATED = "updated", _("Project details changed")
        MILESTONE_ADDED = "milestone_added", _("Milestone added")
        MILESTONE_DONE = "milestone_done", _("Milestone done")
        BUDGET = "budget", _("Budget")
        INDICATOR_ADDED = "indicator_added", _("Indicator added")
        INDICATOR_VALUE = "indicator_value", _("Measured value")
        UPDATE_ADDED = "update_added", _("Status update added")
        PARTNER_ADDED = "partner_added", _("Partner added")
        IMAGE_ADDED = "image_added", _("Image added")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="changes", verbose_name=_("project")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    data = models.JSONField(_("particulars"), default=dict, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("project change")
        verbose_name_plural = _("project changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class ProjectTally(models.Model):
    """Projects counted by everything the dashboards group and filter them by, kept by
    ``projects.tallies`` in the transaction of every write: the area, the status, the
    participation step and the years the project starts and ends. A row with a sub-goal
    counts the projects that hold it; a row without counts each project once. A few hundred
    rows stand for any number of projects, so a figure costs the same at every volume."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, null=True, related_name="+")
    status = models.CharField(max_length=12, choices=Project.Status.choices)
    participation_step = models.PositiveSmallIntegerField(choices=ParticipationStep.choices)
    first_year = models.PositiveSmallIntegerField(null=True)
    last_year = models.PositiveSmallIntegerField(null=True)
    projects = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["area", "sub_goal"], name="project_tally_area")]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.sub_goal_id}/{self.status}: {self.projects}"


class BudgetTally(models.Model):
    """Budget lines summed by everything the dashboards group and filter them by (the
    project's area, the source and the year), kept as ``ProjectTally`` is. A row with a
    sub-goal sums the lines of the projects that hold it; a row without sums each line once."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, null=True, related_name="+")
    source = models.CharField(max_length=20, choices=BudgetLine.Source.choices)
    year = models.PositiveSmallIntegerField()
    planned = models.DecimalField(max_digits=18, decimal_places=0)
    spent = models.DecimalField(max_digits=18, decimal_places=0)

    class Meta:
        indexes = [models.Index(fields=["area", "sub_goal"], name="budget_tally_area")]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.sub_goal_id}/{self.source} {self.year}: {self.planned}"
