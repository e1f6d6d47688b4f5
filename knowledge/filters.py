import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, Programme
from projects.filters import YearFilter

from .models import Document


class DocumentFilter(django_filters.FilterSet):
    """Narrows a permission-scoped queryset of documents; it never widens it."""

    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Document.Kind.choices)
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Document._meta.get_field("language").choices
    )
    year = YearFilter(label=_("Year"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Area programme"), queryset=Programme.objects.all()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.all(), method="in_district"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.filter(is_published=True)
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def in_district(self, queryset, name, value):
        return queryset.filter(Q(district=value) | Q(area__district=value))


class StaffDocumentFilter(DocumentFilter):
    is_public = django_filters.ChoiceFilter(
        label=_("Visibility"),
        choices=[("true", _("Public")), ("false", _("Internal"))],
        method="visibility",
    )
    area = django_filters.ModelChoiceFilter(label=_("Area"), queryset=Area.objects.all())

    def visibility(self, queryset, name, value):
        return queryset.filter(is_public=value == "true")
