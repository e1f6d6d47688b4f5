"""The dashboards' filter form: year, satsing, bydel (programme dashboard only), area, delmål.

A value that is not one of the choices — a typo, a NUL byte, a number too large for any key, an
area outside the reader's scope — is shown as a message at its field and filters nothing; the
rest of the filters still apply. The form never widens the reader's scope.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, SubGoal, SubProgramme

from .figures import Filters

# Larger than any primary key the database holds (a 64-bit integer); anything longer is not one.
_MAX_PK = 2**63 - 1
YEAR_MIN, YEAR_MAX = 2000, 2100


class _ChoiceField(forms.ModelChoiceField):
    """A model choice by primary key that answers "not one of the choices" for anything that is
    not a positive whole number in the database's range, before the database sees it."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or not 0 < int(text) <= _MAX_PK:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(text)


class _AreaField(_ChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.tr.name} ({obj.district.name})"


class _TranslatedField(_ChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.tr.name) if isinstance(obj, SubProgramme) else str(obj)


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": _("Enter a year as four digits, for example 2026."),
            "min_value": _("Enter a year from 2000 to 2100."),
            "max_value": _("Enter a year from 2000 to 2100."),
        },
    )
    sub_programme = _TranslatedField(
        label=_("Sub-programme (satsing)"),
        queryset=SubProgramme.objects.all(),
        required=False,
        empty_label=_("All sub-programmes"),
        error_messages={"invalid_choice": _("Choose one of the sub-programmes in the list.")},
    )
    district = _ChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("number"),
        required=False,
        empty_label=_("All districts"),
        error_messages={"invalid_choice": _("Choose one of the districts in the list.")},
    )
    area = _AreaField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All areas"),
        error_messages={"invalid_choice": _("Choose one of the areas in the list.")},
    )
    sub_goal = _TranslatedField(
        label=_("Sub-goal (delmål)"),
        queryset=SubGoal.objects.select_related("sub_programme"),
        required=False,
        empty_label=_("All sub-goals"),
        error_messages={"invalid_choice": _("Choose one of the sub-goals in the list.")},
    )

    def __init__(self, data=None, *, district: District | None = None, **kwargs):
        """``district``: the district dashboard's district (no district field, areas of that
        district alone); ``None``: the programme dashboard."""
        super().__init__(data, **kwargs)
        self.fixed_district = district
        areas: QuerySet[Area] = Area.objects.select_related("district").order_by(
            "district__number", "name"
        )
        if district is not None:
            del self.fields["district"]
            areas = areas.filter(district=district)
        self.fields["area"].queryset = areas

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        district = cleaned.get("district")
        sub_programme = cleaned.get("sub_programme")
        sub_goal = cleaned.get("sub_goal")
        if area is not None and district is not None and area.district_id != district.pk:
            self.add_error("area", _("The area is not in the district you chose."))
        if area is not None and sub_programme and area.sub_programme_id != sub_programme.pk:
            self.add_error("area", _("The area is not in the sub-programme you chose."))
        if sub_goal is not None and sub_programme and sub_goal.sub_programme_id != sub_programme.pk:
            self.add_error(
                "sub_goal", _("The sub-goal does not belong to the sub-programme you chose.")
            )
        return cleaned

    def filters(self) -> Filters:
        """The filters the valid fields ask for; a field with an error filters nothing."""
        if not self.is_bound:
            values = {}
        else:
            self.is_valid()
            values = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

        def pk(name):
            value = values.get(name)
            return value.pk if value is not None else None

        return Filters(
            year=values.get("year"),
            sub_programme=pk("sub_programme"),
            district=self.fixed_district.pk if self.fixed_district else pk("district"),
            area=pk("area"),
            sub_goal=pk("sub_goal"),
        )
