"""The round's rules, applied to an application. Every figure comes from the round's data.

``problems`` returns every rule the application breaks, each tied to the step and field where
the applicant can fix it, so the review page can list them all at once.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import kroner

from . import steps
from .models import ApplicantKind, AttachmentKind, GrantApplication, GrantRound

STEPS = steps.STEPS

MEASURE_REQUIRED = [
    "title",
    "description",
    "sub_goal",
    "area",
    "location",
    "on_own_property",
    "target_group",
    "expected_participants",
    "resident_involvement",
    "start_date",
    "end_date",
]


@dataclass(frozen=True)
class Problem:
    step: str
    field: str
    message: str


def round_problems(grant_round: GrantRound, at=None) -> list[Problem]:
    at = at or timezone.now()
    if grant_round.is_open(at):
        return []
    if not grant_round.is_published:
        # Not "closed on <a date still to come>": the round is simply not announced.
        return [Problem(steps.SUMMARY, "__all__", _("This round is not open for applications."))]
    if at < grant_round.opens_at:
        msg = _("The round has not opened yet. It opens %(when)s.")
    else:
        msg = _("The round closed %(when)s. Applications can no longer be submitted.")
    when = timezone.localtime(
        grant_round.opens_at if at < grant_round.opens_at else grant_round.closes_at
    )
    return [Problem(steps.SUMMARY, "__all__", msg % {"when": when.strftime("%d.%m.%Y %H:%M")})]


def organisation_problems(application: GrantApplication) -> list[Problem]:
    kinds = application.round.applicant_kinds
    if application.organisation.kind in kinds:
        return []
    allowed = ", ".join(str(ApplicantKind(k).label) for k in kinds if k in ApplicantKind.values)
    return [
        Problem(
            steps.ORGANISATION,
            "organisation",
            _("This round is open to: %(kinds)s. Your organisation is registered as “%(kind)s”.")
            % {"kinds": allowed, "kind": application.organisation.get_kind_display()},
        )
    ]


def measure_problems(application: GrantApplication, today=None) -> list[Problem]:
    today = today or timezone.localdate()
    problems = []
    labels = {f.name: f.verbose_name for f in GrantApplication._meta.fields}
    for name in MEASURE_REQUIRED:
        value = getattr(application, name if name not in ("sub_goal", "area") else f"{name}_id")
        if value in (None, ""):
            message = (
                _("Say whether the measure is on the organisation's own property.")
                if name == "on_own_property"
                else _("Fill in “%(field)s”.") % {"field": labels[name]}
            )
            problems.append(Problem(steps.MEASURE, name, message))
    if application.area_id:
        area_ids = {a.pk for a in application.round.areas.all()}
        if application.area_id not in area_ids:
            problems.append(
                Problem(
                    steps.MEASURE,
                    "area",
                    _("This round does not cover %(area)s. Choose one of the round's areas.")
                    % {"area": application.area},
                )
            )
    if application.start_date and application.start_date < today:
        problems.append(
            Problem(
                steps.MEASURE,
                "start_date",
                _(
                    "Measures that have already started cannot get a grant. The start date must "
                    "be today or later."
                ),
            )
        )
    if (
        application.start_date
        and application.end_date
        and application.end_date < application.start_date
    ):
        problems.append(
            Problem(steps.MEASURE, "end_date", _("The end date cannot be before the start date."))
        )
    return problems


def budget_problems(application: GrantApplication) -> list[Problem]:
    rnd = application.round
    lines = list(application.cost_lines.all())
    total = sum(line.amount for line in lines)
    if not lines or total == 0:
        return [
            Problem(steps.BUDGET, "cost_lines", _("Add at least one cost line with an amount."))
        ]
    problems = []
    financed = application.own_contribution + application.other_funding
    financed += application.amount_applied
    if financed != total:
        problems.append(
            Problem(
                steps.BUDGET,
                "amount_applied",
                _(
                    "The financing does not add up: own contribution, other funding and the "
                    "amount applied for come to %(financed)s, but the costs total %(total)s."
                )
                % {"financed": kroner(financed), "total": kroner(total)},
            )
        )
    if application.amount_applied <= 0:
        problems.append(
            Problem(steps.BUDGET, "amount_applied", _("Enter the amount you apply for."))
        )
    min_own = total * rnd.min_own_share_percent / 100
    if application.own_contribution < min_own:
        problems.append(
            Problem(
                steps.BUDGET,
                "own_contribution",
                _(
                    "Your own contribution must be at least %(percent)s %% of the total cost, "
                    "that is %(min)s. Dugnad hours do not count."
                )
                % {"percent": rnd.min_own_share_percent, "min": kroner(min_own)},
            )
        )
    max_city = total * rnd.max_city_share_percent / 100
    if application.amount_applied > max_city:
        problems.append(
            Problem(
                steps.BUDGET,
                "amount_applied",
                _("The city can cover at most %(percent)s %% of the total cost, that is %(max)s.")
                % {"percent": rnd.max_city_share_percent, "max": kroner(max_city)},
            )
        )
    if application.amount_applied > rnd.max_amount:
        problems.append(
            Problem(
                steps.BUDGET,
                "amount_applied",
                _("This round grants at most %(max)s per application.")
                % {"max": kroner(rnd.max_amount)},
            )
        )
    return problems


def required_attachment_kinds(application: GrantApplication) -> list[str]:
    kinds = list(application.round.required_attachments)
    if application.on_own_property is False and AttachmentKind.PROPERTY_AGREEMENT not in kinds:
        kinds.append(AttachmentKind.PROPERTY_AGREEMENT)
    return kinds


def attachment_problems(application: GrantApplication) -> list[Problem]:
    present = {a.kind for a in application.attachments.all() if a.removed_at is None}
    return [
        Problem(
            steps.ATTACHMENTS,
            "file",
            _("Attach: %(kind)s.") % {"kind": AttachmentKind(kind).label},
        )
        for kind in required_attachment_kinds(application)
        if kind in AttachmentKind.values and kind not in present
    ]


def problems(application: GrantApplication, at=None) -> list[Problem]:
    """Every rule of the round the application breaks; empty when it may be submitted."""
    at = at or timezone.now()
    return (
        organisation_problems(application)
        + measure_problems(application, today=timezone.localdate(at))
        + budget_problems(application)
        + attachment_problems(application)
        + round_problems(application.round, at)
    )
