"""The secretariat's admin for participation.

Events are set up and changed here through the same services as the staff pages (so the
waiting list moves up when places are added, and the change is in the event's history).
Publishing, cancelling and attendance stay on the staff pages, where the emails go out.
Registrations, input and the history of both are shown only: input is moderated and followed
up on the staff pages, where the giver is told. Nothing is deleted from the admin.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import versions
from core.admin import BumpsDataVersionMixin, NoDeleteMixin, ReadOnlyMixin

from . import history, services
from .models import Event, EventChange, Input, InputChange, Registration, TargetGroup
from .services.events import check_event


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


# --- Events -------------------------------------------------------------------------------------


class EventForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [*services.EVENT_FIELDS, "areas"]

    actor = None  # set by EventAdmin.get_form: the service's rules depend on who edits

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The service's own checks, so a refusal shows on the form rather than as an error page.
        probe = Event(**{k: cleaned.get(k) for k in services.EVENT_FIELDS if k in cleaned})
        check_event(probe, list(cleaned.get("areas") or []), self.actor)
        return cleaned


@admin.display(description=_("what"))
def event_step(change: EventChange) -> str:
    return history.event_step_label(change)


@admin.display(description=_("what"))
def input_step(change: InputChange) -> str:
    return history.input_step_label(change.action)


class EventChangeInline(ReadOnlyInline):
    model = EventChange
    fields = ["created_at", "action", "actor", "data"]


@admin.register(Event)
class EventAdmin(BumpsDataVersionMixin, NoDeleteMixin, admin.ModelAdmin):
    data_topics = (versions.PARTICIPATION,)

    form = EventForm
    list_display = ["title", "starts_at", "kind", "status", "registration", "capacity"]
    list_filter = ["status", "kind", "registration", "areas__district"]
    search_fields = ["title", "slug", "place", "organiser"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["areas"]
    readonly_fields = [
        "slug",
        "status",
        "attendance_total",
        "attendance_by_group",
        "attendance_recorded_at",
        "created_at",
        "updated_at",
    ]
    inlines = [EventChangeInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.EVENT_FIELDS}
        areas = form.cleaned_data["areas"]
        if change:
            saved = services.event_update(actor=request.user, event=obj, areas=areas, **fields)
        else:
            saved = services.event_create(actor=request.user, areas=areas, **fields)
        # The admin goes on with ``obj`` (the areas, the log entry, the redirect).
        for name in ("pk", "slug", "status", "created_by_id", "created_at", "updated_at"):
            setattr(obj, name, getattr(saved, name))
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request, form, formsets, change):
        # The areas were set by the service; only the (read-only) inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "event", "people", "status", "created_at", "checked_in_at"]
    list_filter = ["status", "event__areas__district"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event"]
    exclude = ["token"]  # the token is the person's key to cancel; not for display


@admin.register(EventChange)
class EventChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "event", event_step, "actor"]
    list_filter = ["action"]
    search_fields = ["event__title"]
    list_select_related = ["event", "actor"]
    date_hierarchy = "created_at"


# --- Input --------------------------------------------------------------------------------------


class InputChangeInline(ReadOnlyInline):
    model = InputChange
    fields = ["created_at", "action", "data", "actor", "note", "notified"]


@admin.register(Input)
class InputAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "area", "topic", "channel", "moderation", "follow_up", "created_at"]
    list_filter = ["moderation", "follow_up", "topic", "channel", "area__district"]
    search_fields = ["text", "response", "author_name", "author_email"]
    list_select_related = ["area"]
    date_hierarchy = "created_at"
    inlines = [InputChangeInline]


@admin.register(InputChange)
class InputChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "input", input_step, "action", "actor", "notified"]
    list_filter = ["action", "notified"]
    search_fields = ["input__text", "note"]
    list_select_related = ["input", "actor"]
    date_hierarchy = "created_at"
