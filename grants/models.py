"""Bomiljøtilskudd: rounds, applicant organisations, applications and everything a case records.

Every rule a round may vary is a field on ``GrantRound``; the checks that read them live in
``grants.rules``. Every write goes through ``grants.services``, which appends a ``CaseEvent`` in
the same transaction. Nothing here is hard-deleted: rows are withdrawn, superseded or closed.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, SubGoal
from areas.translation import localized
from core.models import AppendOnly
from core.storages import RandomName, private_storage
from core.workflow import StatusGuard, StatusGuardQuerySet


class ApplicantKind(models.TextChoices):
    """Who may apply (Oslo's published rules): never individuals, never public bodies."""

    HOUSING_COOP = "borettslag", _("Housing co-operative (borettslag)")
    CONDOMINIUM = "sameie", _("Condominium (sameie)")
    RESIDENTS_ASSOCIATION = "velforening", _("Residents' association (velforening)")
    NON_PROFIT = "frivillig", _("Non-profit organisation")
    SOCIAL_ENTERPRISE = "sosialt_entreprenor", _("Social entrepreneur")


class AttachmentKind(models.TextChoices):
    BOARD_RESOLUTION = "styrevedtak", _("Board resolution (styrevedtak)")
    QUOTE = "tilbud", _("Quote from a supplier")
    DRAWING = "tegning", _("Drawing or sketch")
    PROPERTY_AGREEMENT = "avtale", _("Agreement with the property owner")
    REPORT_DOCUMENTATION = "rapport", _("Report documentation")
    OTHER = "annet", _("Other")


def default_attachment_kinds() -> list[str]:
    return [AttachmentKind.BOARD_RESOLUTION, AttachmentKind.QUOTE]


def default_applicant_kinds() -> list[str]:
    return [kind.value for kind in ApplicantKind]


class GrantRound(models.Model):
    """A yearly call (utlysning). Each field is a rule the application is checked against."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    areas = models.ManyToManyField(Area, related_name="grant_rounds", verbose_name=_("areas"))
    applicant_kinds = models.JSONField(
        _("eligible applicant types"), default=default_applicant_kinds
    )
    budget = models.PositiveIntegerField(_("budget (NOK)"))
    min_own_share_percent = models.PositiveSmallIntegerField(
        _("minimum own share (%)"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_("The applicant's own contribution as a share of the total cost."),
    )
    max_city_share_percent = models.PositiveSmallIntegerField(
        _("maximum city share (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    max_amount = models.PositiveIntegerField(_("maximum amount (NOK)"))
    required_attachments = models.JSONField(
        _("required attachments"), default=default_attachment_kinds
    )
    acceptance_days = models.PositiveSmallIntegerField(
        _("days allowed to accept the grant"), default=28
    )
    report_deadline = models.DateField(_("reporting deadline"))
    criteria = models.TextField(
        _("criteria"),
        help_text=_("One criterion per line. Case handlers score each one from 1 to 5."),
    )
    criteria_nn = models.TextField(_("criteria (nynorsk)"), blank=True)
    criteria_en = models.TextField(_("criteria (English)"), blank=True)
    four_eyes = models.BooleanField(
        _("four eyes"),
        default=True,
        help_text=_("The one who decides a case may not be the one who assessed it."),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        default="Oslo kommunes retningslinjer for bomiljøtilskudd i områdeløft",
    )
    appeal_body = models.CharField(
        _("appeal body"), max_length=200, default="Oslo kommunes klagenemnd"
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-opens_at"]
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="grant_round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(min_own_share_percent__lte=100)
                & models.Q(max_city_share_percent__lte=100),
                name="grant_round_percentages",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.is_published and self.opens_at <= at < self.closes_at

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]

    @property
    def criteria_shown(self):
        """The criteria for the applicant, in the reader's language (bokmål if not translated):
        ``.lines`` and ``.lang``/``.is_fallback`` to mark the language. Scores keep bokmål."""
        text = localized(self, "criteria")
        lines = [line.strip() for line in text.text.splitlines() if line.strip()]
        return SimpleNamespace(lines=lines, lang=text.lang, is_fallback=text.is_fallback)


class Organisation(models.Model):
    """An applicant: a borettslag, sameie, velforening or non-profit, known by its orgnr."""

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=9, unique=True)
    account_number = models.CharField(_("account number"), max_length=11)
    kind = models.CharField(_("type"), max_length=24, choices=ApplicantKind.choices)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    city = models.CharField(_("city"), max_length=80, default="Oslo")
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person who may act for an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField(_("may invite others"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    VALID_FOR = timedelta(days=14)

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation}"

    def is_valid(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.created_at + self.VALID_FOR


class ReferenceCounter(models.Model):
    """The last reference number issued per year; locked row by row under concurrency."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class GrantApplication(StatusGuard, models.Model):
    """An application and, once submitted, the case. Its status changes only through
    ``grants.workflow.move`` (the model refuses any other way, also ``update(status=…)``)."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        SUBMITTED = "sendt", _("Submitted")
        IN_REVIEW = "behandles", _("Being assessed")
        AWAITING_INFO = "venter", _("Waiting for more information")
        PROPOSED = "innstilt", _("Proposal ready for decision")
        GRANTED = "innvilget", _("Granted")
        REJECTED = "avslatt", _("Rejected")
        ACCEPTED = "akseptert", _("Grant accepted")
        REPORT_SUBMITTED = "rapportert", _("Final report submitted")
        CLOSED = "avsluttet", _("Closed")
        WITHDRAWN = "trukket", _("Withdrawn")
        LAPSED = "bortfalt", _("Lapsed (not accepted in time)")

    round = models.ForeignKey(
        GrantRound, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The one-time key of the "Start" form that made the draft: a second press of the same
    # form (a double click, a resent POST) finds this draft instead of making another.
    start_key = models.CharField(max_length=40, blank=True, default="", editable=False)
    reference = models.CharField(  # noqa: DJ001 — NULL until submitted; unique when set
        _("reference"), max_length=20, unique=True, null=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The measure
    title = models.CharField(_("title of the measure"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    sub_goal = models.ForeignKey(
        SubGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-goal"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("area"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    # A legal statement the applicant makes: unanswered (None) until they choose.
    on_own_property = models.BooleanField(
        _("on the applicant's own property"), null=True, blank=True, default=None
    )
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    resident_involvement = models.TextField(_("how residents were involved"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    # The money
    own_contribution = models.PositiveIntegerField(_("own contribution (NOK)"), default=0)
    other_funding = models.PositiveIntegerField(_("other funding (NOK)"), default=0)
    amount_applied = models.PositiveIntegerField(_("amount applied for (NOK)"), default=0)
    dugnad_hours = models.PositiveIntegerField(
        _("dugnad hours"),
        default=0,
        help_text=_("Recorded, but not counted as own contribution."),
    )
    # Case handling
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("case handler"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accept_by = models.DateField(_("accept by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    acceptance_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    report_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StatusGuardQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="grant_application_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status="utkast") | models.Q(reference__isnull=False),
                name="grant_application_reference_when_submitted",
            ),
            models.UniqueConstraint(
                fields=["created_by", "start_key"],
                condition=~models.Q(start_key=""),
                name="grant_application_started_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "round"])]

    def __str__(self) -> str:
        return self.reference or f"{_('Draft')} {self.pk}"

    @property
    def total_cost(self) -> int:
        """Sum of the cost lines; callers that list many applications annotate it instead."""
        if hasattr(self, "cost_total"):
            return self.cost_total or 0
        return sum(line.amount for line in self.cost_lines.all())

    @property
    def own_share_percent(self) -> Decimal | None:
        total = self.total_cost
        if not total:
            return None
        return (Decimal(self.own_contribution) * 100 / total).quantize(Decimal("0.1"))

    @property
    def display_reference(self) -> str:
        return self.reference or _("Draft")


class CostLine(models.Model):
    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="cost_lines"
    )
    description = models.CharField(_("cost item"), max_length=200)
    amount = models.PositiveIntegerField(_("amount (NOK)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name that reveals nothing but the type found in the content: the user's file
    # name is kept in the row, for the download, and never used as a path.
    return RandomName("attachments", keep_extension=True)(instance, f"_.{instance.extension}")


class Attachment(models.Model):
    """An uploaded file. Its type is checked by content, not by name, before it is stored."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("type of document"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    for_report = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed from a draft by the applicant: kept for the record, no longer part of the case.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ImpartialityDeclaration(models.Model):
    """A case handler's declaration under forvaltningsloven §§ 6–10 before assessing."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="impartiality_declarations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    impartial = models.BooleanField(_("I am impartial in this case"))
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.application}"


class Recommendation(models.TextChoices):
    APPROVE = "innvilg", _("Approve in full")
    PARTIAL = "delvis", _("Approve in part")
    REJECT = "avslag", _("Reject")


class Assessment(models.Model):
    """The case handler's assessment: scores, recommendation and notes the applicant never sees."""

    application = models.OneToOneField(
        GrantApplication, on_delete=models.CASCADE, related_name="assessment"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField(_("scores"), default=dict)
    recommendation = models.CharField(
        _("recommendation"), max_length=8, choices=Recommendation.choices, blank=True
    )
    recommended_amount = models.PositiveIntegerField(
        _("recommended amount (NOK)"), null=True, blank=True
    )
    reasons = models.TextField(_("proposed reasons"), blank=True)
    conditions = models.TextField(_("proposed conditions"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.application}"


DECIDED = {
    Recommendation.APPROVE: _("Granted in full"),
    Recommendation.PARTIAL: _("Granted in part"),
    Recommendation.REJECT: _("Refused"),
}


class Decision(models.Model):
    """An enkeltvedtak. A later decision (after reconsideration) supersedes, never overwrites."""

    class LetterStatus(models.TextChoices):
        PENDING = "venter", _("Being prepared")
        READY = "klar", _("Ready")
        FAILED = "feilet", _("Failed")

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=Recommendation.choices)
    amount = models.PositiveIntegerField(_("amount granted (NOK)"), default=0)
    reasons = models.TextField(_("reasons"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    appeal_body = models.CharField(_("appeal body"), max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    on_appeal = models.BooleanField(_("made on appeal"), default=False)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    appeal_deadline = models.DateField(_("appeal deadline"))
    letter = models.FileField(
        _("decision letter"),
        upload_to=RandomName("letters", keep_extension=True),
        storage=private_storage,
        blank=True,
    )
    letter_status = models.CharField(
        max_length=8, choices=LetterStatus.choices, default=LetterStatus.PENDING
    )
    letter_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="avslag") | models.Q(amount=0),
                name="decision_rejection_has_no_amount",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_outcome_display()}"

    @property
    def is_grant(self) -> bool:
        return self.outcome in (Recommendation.APPROVE, Recommendation.PARTIAL)

    @property
    def outcome_label(self) -> str:
        """What was decided, as a decision reads ("Granted in part"), not as the choice the
        decider made ("Approve in part")."""
        return str(DECIDED.get(self.outcome, self.get_outcome_display()))


class CaseMessage(models.Model):
    """Messages between the applicant and the district, including requests for more information."""

    class Kind(models.TextChoices):
        MESSAGE = "melding", _("Message")
        INFO_REQUEST = "foresporsel", _("Request for more information")
        REPLY = "svar", _("Reply")

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MESSAGE)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_kind_display()}"


class Payment(models.Model):
    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveIntegerField(_("amount (NOK)"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} – {self.amount}"


class FinalReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "levert", _("Submitted")
        RETURNED = "returnert", _("Returned for changes")
        APPROVED = "godkjent", _("Approved")

    application = models.OneToOneField(
        GrantApplication, on_delete=models.PROTECT, related_name="final_report"
    )
    what_was_done = models.TextField(_("what was done"))
    participants = models.PositiveIntegerField(_("participants"))
    dugnad_hours = models.PositiveIntegerField(_("dugnad hours"), default=0)
    # [{"description": str, "budgeted": int, "actual": int}] — one per cost line.
    accounts = models.JSONField(_("accounts"), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("comment to the applicant"), blank=True)

    def __str__(self) -> str:
        return f"{self.application}"

    @property
    def actual_total(self) -> int:
        return sum(int(row.get("actual") or 0) for row in self.accounts)

    @property
    def budgeted_total(self) -> int:
        return sum(int(row.get("budgeted") or 0) for row in self.accounts)


class Appeal(models.Model):
    """A klage. The district first reconsiders; otherwise the appeal body decides."""

    class Status(models.TextChoices):
        RECEIVED = "mottatt", _("Received")
        CHANGED = "omgjort", _("Decision changed by the district")
        FORWARDED = "oversendt", _("Forwarded to the appeal body")
        UPHELD = "opprettholdt", _("Appeal body upheld the decision")
        ALLOWED = "medhold", _("Appeal body allowed the appeal")
        DISMISSED = "avvist", _("Appeal body dismissed the appeal")

    class Advice(models.TextChoices):
        """What the case handler who prepared the appeal recommends the programme leader do."""

        CHANGE = "omgjor", _("Change the decision")
        KEEP = "oppretthold", _("Keep the decision and forward the appeal")

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="appeals"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    text = models.TextField(_("grounds for the appeal"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField(_("received after the deadline"), default=False)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.RECEIVED)
    district_assessment = models.TextField(_("the district's assessment"), blank=True)
    # The case handler's preparation (saksforberedelse) for the programme leader, internal.
    handler_assessment = models.TextField(_("the case handler's assessment"), blank=True)
    handler_advice = models.CharField(
        _("the case handler's recommendation"), max_length=12, choices=Advice.choices, blank=True
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(_("the appeal body's decision"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # Whom the district's "an appeal has arrived" email has reached, so a retry after a failed
    # send reaches only the rest (the task is safe to run twice).
    district_notified = models.JSONField(default=list, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.FORWARDED)


class CaseEvent(AppendOnly):
    """The append-only case history. Rows are written once and never changed or deleted."""

    class Kind(models.TextChoices):
        CREATED = "opprettet", _("Draft started")
        SUBMITTED = "sendt", _("Application submitted")
        WITHDRAWN = "trukket", _("Application withdrawn")
        ASSIGNED = "tildelt", _("Case taken by a case handler")
        UNASSIGNED = "frigitt", _("Case released")
        IMPARTIALITY = "habilitet", _("Impartiality declared")
        ASSESSED = "vurdert", _("Assessment saved")
        INFO_REQUESTED = "info_bedt", _("More information requested")
        INFO_GIVEN = "info_gitt", _("More information given")
        MESSAGE = "melding", _("Message")
        PROPOSED = "innstilt", _("Decision proposed")
        PROPOSAL_RETURNED = "innst_retur", _("Proposal returned to the case handler")
        DECIDED = "vedtak", _("Decision made")
        LETTER_READY = "brev", _("Decision letter ready")
        ACCEPTED = "akseptert", _("Grant accepted")
        LAPSED = "bortfalt", _("Grant lapsed")
        PAYMENT = "utbetalt", _("Payment registered")
        REPORT_SUBMITTED = "rapport", _("Final report submitted")
        REPORT_RETURNED = "rapport_retur", _("Final report returned for changes")
        REPORT_APPROVED = "rapport_ok", _("Final report approved")
        CLOSED = "avsluttet", _("Case closed")
        APPEALED = "klage", _("Appeal received")
        APPEAL_CHANGED = "omgjort", _("Decision changed after appeal")
        APPEAL_PREPARED = "klage_forb", _("Appeal prepared by the case handler")
        APPEAL_FORWARDED = "oversendt", _("Appeal forwarded to the appeal body")
        APPEAL_OUTCOME = "klage_avgjort", _("Appeal body's outcome recorded")
        REMINDER = "paminnelse", _("Reminder sent")

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    visible_to_applicant = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_kind_display()}"
