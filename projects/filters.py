import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, ParticipationStep, SubGoal, SubProgramme

from .models import Project


class YearFilter(django_filters.NumberFilter):
    """A whole year in the span projects can have; anything else is shown as an error at the
    field and filters nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter a year as four digits, for example 2026."),
                "min_value": _("Enter a year from 2000 to 2100."),
                "max_value": _("Enter a year from 2000 to 2100."),
            },
        )
        super().__init__(*args, **kwargs)


class ProjectFilter(django_filters.FilterSet):
    """Narrows a permission-scoped queryset; it never widens it."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="area__district", queryset=District.objects.all()
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.select_related("district")
    )
    sub_programme = django_filters.ModelChoiceFilter(
        label=_("Sub-programme"),
        field_name="area__sub_programme",
        queryset=SubProgramme.objects.all(),
    )
    sub_goal = django_filters.ModelChoiceFilter(
        label=_("Sub-goal"),
        field_name="sub_goals",
        queryset=SubGoal.objects.order_by("number"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)
    year = YearFilter(label=_("Year"), method="active_in_year")
    participation_step = django_filters.ChoiceFilter(
        label=_("Participation step"), choices=ParticipationStep.choices
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(description__icontains=value)
        )

    def active_in_year(self, queryset, name, value):
        """Projects running at some point in the year (open-ended dates count as running)."""
        year = int(value)
        return queryset.filter(
            Q(start_date__year__lte=year) | Q(start_date__isnull=True),
            Q(end_date__year__gte=year) | Q(end_date__isnull=True),
        )
