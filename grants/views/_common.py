"""Helpers the grants view modules share: fetching an applicant's application or a public
round, the URL of a step of the draft, and the budget and organisation figures shown both in
the draft and on the case page. No views and no URLs here.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from core.formatting import account_number, kroner, org_number

from .. import rules, selectors
from ..models import ApplicantKind, GrantApplication, GrantRound

S = GrantApplication.Status

# Where each problem of ``rules.problems`` is fixed: the id of its field on the step's page.
FIELD_ANCHORS = {
    "cost_lines": "cost-lines",
    "organisation": "id_organisation",
    "on_own_property": "id_on_own_property_0",
}


def _application(request, pk: int) -> GrantApplication:
    try:
        return selectors.application_for_applicant(request.user, pk)
    except GrantApplication.DoesNotExist as exc:
        raise Http404 from exc


def _detail(application: GrantApplication):
    return redirect("grants:application_detail", pk=application.pk)


def _posted(request):
    """The form data of a POST (even an empty one, so that it is validated); None for a GET."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _round(slug: str) -> GrantRound:
    try:
        return selectors.round_public(slug)
    except GrantRound.DoesNotExist as exc:
        raise Http404 from exc


def _kind_labels(values) -> list[str]:
    return [ApplicantKind(v).label for v in values if v in ApplicantKind.values]


def _step_url(application: GrantApplication, step: str, field: str = "") -> str:
    url = reverse("grants:application_step", args=[application.pk, step])
    if field and field != "__all__":
        url += "#" + FIELD_ANCHORS.get(field, f"id_{field}")
    return url


def _first_open_step(application: GrantApplication) -> str:
    incomplete = {p.step for p in rules.problems(application)}
    return next((s for s in rules.STEPS if s in incomplete), rules.STEPS[-1])


def _budget(application) -> dict:
    total = application.total_cost
    return {
        "total": total,
        "own_share": application.own_share_percent,
        "city_share": (round(application.amount_applied * 100 / total, 1) if total else None),
        "min_own": kroner(total * application.round.min_own_share_percent / 100),
        "max_city": kroner(
            min(
                total * application.round.max_city_share_percent / 100, application.round.max_amount
            )
        ),
    }


def _format_org(organisation) -> dict:
    return {
        "org_number": org_number(organisation.org_number),
        "account_number": account_number(organisation.account_number),
    }
