"""The decision letter: an enkeltvedtak as a tagged PDF (PDF/UA-1) rendered with WeasyPrint.

The letter's wording is a template (``grants/pdf/decision_letter.html``), always in bokmål;
what forvaltningsloven requires of it — parties, decision, amount, reasons, legal basis,
conditions, the right of appeal, the deadline, where to send the appeal, the right to see the
case documents — is filled in from the decision, its application and its round.
"""

from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core import formatting

from .deadlines import acceptance_deadline
from .models import Appeal, Decision, Recommendation

# The letter may load its stylesheet, fonts and logo from here, and nothing else.
ASSET_ROOT = Path(settings.BASE_DIR) / "static"


def kroner(amount: int) -> str:
    """``40 000 kroner`` as the letter, always in bokmål, writes an amount."""
    with translation.override("nb"):
        return formatting.kroner(amount, unit="kroner")


def letter_filename(decision) -> str:
    reference = decision.application.reference or f"sak-{decision.application_id}"
    return f"vedtak-{reference}-{decision.pk}.pdf"


def case_url(application, language: str | None = None) -> str:
    """The applicant's case page, absolute, in ``language`` (the default has no prefix)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("grants:application_detail", args=[application.pk])
    return f"{settings.SITE_URL}{path}"


def _appeal_behind(decision: Decision) -> Appeal | None:
    """The appeal that led to this decision, if it replaces an earlier one on appeal."""
    if not (decision.on_appeal and decision.supersedes_id):
        return None
    return (
        Appeal.objects.filter(decision_id=decision.supersedes_id)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def letter_context(decision, *, notified_on: date, appeal_deadline: date) -> dict:
    application = decision.application
    organisation = application.organisation
    grant_round = application.round
    lines = list(application.cost_lines.all())
    total = sum(line.amount for line in lines)
    appeal = _appeal_behind(decision)
    # Decided by the appeal body (recorded by the district): final, no further appeal (§ 28).
    by_appeal_body = appeal is not None and appeal.status == Appeal.Status.ALLOWED
    district = application.area.district if application.area_id else None
    return {
        "decision": decision,
        "application": application,
        "organisation": organisation,
        "round": grant_round,
        "district": district,
        "sender": f"Bydel {district.name}" if district else "Oslo kommune",
        "org_number": formatting.org_number(organisation.org_number),
        "account_number": formatting.account_number(organisation.account_number),
        "granted": decision.outcome == Recommendation.APPROVE,
        "partial": decision.outcome == Recommendation.PARTIAL,
        "rejected": decision.outcome == Recommendation.REJECT,
        "amount_text": kroner(decision.amount),
        "applied_text": kroner(application.amount_applied),
        "cost_lines": [(line.description, kroner(line.amount)) for line in lines],
        "total_text": kroner(total),
        "own_text": kroner(application.own_contribution),
        "other_text": kroner(application.other_funding),
        "conditions": [c.strip() for c in decision.conditions.splitlines() if c.strip()],
        "criteria": grant_round.criteria_list,
        "notified_on": notified_on,
        "appeal_deadline": appeal_deadline,
        "accept_by": acceptance_deadline(notified_on, grant_round.acceptance_days),
        "accept_by_days": grant_round.acceptance_days,
        "report_deadline": grant_round.report_deadline,
        "appeal": appeal,
        "by_appeal_body": by_appeal_body,
        "previous": decision.supersedes,
        "decided_by": decision.decided_by,
        "case_handler": application.assigned_to,
        "case_url": case_url(application),
        "site_url": settings.SITE_URL,
    }


def render_letter_html(decision, *, notified_on, appeal_deadline) -> str:
    with translation.override("nb"):
        return render_to_string(
            "grants/pdf/decision_letter.html",
            letter_context(decision, notified_on=notified_on, appeal_deadline=appeal_deadline),
        )


def _asset_fetcher():
    """A fetcher that serves the letter's own files from ``static/`` and refuses every other URL.

    The letter holds text the applicant wrote; autoescaping keeps markup out, and this keeps
    the renderer from ever fetching anything over the network or outside the static files. A
    missing file stops the rendering rather than yield a letter without its fonts.
    """
    from weasyprint.urls import URLFetcher

    root = ASSET_ROOT.resolve()

    class AssetFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not path.is_relative_to(root):
                raise ValueError(f"The decision letter may not load {url}")
            return super().fetch(url, headers)

    return AssetFetcher(allowed_protocols=["file"], fail_on_errors=True)


class LetterError(RuntimeError):
    """The letter could not be rendered (a file it needs is missing or refused)."""


def render_letter_pdf(decision, *, notified_on, appeal_deadline) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = render_letter_html(decision, notified_on=notified_on, appeal_deadline=appeal_deadline)
    try:
        return HTML(
            string=html, base_url=str(ASSET_ROOT) + "/", url_fetcher=_asset_fetcher()
        ).write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
    except FatalURLFetchingError as exc:
        # WeasyPrint raises this as a BaseException; callers handle ordinary exceptions.
        raise LetterError(str(exc)) from exc
