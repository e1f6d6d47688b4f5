import django_filters
from django.utils.translation import gettext_lazy as _

from areas.models import District
from projects.filters import YearFilter

from .models import ActionProgramme


class ProgrammeFilter(django_filters.FilterSet):
    """Narrows the programmes the user may see; it never widens them."""

    year = YearFilter(label=_("Year"), field_name="year")
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="area__district",
        queryset=District.objects.order_by("number"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionProgramme.Status.choices)

    class Meta:
        model = ActionProgramme
        fields: list[str] = []
