"""Forms for the applicant's pages.

The forms check what a form can: format, completeness and dates. The services check the round's
rules and the identifiers; the views put the services' messages on these forms' fields.
"""

from django import forms
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from areas.models import SubGoal
from core import formatting
from core.forms import (
    DateInput,
    PeriodFormMixin,
    count_field,
    limit_to_column,
    money_field,
    within_date_range,
)

from .. import rules, uploads
from ..models import ApplicantKind, AttachmentKind, CostLine, FinalReport, GrantApplication
from ..services.applications import BUDGET_FIELDS, MEASURE_FIELDS

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class DraftForm:
    """A step of the application. Fields the round needs are marked required, so the page says
    what is needed; "Save draft" may still leave them empty (``complete=False``)."""

    def __init__(self, *args, complete: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete

    def require(self, names) -> None:
        for name in names:
            field = self.fields[name]
            field.required = True
            field.error_messages["required"] = gettext("Fill in “%(field)s”.") % {
                "field": field.label
            }

    def full_clean(self):
        if self.complete:
            return super().full_clean()
        required = [field for field in self.fields.values() if field.required]
        for field in required:
            field.required = False
        try:
            super().full_clean()
        finally:
            for field in required:
                field.required = True


# --- Organisations ------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    """The fields of ``services.organisation_register``. The numbers are checked by the service
    (python-stdnum), which also takes them with spaces."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("9 digits, as in Brønnøysundregistrene. Spaces are fine."),
        widget=forms.TextInput(attrs=NUMERIC),
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=20,
        help_text=_("11 digits. A grant is paid to this account."),
        widget=forms.TextInput(attrs=NUMERIC),
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Individuals and public bodies cannot apply for bomiljøtilskudd."),
        error_messages={"required": _("Choose the type of organisation.")},
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        validators=[RegexValidator(r"^\d{4}$", _("A postcode has 4 digits, like 0597."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=80,
        initial="Oslo",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    email = forms.EmailField(
        label=_("Email address of the organisation"),
        help_text=_("Receipts and letters about applications are sent here and to the members."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_postcode(self):
        return self.cleaned_data["postcode"].replace(" ", "")


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person you invite"),
        help_text=_("They get a link that is valid for 14 days."),
    )


class InvitationAcceptForm(forms.Form):
    """No fields: accepting is one button. The form carries the service's message if refused."""


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{obj.name} ({gettext('org. no.')} {formatting.org_number(obj.org_number)}, "
            f"{obj.get_kind_display()})"
        )


class OrganisationChoiceForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Which organisation applies?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the organisation that applies."),
            "invalid_choice": _("Choose one of your organisations."),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")


class ApplicationStartForm(OrganisationChoiceForm):
    """The organisation that starts a draft, and the form's one-time key (hidden): the same
    form sent twice (a double click, a POST sent again) gives the draft it made the first time
    instead of a second one."""

    start_key = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=40,
        validators=[RegexValidator(r"^[A-Za-z0-9]*$")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_key"].initial = get_random_string(32)


# --- The application in steps -------------------------------------------------------------------


class MeasureForm(DraftForm, PeriodFormMixin, forms.ModelForm):
    # A legal statement: nothing is chosen until the applicant chooses (not a pre-ticked box).
    on_own_property = forms.TypedChoiceField(
        label=_("Is the measure on the organisation's own property?"),
        choices=[
            ("True", _("Yes, on the organisation's own property")),
            ("False", _("No, we attach an agreement with the property owner")),
        ],
        coerce=lambda value: value == "True",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = GrantApplication
        fields = MEASURE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "resident_involvement": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "description": _("What will you do, and what difference will it make for residents?"),
            "sub_goal": _("The sub-goal of the area programme the measure contributes to."),
            "location": _("Address or place, for example “the back yard of Sletteløkka 10”."),
            "target_group": _("Who is the measure for? For example children, or all residents."),
            "resident_involvement": _(
                "For example a residents' meeting, a survey or a dugnad. Say how many took part."
            ),
            "start_date": _(
                "Measures that have already started cannot get a grant. Choose today or later."
            ),
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: f"{a.name} ({a.district.name})"
        self.fields["area"].empty_label = _("Choose an area")
        self.fields["sub_goal"].queryset = SubGoal.objects.filter(
            sub_programme__served=True
        ).order_by("number")
        self.fields["sub_goal"].label_from_instance = lambda g: f"{g.number}. {g.tr.title}"
        self.fields["sub_goal"].empty_label = _("Choose a sub-goal")
        limit_to_column(
            self.fields["expected_participants"], _column("expected_participants"), money=False
        )
        # The start's earliest date is clean_start_date's: today, in words about the measure.
        within_date_range(self.fields["start_date"], floor=False)
        within_date_range(self.fields["end_date"])
        self.require(rules.MEASURE_REQUIRED)
        own_property = self.fields["on_own_property"]
        own_property.help_text = _(
            "If not, you must attach an agreement with the property owner under Attachments."
        )
        own_property.error_messages["required"] = _(
            "Say whether the measure is on the organisation's own property."
        )

    def clean_start_date(self):
        start = self.cleaned_data.get("start_date")
        if start and start < timezone.localdate():
            raise forms.ValidationError(
                _("Measures that have already started cannot get a grant. Choose today or later.")
            )
        return start


def _column(name: str):
    return GrantApplication._meta.get_field(name)


class CostLineForm(forms.Form):
    description = forms.CharField(label=_("Cost item"), max_length=200, required=False)
    amount = money_field(
        _("Amount (NOK)"), column=CostLine._meta.get_field("amount"), required=False
    )

    def __init__(self, *args, line_number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_number = line_number
        # Every input needs its own label; the table's column headers say the rest.
        self.fields["description"].label = gettext("Cost item, line %(n)s") % {"n": line_number}
        self.fields["amount"].label = gettext("Amount in NOK, line %(n)s") % {"n": line_number}
        self.fields["amount"].widget.attrs.update(NUMERIC)

    def clean(self):
        data = super().clean()
        description = (data.get("description") or "").strip()
        amount = data.get("amount")
        if description and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount for “%(item)s”.") % {"item": description})
        if amount is not None and not description and "description" not in self.errors:
            self.add_error("description", _("Say what this amount is for."))
        return data

    @property
    def line(self) -> tuple[str, int] | None:
        data = getattr(self, "cleaned_data", {})
        description = (data.get("description") or "").strip()
        if description and data.get("amount") is not None:
            return description, data["amount"]
        return None


class BaseCostLineFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {"line_number": index + 1}


EXTRA_COST_LINES = 3
MAX_COST_LINES = 100
CostLineFormSet = forms.formset_factory(
    CostLineForm,
    formset=BaseCostLineFormSet,
    extra=EXTRA_COST_LINES,
    max_num=MAX_COST_LINES,
    absolute_max=MAX_COST_LINES,
)


class BudgetForm(DraftForm, forms.ModelForm):
    """The financing figures, with the cost lines as a formset (``self.lines``)."""

    class Meta:
        model = GrantApplication
        fields = BUDGET_FIELDS
        labels = {
            "own_contribution": _("Own contribution (NOK)"),
            "other_funding": _("Other funding (NOK)"),
            "amount_applied": _("Amount you apply for (NOK)"),
            "dugnad_hours": _("Dugnad hours"),
        }
        help_texts = {
            "own_contribution": _(
                "Money the organisation pays itself. Dugnad and materials you have already "
                "bought do not count."
            ),
            "other_funding": _("Grants or sponsorship from others, if any."),
            "amount_applied": _(
                "Own contribution, other funding and the amount you apply for should add up to "
                "the total cost."
            ),
            "dugnad_hours": _(
                "Voluntary work you expect to put in. Recorded, but it does not count as own "
                "contribution."
            ),
        }

    def __init__(self, data=None, *, lines_initial=(), extra_lines=EXTRA_COST_LINES, **kwargs):
        super().__init__(data, **kwargs)
        self.lines = CostLineFormSet(data, prefix="lines", initial=list(lines_initial))
        self.lines.extra = extra_lines
        for name in BUDGET_FIELDS:
            self.fields[name].widget.attrs.update(NUMERIC)
            limit_to_column(self.fields[name], _column(name), money=name != "dugnad_hours")
        self.lines_error = ""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        lines_valid = self.lines.is_valid()
        if lines_valid and self.complete and not self.cost_lines():
            self.lines_error = gettext("Add at least one cost line with an amount.")
            lines_valid = False
        return valid and lines_valid

    def cost_lines(self) -> list[tuple[str, int]]:
        return [form.line for form in self.lines.forms if form.line]

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) or 0 for name in BUDGET_FIELDS}

    @property
    def all_forms(self) -> list:
        return [self, *self.lines.forms]

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or self.lines_error
            or self.lines.non_form_errors()
            or any(form.errors for form in self.lines.forms)
        )


def _allowed_help() -> str:
    return gettext("%(types)s, at most %(size)s.") % {
        "types": uploads.ALLOWED_LABEL,
        "size": filesizeformat(uploads.max_bytes()),
    }


ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        error_messages={"required": _("Choose a file to upload.")},
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _allowed_help()
        self.fields["kind"].choices = [
            (value, label)
            for value, label in AttachmentKind.choices
            if value != AttachmentKind.REPORT_DOCUMENTATION
        ]


# --- After submission ---------------------------------------------------------------------------


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your message.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("We accept the grant and the conditions in the decision"),
        error_messages={"required": _("Tick the box to accept the grant and its conditions.")},
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("What do you disagree with, and why?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Say which part of the decision you want changed and why. Add anything the district "
            "did not know when it decided."
        ),
        error_messages={"required": _("Say what you disagree with and why.")},
    )


class ReportForm(forms.Form):
    """The final report: one "actual cost" field per budget line, with the budget beside it."""

    what_was_done = forms.CharField(
        label=_("What was done?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe the measure as it was carried out, and what came of it."),
        error_messages={"required": _("Describe what was done.")},
    )
    participants = count_field(
        _("How many took part?"), column=FinalReport._meta.get_field("participants")
    )
    dugnad_hours = count_field(
        _("Dugnad hours"), column=FinalReport._meta.get_field("dugnad_hours"), initial=0
    )
    file = forms.FileField(
        label=_("Documentation (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, cost_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.cost_lines = list(cost_lines)
        self.fields["file"].help_text = gettext(
            "For example receipts or photos of the result. %(allowed)s"
        ) % {"allowed": _allowed_help()}
        for name in ("participants", "dugnad_hours"):
            self.fields[name].widget.attrs.update(NUMERIC)
        for line in self.cost_lines:
            field = money_field(
                gettext("Actual cost: %(item)s (NOK)") % {"item": line.description},
                column=CostLine._meta.get_field("amount"),
                help_text=gettext("Budgeted: %(amount)s")
                % {"amount": formatting.kroner(line.amount)},
                error_messages={
                    "required": gettext("Enter what “%(item)s” actually cost.")
                    % {"item": line.description}
                },
            )
            field.widget.attrs.update(NUMERIC)
            self.fields[f"actual_{line.pk}"] = field
        # The upload last, after the accounts.
        self.order_fields([name for name in self.fields if name != "file"] + ["file"])

    def actuals(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"actual_{line.pk}"] for line in self.cost_lines}
