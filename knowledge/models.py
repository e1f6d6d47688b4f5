"""What the programme knows and who answers for it: its bodies and contacts, its documents,
the lessons its projects learned and the method recipes built from them.

Every write goes through ``knowledge.services``, which writes an audit row in the same
transaction.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, Programme, SubGoal
from core.storages import RandomName, private_storage
from core.workflow import StatusGuard

PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ]{6,18}[0-9]$",
    _("Enter a phone number of digits, e.g. 21 80 21 80 or +47 21 80 21 80."),
)


class Member(models.Model):
    """An organisation in one of the programme's bodies: the programme board (programstyre),
    the programme committee (programutvalg) or the secretariat. The board's leader also names
    the person who holds the post."""

    class Body(models.TextChoices):
        BOARD = "programstyre", _("Programme board")
        COMMITTEE = "programutvalg", _("Programme committee")
        SECRETARIAT = "sekretariat", _("Secretariat")

    class Role(models.TextChoices):
        LEADER = "leder", _("Leader")
        MEMBER = "medlem", _("Member")

    body = models.CharField(_("body"), max_length=16, choices=Body.choices)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    organisation = models.CharField(_("organisation"), max_length=160)
    person_name = models.CharField(_("person"), max_length=120, blank=True)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("For example Bydelsdirektør.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["body", "-role", "sort_order", "organisation"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(role="leder"),
                name="member_one_leader_per_body",
                violation_error_message=_(
                    "This body already has a leader. Make the present leader a member first."
                ),
            ),
            models.UniqueConstraint(
                fields=["body", "role", "organisation"],
                name="member_unique_organisation",
                violation_error_message=_(
                    "This organisation is listed in the body already, in this role."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.organisation


class Contact(models.Model):
    """Someone to contact: for the programme as a whole (neither district nor area), for a
    district, or for one area."""

    role = models.CharField(
        _("role"), max_length=120, help_text=_("For example Programleder or Prosjektleder.")
    )
    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    email = models.EmailField(_("email address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PHONE])
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("district"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("area"),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(area__isnull=True),
                name="contact_district_or_area",
                violation_error_message=_(
                    "Choose a district or an area, not both: an area's district is known."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Document(models.Model):
    """A document in the archive: a programme plan, an action programme, an annual report, a
    place analysis, a handbook. An uploaded PDF lives in private storage and is served through
    a view that checks who may read it; a published action programme's PDF stays where the
    programme keeps it (``programme_version``) and the archive links to it."""

    class Kind(models.TextChoices):
        PROGRAMME_PLAN = "programplan", _("Programme plan")
        ACTION_PROGRAMME = "handlingsprogram", _("Action programme")
        ANNUAL_REPORT = "arsrapport", _("Annual report")
        PLACE_ANALYSIS = "stedsanalyse", _("Place analysis")
        HANDBOOK = "handbok", _("Handbook")
        OTHER = "annet", _("Other document")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nb"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("area programme"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("district"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("area"),
    )
    summary = models.CharField(_("summary"), max_length=600)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public documents are in the open archive; others only staff can read."),
    )
    file = models.FileField(
        _("PDF"),
        storage=private_storage,
        upload_to=RandomName("knowledge/documents"),
        blank=True,
        max_length=200,
    )
    filename = models.CharField(_("file name"), max_length=160, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    text = models.TextField(_("text of the PDF"), blank=True)
    programme_version = models.OneToOneField(
        "programmes.ProgrammeVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="archived_as",
        verbose_name=_("published action programme"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["is_public", "-year"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:document_detail", kwargs={"pk": self.pk})


class Recipe(StatusGuard):
    """A method recipe (oppskrift) of the programme's cookbook (kokebok): a short article on a
    way of working — what it takes (ingredients, one a line) and how it is done (steps, in
    order, one a line) — written by the secretariat (no district) or a district. It names the
    projects that used it; lessons are tagged with it as their method. Its status changes only
    through ``knowledge.workflow.RECIPE_STATUS``."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        PUBLISHED = "publisert", _("Published")

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = models.CharField(_("summary"), max_length=400)
    introduction = models.TextField(_("introduction"), blank=True)
    ingredients = models.TextField(
        _("ingredients"), help_text=_("What it takes: one ingredient a line.")
    )
    steps = models.TextField(_("steps"), help_text=_("How it is done: one step a line, in order."))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recipes",
        verbose_name=_("district"),
        help_text=_("The district that wrote it; empty for the secretariat."),
    )
    projects = models.ManyToManyField(
        "projects.Project",
        blank=True,
        related_name="recipes",
        verbose_name=_("projects that used it"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("method recipe")
        verbose_name_plural = _("method recipes")
        indexes = [models.Index(fields=["status", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:recipe_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def ingredient_list(self) -> list[str]:
        return _lines(self.ingredients)

    @property
    def step_list(self) -> list[str]:
        return _lines(self.steps)


def _lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, without list marks a writer may have typed."""
    found = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*").strip()
        if line:
            found.append(line)
    return found


class Lesson(StatusGuard):
    """A lesson learned (erfaring) of one project: what worked, what did not, and advice to
    others, tagged with sub-goals (delmål) and methods (recipes). A draft is internal — the
    staff of every district read it, since sharing across districts is the point; a published
    lesson of a public project is read by everyone. Its status changes only through
    ``knowledge.workflow.LESSON_STATUS``."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Internal draft")
        PUBLISHED = "publisert", _("Published")

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=160)
    worked = models.TextField(_("what worked"))
    did_not_work = models.TextField(_("what did not work"), blank=True)
    advice = models.TextField(_("advice to others"), blank=True)
    sub_goals = models.ManyToManyField(
        SubGoal, blank=True, related_name="lessons", verbose_name=_("sub-goals")
    )
    methods = models.ManyToManyField(
        Recipe, blank=True, related_name="lessons", verbose_name=_("methods")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # Newest published first, then the drafts (never published), newest first, whatever
        # the database does with empty dates.
        ordering = [models.F("published_at").desc(nulls_last=True), "-created_at", "-pk"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
