"""The case queue's filters. They narrow the user's permission-scoped queue; they never widen it."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import AnyUser, district_ids_for
from areas.models import Area, District, SubGoal, SubProgramme
from projects.filters import YearFilter

from . import workflow
from .models import Appeal, GrantApplication, GrantRound
from .permissions import HANDLER_ROLES

S = GrantApplication.Status

OPEN = "open"
ALL = "all"
ME = "me"
UNASSIGNED = "unassigned"
# The appeal filter's choices.
APPEAL_ANY = "klage"
APPEAL_DISTRICT = "bydel"
APPEAL_FORWARDED = "klageinstans"


def _status_choices() -> list[tuple[str, str]]:
    return [
        (OPEN, _("Open cases")),
        (ALL, _("All cases")),
        *((value, label) for value, label in S.choices if value != S.DRAFT),
    ]


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.district.name})"


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaField


class CaseFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=GrantRound.objects.all(), empty_label=_("All rounds")
    )
    area = AreaFilter(label=_("Area"), queryset=Area.objects.none(), empty_label=_("All areas"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=_status_choices, empty_label=None, method="filter_status"
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Case handler"), empty_label=_("Anyone"), method="filter_assignee"
    )
    appeal = django_filters.ChoiceFilter(
        label=_("Appeals"),
        empty_label=_("With or without an appeal"),
        choices=[
            (APPEAL_ANY, _("Under appeal")),
            (APPEAL_DISTRICT, _("Appeal for the district to handle")),
            (APPEAL_FORWARDED, _("Appeal with the appeal body")),
        ],
        method="filter_appeal",
    )
    # The dashboards' filters: a figure's link lists exactly the cases it counts.
    year = YearFilter(label=_("Year"), field_name="round__year")
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="area__district", queryset=District.objects.all()
    )
    sub_programme = django_filters.ModelChoiceFilter(
        label=_("Sub-programme"),
        field_name="area__sub_programme",
        queryset=SubProgramme.objects.all(),
    )
    sub_goal = django_filters.ModelChoiceFilter(
        label=_("Sub-goal"), field_name="sub_goal", queryset=SubGoal.objects.all()
    )
    due_before = django_filters.DateFilter(
        label=_("Reply or acceptance due by"),
        method="filter_due_before",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Open requests for information and grants awaiting acceptance."),
    )

    class Meta:
        model = GrantApplication
        fields: list[str] = []

    def __init__(self, data=None, *args, user: AnyUser, **kwargs):
        # Without a status chosen the queue shows the cases still under the district's handling.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = OPEN
        super().__init__(data, *args, **kwargs)
        self.user = user
        districts = district_ids_for(user, HANDLER_ROLES)
        areas = Area.objects.select_related("district").order_by("district__number", "name")
        handlers = User.objects.filter(role_assignments__role__in=HANDLER_ROLES)
        if districts is not None:
            areas = areas.filter(district_id__in=districts)
            handlers = handlers.filter(role_assignments__district_id__in=districts)
        self.filters["area"].queryset = areas
        self.filters["assignee"].extra["choices"] = [
            (ME, _("Me")),
            (UNASSIGNED, _("Nobody (unassigned)")),
            *((str(u.pk), str(u)) for u in handlers.distinct().order_by("full_name", "email")),
        ]

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            # An appealed case is open again, whatever its decided status says.
            return queryset.filter(
                Q(status__in=workflow.OPEN_CASE) | Q(appeal_status__isnull=False)
            )
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_to=self.user)
        if value == UNASSIGNED:
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=int(value))

    def filter_appeal(self, queryset, name, value):
        """Cases with an appeal not yet settled (``appeal_status`` from ``case_queue``)."""
        if value == APPEAL_DISTRICT:
            return queryset.filter(appeal_status__isnull=False).exclude(
                appeal_status=Appeal.Status.FORWARDED
            )
        if value == APPEAL_FORWARDED:
            return queryset.filter(appeal_status=Appeal.Status.FORWARDED)
        return queryset.filter(appeal_status__isnull=False)

    def filter_due_before(self, queryset, name, value):
        """An open request for information to answer, or a grant to accept, by the date."""
        return queryset.filter(Q(reply_by__lte=value) | Q(status=S.GRANTED, accept_by__lte=value))
