"""The decision letter: an enkeltvedtak as a tagged PDF (PDF/UA-1) rendered with WeasyPrint.

The letter's wording is a template (``grants/pdf/decision_letter.html``); what forvaltningsloven
requires of it — parties, decision, amount, reasons, legal basis, conditions, the right of
appeal, the deadline, where to send the appeal, the right to see the case documents — is
filled in from the decision and its round.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import identifiers


def letter_filename(decision) -> str:
    reference = decision.application.reference or f"sak-{decision.application_id}"
    return f"vedtak-{reference}-{decision.pk}.pdf"


def letter_context(decision, *, notified_on, appeal_deadline) -> dict:
    application = decision.application
    organisation = application.organisation
    return {
        "decision": decision,
        "application": application,
        "organisation": organisation,
        "org_number": identifiers.format_org_number(organisation.org_number),
        "account_number": identifiers.format_account_number(organisation.account_number),
        "district": application.area.district if application.area_id else None,
        "round": application.round,
        "notified_on": notified_on,
        "appeal_deadline": appeal_deadline,
        "accept_by_days": application.round.acceptance_days,
        "site_url": settings.SITE_URL,
    }


def render_letter_html(decision, *, notified_on, appeal_deadline) -> str:
    with translation.override("nb"):
        return render_to_string(
            "grants/pdf/decision_letter.html",
            letter_context(decision, notified_on=notified_on, appeal_deadline=appeal_deadline),
        )


def render_letter_pdf(decision, *, notified_on, appeal_deadline) -> bytes:
    from weasyprint import HTML

    html = render_letter_html(decision, notified_on=notified_on, appeal_deadline=appeal_deadline)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", custom_metadata=True
    )
