"""Forms on the district's pages: the round editor and the case page's action forms.

Each action form carries its own prefix on the case page, so no two fields share an id. The
forms check what a person can fix on the spot; every rule of the case lives in the services,
whose messages the views put back on the right field.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.forms import (
    DateInput,
    DateTimeLocalInput,
    date_field,
    limit_to_column,
    money_field,
    text_field,
    within_date_range,
)

from ..models import (
    Appeal,
    ApplicantKind,
    Assessment,
    AttachmentKind,
    Decision,
    GrantRound,
    Payment,
    Recommendation,
)
from ..services.rounds import ROUND_FIELDS, closes_before_opening_message


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.district.name})"


class RoundForm(forms.ModelForm):
    applicant_kinds = forms.MultipleChoiceField(
        label=_("Eligible applicant types"),
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one type of applicant.")},
    )
    required_attachments = forms.MultipleChoiceField(
        label=_("Required attachments"),
        choices=AttachmentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = AreaChoiceField(
        label=_("Areas"),
        queryset=Area.objects.select_related("district").order_by("district__number", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area the round covers.")},
    )

    class Meta:
        model = GrantRound
        fields = [*ROUND_FIELDS[:5], "areas", *ROUND_FIELDS[5:]]
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "report_deadline": DateInput(),
            "criteria": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "opens_at": _("Norwegian time (Europe/Oslo)."),
            "closes_at": _("Norwegian time (Europe/Oslo)."),
            "slug": _("The round's address: lower-case letters, digits and hyphens."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField):
                column = GrantRound._meta.get_field(name)
                limit_to_column(field, column, money=name in ("budget", "max_amount"))
            elif isinstance(field, forms.DateField | forms.DateTimeField):
                within_date_range(field)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", closes_before_opening_message())
        return data


# --- The case page ------------------------------------------------------------------------------


class EmptyForm(forms.Form):
    """An action that is only a button (take, release, propose)."""


class ImpartialityForm(forms.Form):
    impartial = forms.TypedChoiceField(
        label=_("Impartiality (habilitet)"),
        choices=[("yes", _("I am impartial")), ("no", _("I am not impartial"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "Forvaltningsloven §§ 6–10: you may not prepare or decide a case if you are "
            "not impartial in it."
        ),
        error_messages={"required": _("Say whether you are impartial in this case.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if you are not impartial: say briefly why."),
    )

    def clean(self):
        data = super().clean()
        if data.get("impartial") is False and not data.get("note", "").strip():
            self.add_error("note", _("Say briefly why you are not impartial."))
        return data


SCORE_CHOICES = [("", _("Not scored")), *((str(n), str(n)) for n in range(1, 6))]


def _outcome_field(label=None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("Decision"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve in full, in part, or reject.")},
    )


def _amount_field(label=None, help_text="") -> forms.IntegerField:
    return money_field(
        label or _("Amount granted (NOK)"),
        column=Decision._meta.get_field("amount"),
        required=False,
        help_text=help_text or _("Only for a grant in part."),
    )


class AssessmentForm(forms.Form):
    """One score from 1 to 5 per criterion of the round, named by the criterion's text."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", _("Not decided yet")), *Recommendation.choices],
        required=False,
    )
    recommended_amount = money_field(
        _("Recommended amount (NOK)"),
        column=Assessment._meta.get_field("recommended_amount"),
        required=False,
    )
    reasons = text_field(
        _("Proposed reasons"),
        help_text=_("Shown to the applicant in the decision letter unless the grant is in full."),
    )
    # The decision needs reasons unless it grants in full; the proposal says so, not "optional".
    reasons.required_when = _("required for a partial grant or a refusal")
    conditions = text_field(_("Proposed conditions"), rows=3)
    internal_notes = text_field(
        _("Internal notes (never shown to the applicant)"),
        help_text=_("For the district only. The applicant never sees these notes."),
    )

    def __init__(self, *args, criteria: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {
            f"score_{i}": forms.TypedChoiceField(
                label=criterion,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("1 is weakest, 5 strongest."),
            )
            for i, criterion in enumerate(self.criteria)
        }
        # The scores first, in the round's order, then the recommendation.
        self.fields = {**scores, **self.fields}

    @classmethod
    def initial_from(cls, assessment, criteria: list[str]) -> dict:
        if assessment is None:
            return {}
        initial = {
            f"score_{i}": assessment.scores.get(criterion) for i, criterion in enumerate(criteria)
        }
        initial.update(
            recommendation=assessment.recommendation,
            recommended_amount=assessment.recommended_amount,
            reasons=assessment.reasons,
            conditions=assessment.conditions,
            internal_notes=assessment.internal_notes,
        )
        return initial

    def service_data(self) -> dict:
        """The cleaned data as ``assessment_save`` takes it: scores keyed by criterion."""
        data = dict(self.cleaned_data)
        scores = {}
        for i, criterion in enumerate(self.criteria):
            value = data.pop(f"score_{i}", None)
            if value is not None:
                scores[criterion] = value
        return {"scores": scores, **data}


class InfoRequestForm(forms.Form):
    body = text_field(
        _("What information do you need?"),
        required=True,
        help_text=_("The applicant is emailed and answers on their application page."),
    )
    # From today: an answer cannot be due in the past; a year is the longest a case waits.
    reply_by = date_field(
        _("Reply by"), required=False, past=timedelta(0), future=timedelta(days=366)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_by"].initial = timezone.localdate() + timedelta(days=14)


class MessageForm(forms.Form):
    body = text_field(
        _("Message to the applicant"),
        required=True,
        help_text=_("The applicant is emailed."),
    )


class DecisionForm(forms.Form):
    outcome = _outcome_field()
    amount = _amount_field()
    reasons = text_field(
        _("Reasons"), help_text=_("Required unless the application is approved in full.")
    )
    reasons.required_when = _("required for a partial grant or a refusal")  # not "optional"
    conditions = text_field(_("Conditions"), rows=3)

    @classmethod
    def initial_from(cls, assessment) -> dict:
        if assessment is None:
            return {}
        return {
            "outcome": assessment.recommendation or None,
            "amount": assessment.recommended_amount,
            "reasons": assessment.reasons,
            "conditions": assessment.conditions,
        }


class PaymentForm(forms.Form):
    amount = money_field(_("Amount (NOK)"), column=Payment._meta.get_field("amount"), min_value=1)
    # A payment is registered when it is made: not ahead of time, and not years after the case.
    paid_on = date_field(_("Paid on"), past=timedelta(days=5 * 366), future=timedelta(0))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ReportReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Your review"),
        choices=[
            ("yes", _("Approve the report and close the case")),
            ("no", _("Return the report to the applicant")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or return the report.")},
    )
    note = text_field(
        _("Comment to the applicant"),
        help_text=_("Required when you return the report: say what to change."),
    )

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not data.get("note", "").strip():
            self.add_error("note", _("Tell the applicant what to change."))
        return data


class AppealChangeForm(DecisionForm):
    assessment = text_field(
        _("The district's assessment of the appeal"),
        help_text=_("Why the district changes its decision."),
    )


class AppealForwardForm(forms.Form):
    assessment = text_field(
        _("The district's assessment of the appeal"),
        required=True,
        help_text=_(
            "Sent to the appeal body with the appeal. Why the district keeps its decision."
        ),
    )


class AppealOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The appeal body's outcome"),
        choices=[
            (Appeal.Status.UPHELD, Appeal.Status.UPHELD.label),
            (Appeal.Status.ALLOWED, Appeal.Status.ALLOWED.label),
            (Appeal.Status.DISMISSED, Appeal.Status.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the appeal body's outcome.")},
    )
    note = text_field(_("Summary of the appeal body's decision"), required=True)
    amount = _amount_field(
        _("Amount granted (NOK)"),
        help_text=_(
            "If the appeal is allowed: the amount the appeal body set. Leave empty for the "
            "full amount applied for."
        ),
    )


class ReturnProposalForm(forms.Form):
    note = text_field(
        _("What should the case handler look at again?"),
        required=True,
        help_text=_("Internal: the applicant does not see it."),
    )


class AppealPrepareForm(forms.Form):
    assessment = text_field(
        _("Your assessment of the appeal"),
        required=True,
        help_text=_(
            "Internal: for the programme leader. Say what the appeal claims and whether it "
            "holds, against the decision and the round's rules."
        ),
    )
    advice = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Appeal.Advice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Recommend changing the decision or forwarding the appeal.")},
    )
