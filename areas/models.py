"""Reference data every other app uses: programmes, districts, areas and goals.

The secretariat edits these rows in the admin; the initial rows come from a data migration
built from the programme's 2025 brochure and Oslo kommune's pages.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .translation import TranslatedMixin


class ParticipationStep(models.IntegerChoices):
    """The brochure's *deltakelsestrappa*: the municipality's role in an area over time.

    It is set for each area per year (in its handlingsprogram) and for each project and event,
    so the board sees how far each area has come. The steps go from the municipality leading
    to the residents leading; they say what role the municipality plays, not how much
    influence the residents have (docs/participation-steps.md).
    """

    PROACTIVE = 1, _("Proactive role")
    GUIDING = 2, _("Guiding role")
    CONNECTOR = 3, _("Connector role")
    SUPPORT = 4, _("Reactive role / support system")

    @property
    def aim(self) -> str:
        """What the municipality builds on this step, in the brochure's words."""
        return str(STEP_AIMS[self])

    @property
    def practice(self) -> str:
        """How the municipality works on this step, in the brochure's words."""
        return str(STEP_PRACTICES[self])


STEP_AIMS = {
    ParticipationStep.PROACTIVE: _("Trust"),
    ParticipationStep.GUIDING: _("A culture of participation"),
    ParticipationStep.CONNECTOR: _("An “ecosystem” of participation"),
    ParticipationStep.SUPPORT: _("Resident-driven local community development"),
}
STEP_PRACTICES = {
    ParticipationStep.PROACTIVE: _("Concrete and close at hand"),
    ParticipationStep.GUIDING: _("Follow the energy"),
    ParticipationStep.CONNECTOR: _("Build networks"),
    ParticipationStep.SUPPORT: _("Support system"),
}


class Programme(TranslatedMixin, models.Model):
    """An områdesatsing (Groruddalssatsingen, Oslo sør, Oslo indre øst)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    end_year = models.PositiveSmallIntegerField(_("runs until (year)"))
    description = models.TextField(_("description"), blank=True)
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("area programme")
        verbose_name_plural = _("area programmes")

    def __str__(self) -> str:
        return self.name


class SubProgramme(TranslatedMixin, models.Model):
    """A delprogram (nærmiljø; oppvekst og utdanning; sysselsetting), shared by the programmes.

    The portal serves the sub-programmes marked ``served``; others can be added as data.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    programmes = models.ManyToManyField(
        Programme, related_name="sub_programmes", verbose_name=_("area programmes")
    )
    main_goal = models.TextField(_("main goal"), blank=True)
    main_goal_nn = models.TextField(_("main goal (nynorsk)"), blank=True)
    main_goal_en = models.TextField(_("main goal (English)"), blank=True)
    served = models.BooleanField(
        _("served by the portal"),
        default=False,
        help_text=_("Projects, grants and events can be registered under this sub-programme."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("sub-programme")
        verbose_name_plural = _("sub-programmes")

    def __str__(self) -> str:
        return self.name


class MainGoal(TranslatedMixin, models.Model):
    """The overall goal (hovedmål) of the area programmes, shown above the sub-goals."""

    text = models.TextField(_("text"))
    text_nn = models.TextField(_("text (nynorsk)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("main goal")
        verbose_name_plural = _("main goals")

    def __str__(self) -> str:
        return self.text[:80]


class SubGoal(TranslatedMixin, models.Model):
    """A delmål of a sub-programme; projects, grants, events and input are tagged with them."""

    sub_programme = models.ForeignKey(
        SubProgramme,
        on_delete=models.PROTECT,
        related_name="sub_goals",
        verbose_name=_("sub-programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=120)
    title_nn = models.CharField(_("title (nynorsk)"), max_length=120, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    description = models.TextField(_("description"))
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["sub_programme__sort_order", "number"]
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        constraints = [
            models.UniqueConstraint(
                fields=["sub_programme", "number"], name="subgoal_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.tr.title}"  # in the reader's language


class District(models.Model):
    """A bydel. Staff roles are scoped to one district."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    number = models.CharField(
        _("district number"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Enter the two-digit Oslo district number."))],
        help_text=_("Oslo kommune's two-digit number, e.g. 01 for Gamle Oslo."),
    )
    slug = models.SlugField(_("slug"), unique=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("area programme"),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"Bydel {self.name}"


class Area(TranslatedMixin, models.Model):
    """One områdeløft: a neighbourhood given extra effort for a period of years."""

    class Phase(models.TextChoices):
        MAPPING = "kartlegging", _("Mapping and analysis")
        IMPLEMENTATION = "gjennomforing", _("Planning and implementation")
        CLOSING = "avslutning", _("Closing and continuation")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="areas", verbose_name=_("district")
    )
    sub_programme = models.ForeignKey(
        SubProgramme,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("sub-programme"),
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_nn = models.CharField(_("summary (nynorsk)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sub_goals = models.ManyToManyField(
        SubGoal, blank=True, related_name="areas", verbose_name=_("sub-goals")
    )
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS 84."),
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["district__number", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="area_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("area_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The end year cannot be before the start year.")
        if self.boundary is not None:
            kind = self.boundary.get("type") if isinstance(self.boundary, dict) else None
            if kind not in {"Polygon", "MultiPolygon"}:
                errors["boundary"] = _("The boundary must be a GeoJSON Polygon or MultiPolygon.")
        if errors:
            raise ValidationError(errors)

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class TargetZone(TranslatedMixin, models.Model):
    """An innsatsområde inside an area where the effort is concentrated."""

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="target_zones", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("target zone")
        verbose_name_plural = _("target zones")

    def __str__(self) -> str:
        return self.name
