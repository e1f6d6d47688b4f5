from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import SubGoal
from core.forms import DateInput, PeriodFormMixin, SensibleDatesMixin, limit_to_column

from .models import BudgetLine, Milestone, Partner, Project, ProjectImage, StatusUpdate
from .services import PROJECT_FIELDS


class ProjectForm(SensibleDatesMixin, PeriodFormMixin, forms.ModelForm):
    sub_goals = forms.ModelMultipleChoiceField(
        label=_("Sub-goals"),
        queryset=SubGoal.objects.filter(sub_programme__served=True).order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one sub-goal.")},
    )

    class Meta:
        model = Project
        # The service's list of editable fields, with the sub-goals shown after the description.
        fields = [*PROJECT_FIELDS[:4], "sub_goals", *PROJECT_FIELDS[4:]]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "steering_group": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.select_related("district").order_by(
            "district__number", "name"
        )


class MilestoneForm(SensibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput()}


class MilestoneDoneForm(SensibleDatesMixin, forms.Form):
    done_date = forms.DateField(label=_("Done on"), widget=DateInput())


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"), max_length=40, help_text=_("For example hours, people, %.")
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=14, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=2)


class IndicatorValueForm(SensibleDatesMixin, forms.Form):
    date = forms.DateField(label=_("Measured on"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)


class StatusUpdateForm(SensibleDatesMixin, forms.ModelForm):
    class Meta:
        model = StatusUpdate
        fields = ["date", "text", "is_public"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "source", "planned", "spent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("planned", "spent"):
            limit_to_column(self.fields[name], BudgetLine._meta.get_field(name))


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind"]


class ImageForm(forms.ModelForm):
    class Meta:
        model = ProjectImage
        fields = ["image", "alt_text", "caption"]
