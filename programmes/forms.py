"""The forms of the programme's staff pages: starting a programme, its prose and participation
step, the goals and strategies under a delmål, and its measures.

Every form keeps what was typed when it comes back with errors and says in plain words what to
fix; numbers are held to what their column can store, so no input can fail when it is saved.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import ParticipationStep
from core.forms import text_field

from .models import PROSE_FIELDS, ActionProgramme

YEAR_ERRORS = {
    "required": _("Enter the year the programme is for."),
    "invalid": _("Enter a year as four digits, for example 2026."),
    "min_value": _("Enter a year from 2000 to 2100."),
    "max_value": _("Enter a year from 2000 to 2100."),
}


class ProgrammeCreateForm(forms.Form):
    """Start an area's programme for a year: the areas the user may start one in."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        error_messages={"required": _("Choose the area the programme is for.")},
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )
    copy_from_last_year = forms.BooleanField(
        label=_("Start from last year's programme"),
        required=False,
        initial=True,
        help_text=_(
            "The text, goals, strategies and participation step of last year's programme are "
            "copied as a starting point, if there is one."
        ),
    )

    def __init__(self, *args, areas, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.select_related("district").order_by(
            "district__number", "name"
        )
        self.fields["area"].label_from_instance = lambda a: f"{a.name} ({a.district.name})"


class ProgrammeForm(forms.ModelForm):
    """The programme's prose and the municipality's role in the area this year."""

    participation_step = forms.TypedChoiceField(
        label=_("The municipality's role this year"),
        choices=ParticipationStep.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("The step of deltakelsestrappa the area is on this year."),
        error_messages={"required": _("Choose the municipality's role this year.")},
    )

    class Meta:
        model = ActionProgramme
        fields = [*PROSE_FIELDS[:3], "participation_step", *PROSE_FIELDS[3:]]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in PROSE_FIELDS}

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class GoalForm(forms.Form):
    """The area's local goal and strategies under one delmål."""

    local_goal = text_field(
        _("The area's local goal"),
        rows=3,
        help_text=_("What the area aims for under this sub-goal."),
    )
    strategies = text_field(
        _("Strategies for the goal"),
        rows=6,
        help_text=_("How the district will work towards the goal."),
    )


class MeasureAddForm(forms.Form):
    """Add one of the area's projects to this year's measures."""

    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        error_messages={
            "required": _("Choose the project to add."),
            "invalid_choice": _("Choose one of the area's projects that is not a measure yet."),
        },
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class MeasureCommentForm(forms.Form):
    """What the programme says of a measure this year."""

    comment = text_field(
        _("Comment in the programme"),
        rows=5,
        help_text=_("What the programme says of this measure this year. Shown under its summary."),
    )
