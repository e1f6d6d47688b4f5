"""The staff lists' filters. They narrow the user's permission-scoped events and input; they
never widen it: the areas and events offered are those the user may see."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import AnyUser, district_ids_for, has_role
from areas.models import Area, District, SubGoal, SubProgramme
from projects.filters import YearFilter
from projects.models import Project

from .forms.staff import event_label
from .models import Event, Input, Topic
from .permissions import EDITOR_ROLES, events_visible_to

UPCOMING = "kommende"
PAST = "tidligere"


def _areas_for(user: AnyUser):
    """The areas whose events and input the user sees: their districts', or all of them."""
    areas = Area.objects.select_related("district").order_by("district__number", "name")
    districts = None if has_role(user, Role.BOARD) else district_ids_for(user, EDITOR_ROLES)
    return areas if districts is None else areas.filter(district_id__in=districts)


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.district.name})"


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaField


class EventField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return event_label(obj)


class EventChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = EventField


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class DashboardFilters(django_filters.FilterSet):
    """The dashboards' filters, so that a figure's link lists exactly the rows it counts:
    bydel, satsing (the area's sub-programme), delmål and year."""

    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.all(), method="filter_district"
    )
    sub_programme = django_filters.ModelChoiceFilter(
        label=_("Sub-programme"), queryset=SubProgramme.objects.all(), method="filter_sub_programme"
    )
    sub_goal = django_filters.ModelChoiceFilter(
        label=_("Sub-goal"), queryset=SubGoal.objects.all(), method="filter_sub_goal"
    )
    year = YearFilter(label=_("Year"), method="filter_year")


class EventFilter(DashboardFilters):
    area = AreaFilter(
        label=_("Area"),
        queryset=Area.objects.none(),
        empty_label=_("All areas"),
        method="filter_area",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Event.Kind.choices, empty_label=_("All types")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Event.Status.choices, empty_label=_("All statuses")
    )
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past"))],
        empty_label=_("Upcoming and past"),
        method="filter_when",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def __init__(self, data=None, *args, user: AnyUser, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["area"].queryset = _areas_for(user)

    def filter_area(self, queryset, name, value):
        # Through the primary key: a join on the areas would multiply the seat counts.
        return queryset.filter(pk__in=Event.objects.filter(areas=value).values("pk"))

    ended_before = django_filters.DateFilter(
        label=_("Ended before"),
        method="filter_ended_before",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filter_district(self, queryset, name, value):
        return queryset.filter(pk__in=Event.objects.filter(areas__district=value).values("pk"))

    def filter_sub_programme(self, queryset, name, value):
        return queryset.filter(pk__in=Event.objects.filter(areas__sub_programme=value).values("pk"))

    def filter_sub_goal(self, queryset, name, value):
        """Events of projects under the delmål."""
        return queryset.filter(project__in=Project.objects.filter(sub_goals=value).values("pk"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(starts_at__year=int(value))

    def filter_ended_before(self, queryset, name, value):
        return queryset.filter(ends_at__lt=_local_midnight(value))

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == UPCOMING:
            return queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
        return queryset.filter(ends_at__lt=now)


class InputFilter(DashboardFilters):
    area = AreaFilter(label=_("Area"), queryset=Area.objects.none(), empty_label=_("All areas"))
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=Topic.choices, empty_label=_("All topics")
    )
    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up"), choices=Input.FollowUp.choices, empty_label=_("Any follow-up")
    )
    moderation = django_filters.ChoiceFilter(
        label=_("Moderation"), choices=Input.Moderation.choices, empty_label=_("Any")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Input.Channel.choices, empty_label=_("Any channel")
    )
    event = EventChoiceFilter(
        label=_("Event"), queryset=Event.objects.none(), empty_label=_("Any event")
    )
    attention = django_filters.BooleanFilter(
        label=_("Only input that needs attention"),
        help_text=_("Waiting for moderation, or received and not yet considered."),
        widget=forms.CheckboxInput,
        method="filter_attention",
    )

    class Meta:
        model = Input
        fields: list[str] = []

    def __init__(self, data=None, *args, user: AnyUser, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["area"].queryset = _areas_for(user)
        self.filters["event"].queryset = Event.objects.filter(
            pk__in=events_visible_to(user).values("pk")
        ).order_by("-starts_at", "pk")

    def filter_district(self, queryset, name, value):
        return queryset.filter(area__district=value)

    def filter_sub_programme(self, queryset, name, value):
        return queryset.filter(area__sub_programme=value)

    def filter_sub_goal(self, queryset, name, value):
        return queryset.filter(sub_goal=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(created_at__year=int(value))

    def filter_attention(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(moderation=Input.Moderation.PENDING) | Q(follow_up=Input.FollowUp.RECEIVED)
        )
