"""Forms for the public participation pages: the events filter, registration, and input.

The forms check format and completeness; the services check the rest (places, duplicates,
whether the event takes registrations, whether a project belongs to the area), and the views
put the services' messages on these forms' fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import SubGoal
from areas.selectors import area_choices, areas_public
from projects.permissions import projects_public

from ..models import Event, Topic
from ..permissions import events_public
from ..services.inputs import MAX_LENGTH
from ..services.registrations import MAX_PEOPLE


class EventFilterForm(forms.Form):
    """The GET form above the events list. An empty field means "all"."""

    omrade = forms.ModelChoiceField(
        label=_("Area"),
        queryset=area_choices(),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    type = forms.ChoiceField(
        label=_("Type of event"),
        choices=[("", _("All types")), *Event.Kind.choices],
        required=False,
    )


class RegistrationForm(forms.Form):
    """The fields of ``services.registration_create``. A signed-in person registers with the
    account's email address, so the form asks a guest only for name and email."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=160,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write your name.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the confirmation and a reminder the day before to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Write your email address, so we can confirm the registration.")
        },
    )
    people = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
        help_text=_("Yourself included. At most %(max)s at a time.") % {"max": MAX_PEOPLE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Write how many you are.")},
    )
    interpretation_needed = forms.CharField(
        label=_("Interpretation you need"),
        max_length=120,
        required=False,
        help_text=_("For example “sign language” or “Arabic”."),
    )
    accessibility_needs = forms.CharField(
        label=_("Other needs we should know about"),
        required=False,
        help_text=_("For example a wheelchair space, a hearing loop or food allergies."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = bool(user is not None and user.is_authenticated)
        if self.signed_in:
            del self.fields["email"]
            self.fields["name"].initial = user.full_name

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data.get("email", ""),
            "people": data["people"],
            "interpretation_needed": data["interpretation_needed"],
            "accessibility_needs": data["accessibility_needs"],
        }


class RegistrationActionForm(forms.Form):
    """No fields: confirming or cancelling is one button. Carries a service's refusal."""


class SubGoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.tr.title}"


class InputForm(forms.Form):
    """The fields of ``services.input_submit``. The area, project and event come preselected
    from the page the person came from; project and event travel as hidden fields and must be
    public."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=areas_public().order_by("name"),
        to_field_name="slug",
        empty_label=_("Choose the area"),
        error_messages={"required": _("Choose the area your input is about.")},
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the topic closest to your input.")},
    )
    text = forms.CharField(
        label=_("Your input"),
        max_length=MAX_LENGTH,
        help_text=_("What is good, what should change, what do you wish for?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your input.")},
    )
    sub_goal = SubGoalChoiceField(
        label=_("Sub-goal"),
        queryset=SubGoal.objects.order_by("number"),
        required=False,
        empty_label=_("Don't know"),
        help_text=_("Which of the programme's sub-goals your input concerns, if you know."),
    )
    project = forms.ModelChoiceField(
        queryset=projects_public(), to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    event = forms.ModelChoiceField(
        queryset=events_public(), to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Give it if you want to be told what becomes of your input."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("You may store my name and email address with the input and contact me about it."),
        required=False,
        help_text=_("Your name and email address are never shown publicly."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = bool(user is not None and user.is_authenticated)
        if self.signed_in:
            for name in ("name", "email", "consent"):
                del self.fields[name]

    def hide_area(self) -> None:
        """The area follows from the project or event the input is about: no need to ask."""
        self.fields["area"].widget = forms.HiddenInput()

    @property
    def area_hidden(self) -> bool:
        return self.fields["area"].widget.is_hidden

    def clean(self):
        data = super().clean()
        if not self.signed_in:
            gave_contact = data.get("name") or data.get("email")
            if gave_contact and not data.get("consent"):
                self.add_error(
                    "consent",
                    _("Tick the box if we may keep your name or email address, or leave them out."),
                )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "area": data["area"],
            "topic": data["topic"],
            "text": data["text"],
            "sub_goal": data["sub_goal"],
            "project": data["project"],
            "event": data["event"],
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "consent": data.get("consent", False),
        }
