"""The secretariat's admin for grants.

Rounds are set up and changed here (through the same service as the staff pages). Organisations
may be corrected. Applications and everything a case records — history, decisions, assessments,
appeals, payments — are case documents: shown, never added, changed or deleted here. Nothing
is hard-deleted from the admin.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import versions
from core.admin import BumpsDataVersionMixin, NoDeleteMixin, ReadOnlyMixin

from . import identifiers, services
from .models import (
    Appeal,
    ApplicantKind,
    Assessment,
    Attachment,
    AttachmentKind,
    CaseEvent,
    CaseMessage,
    CostLine,
    Decision,
    FinalReport,
    GrantApplication,
    GrantRound,
    ImpartialityDeclaration,
    Membership,
    Organisation,
    Payment,
)
from .services.organisations import ORGANISATION_FIELDS
from .services.rounds import ROUND_FIELDS

# --- Rounds -------------------------------------------------------------------------------------


class GrantRoundForm(forms.ModelForm):
    applicant_kinds = forms.MultipleChoiceField(
        label=_("eligible applicant types"),
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    required_attachments = forms.MultipleChoiceField(
        label=_("required attachments"),
        choices=AttachmentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = GrantRound
        fields = [*ROUND_FIELDS, "areas"]


@admin.register(GrantRound)
class GrantRoundAdmin(BumpsDataVersionMixin, NoDeleteMixin, admin.ModelAdmin):
    data_topics = (versions.GRANTS,)

    form = GrantRoundForm
    list_display = ["title", "year", "opens_at", "closes_at", "budget", "is_published"]
    list_filter = ["year", "is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["areas"]
    readonly_fields = ["created_at"]

    def save_model(self, request, obj, form, change):
        saved = services.round_save(
            actor=request.user,
            instance=obj if change else None,
            areas=form.cleaned_data["areas"],
            **{name: form.cleaned_data[name] for name in ROUND_FIELDS if name in form.cleaned_data},
        )
        obj.pk = saved.pk
        obj.created_at = saved.created_at

    def save_related(self, request, form, formsets, change):
        # The service has set the areas (and audited them); the form must not set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- Organisations ------------------------------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS

    def clean_org_number(self) -> str:
        return identifiers.clean_org_number(self.cleaned_data["org_number"])

    def clean_account_number(self) -> str:
        return identifiers.clean_account_number(self.cleaned_data["account_number"])


class MembershipInline(ReadOnlyMixin, admin.TabularInline):
    """Members join by registering or by invitation; here they are only shown."""

    model = Membership
    extra = 0
    fields = ["user", "is_admin", "created_at"]
    readonly_fields = fields


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Organisations are registered by their members; the secretariat may correct them."""

    form = OrganisationForm
    list_display = ["name", "org_number", "kind", "postcode", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number", "email"]
    inlines = [MembershipInline]

    def has_add_permission(self, request) -> bool:
        return False


# --- Applications and their case file (read only) -----------------------------------------------


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class CostLineInline(ReadOnlyInline):
    model = CostLine
    fields = ["description", "amount"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "original_name", "content_type", "size", "for_report", "removed_at"]


class DecisionInline(ReadOnlyInline):
    model = Decision
    fk_name = "application"
    fields = [
        "outcome",
        "amount",
        "decided_by",
        "decided_at",
        "on_appeal",
        "appeal_deadline",
        "letter_status",
        "notified_at",
    ]


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "kind", "actor", "visible_to_applicant", "note", "data"]


class MessageInline(ReadOnlyInline):
    model = CaseMessage
    fields = ["created_at", "kind", "sender", "from_staff", "body", "reply_by", "answered_at"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["paid_on", "amount", "note", "registered_by"]


class AppealInline(ReadOnlyInline):
    model = Appeal
    fields = ["submitted_at", "status", "is_late", "forwarded_at", "outcome_at"]


class DeclarationInline(ReadOnlyInline):
    model = ImpartialityDeclaration
    fields = ["declared_at", "user", "impartial", "note"]


@admin.register(GrantApplication)
class GrantApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["display_reference", "title", "organisation", "round", "status", "area"]
    list_filter = ["status", "round", "area__district"]
    search_fields = ["reference", "title", "organisation__name", "organisation__org_number"]
    list_select_related = ["organisation", "round", "area"]
    inlines = [
        CostLineInline,
        AttachmentInline,
        DeclarationInline,
        DecisionInline,
        PaymentInline,
        AppealInline,
        MessageInline,
        EventInline,
    ]

    @admin.display(description=_("reference"), ordering="reference")
    def display_reference(self, obj) -> str:
        return obj.display_reference


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "application", "kind", "actor", "visible_to_applicant"]
    list_filter = ["kind", "visible_to_applicant"]
    search_fields = ["application__reference"]
    list_select_related = ["application", "actor"]
    date_hierarchy = "created_at"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "outcome", "amount", "decided_at", "letter_status"]
    list_filter = ["outcome", "letter_status", "on_appeal"]
    search_fields = ["application__reference"]
    list_select_related = ["application"]
    # A private file has no URL: the letter is downloaded from the case page, which checks.
    exclude = ["letter"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "assessor", "recommendation", "proposed_at"]
    list_filter = ["recommendation"]
    search_fields = ["application__reference"]
    list_select_related = ["application", "assessor"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "status", "is_late", "submitted_at"]
    list_filter = ["status", "is_late"]
    search_fields = ["application__reference"]
    list_select_related = ["application"]


@admin.register(FinalReport)
class FinalReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["application__reference"]
    list_select_related = ["application"]
