import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, Programme, SubGoal
from projects.filters import YearFilter

from .models import Document, Lesson, Recipe


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


class LessonFilter(django_filters.FilterSet):
    """Narrows a permission-scoped queryset of lessons by sub-goal, method and place."""

    sub_goal = django_filters.ModelChoiceFilter(
        label=_("Sub-goal"),
        queryset=SubGoal.objects.order_by("sub_programme__sort_order", "number"),
        field_name="sub_goals",
    )
    method = django_filters.ModelChoiceFilter(
        label=_("Method"),
        queryset=Recipe.objects.filter(status=Recipe.Status.PUBLISHED).order_by("title"),
        field_name="methods",
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.order_by("number"),
        field_name="project__area__district",
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=Area.objects.filter(is_published=True).order_by("name"),
        field_name="project__area",
    )

    class Meta:
        model = Lesson
        fields: list[str] = []


class StaffLessonFilter(LessonFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Lesson.Status.choices)
    method = django_filters.ModelChoiceFilter(
        label=_("Method"), queryset=Recipe.objects.order_by("title"), field_name="methods"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.order_by("name"), field_name="project__area"
    )
