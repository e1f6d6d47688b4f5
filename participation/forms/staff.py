"""Forms on the district's participation pages: the event editor, the event page's actions
(cancel, attendance), input registered by staff, and the forms of an input's actions (its
follow-up steps, its project, hiding it). Actions that are only a button use
``core.actions.EmptyForm``.

The forms check what a person can fix on the spot; every rule lives in the services, whose
messages the views put back on the right field. Each form on a page carries its own prefix, so
no two fields share an id.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import SubGoal
from core.forms import DateTimeLocalInput, SensibleDatesMixin, limit_to_column, text_field
from projects.models import Project

from ..models import EVENT_FIELDS, Event, Input, TargetGroup, Topic


def _area_label(area) -> str:
    return f"{area.name} ({area.district.name})"


def _project_label(project) -> str:
    return f"{project.title} ({project.area.name})"


def _sub_goal_field() -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Sub-goal"),
        queryset=SubGoal.objects.filter(sub_programme__served=True).order_by("number"),
        required=False,
        empty_label=_("No sub-goal"),
    )
    field.label_from_instance = lambda g: f"{g.number}. {g.tr.title}"
    return field


def event_label(event: Event) -> str:
    return f"{event.title} ({timezone.localtime(event.starts_at):%d.%m.%Y})"


# --- The event editor ---------------------------------------------------------------------------


class EventForm(SensibleDatesMixin, forms.ModelForm):
    """Everything about an event, in the areas the editor works in."""

    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area.")},
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Who the event is especially for."),
    )

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS[:3], "areas", *EVENT_FIELDS[3:]]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("Write the event's title.")},
            "description": {"required": _("Describe the event.")},
            "kind": {"required": _("Choose the type of event.")},
            "starts_at": {"required": _("Enter when the event starts.")},
            "ends_at": {"required": _("Enter when the event ends.")},
            "place": {"required": _("Write where the event takes place.")},
            "languages": {"required": _("Write the languages spoken at the event.")},
            "organiser": {"required": _("Write who organises the event.")},
        }
        help_texts = {
            "starts_at": _("Norwegian time (Europe/Oslo)."),
            "ends_at": _("Norwegian time (Europe/Oslo)."),
            "project": _("The project must be in one of the event's areas."),
            "participation_step": _(
                "The municipality's role at the event (deltakelsestrappa): from a proactive role, "
                "close at hand, to a support system for what residents run themselves."
            ),
            "registration": _(
                "With open registration, people sign up on the event's page; when it is full "
                "they join a waiting list."
            ),
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        if "capacity" in self.fields:
            limit_to_column(self.fields["capacity"], Event._meta.get_field("capacity"), money=False)
        areas = areas.select_related("district").order_by("district__number", "name")
        self.fields["areas"].queryset = areas
        self.fields["areas"].label_from_instance = _area_label
        project = self.fields["project"]
        project.queryset = (
            Project.objects.filter(area__in=areas).select_related("area").order_by("title")
        )
        project.label_from_instance = _project_label
        project.empty_label = _("No project")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return data

    def service_data(self) -> dict:
        """The cleaned data as ``event_create`` and ``event_update`` take it."""
        data = {name: self.cleaned_data[name] for name in EVENT_FIELDS}
        data["target_groups"] = list(data["target_groups"])
        return {"areas": list(self.cleaned_data["areas"]), **data}


# --- The event page's actions -------------------------------------------------------------------


class CancelForm(forms.Form):
    reason = text_field(
        _("Why is the event cancelled?"),
        required=True,
        rows=3,
        help_text=_("Everyone registered is emailed, and the reason is included."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why the event is cancelled.")


class AttendanceForm(forms.Form):
    """How many came, in total and by target group: anonymous counts, never names."""

    total = limit_to_column(
        forms.IntegerField(
            label=_("How many came in total"),
            min_value=0,
            error_messages={"required": _("Enter how many came.")},
        ),
        Event._meta.get_field("attendance_total"),
        money=False,
    )

    # Everyone is the whole; counting it again by group says nothing.
    GROUPS = [g for g in TargetGroup if g != TargetGroup.EVERYONE]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group in self.GROUPS:
            self.fields[f"group_{group.value}"] = limit_to_column(
                forms.IntegerField(
                    label=_("Of whom: %(group)s") % {"group": group.label},
                    min_value=0,
                    required=False,
                ),
                Event._meta.get_field("attendance_total"),
                money=False,
            )

    @classmethod
    def initial_from(cls, event: Event) -> dict:
        initial = {"total": event.attendance_total}
        for group, count in (event.attendance_by_group or {}).items():
            initial[f"group_{group}"] = count
        return initial

    def service_data(self) -> dict:
        return {
            "total": self.cleaned_data["total"],
            "by_group": {
                group.value: self.cleaned_data[f"group_{group.value}"]
                for group in self.GROUPS
                if self.cleaned_data.get(f"group_{group.value}") is not None
            },
        }


# --- Input registered by staff ------------------------------------------------------------------


class InputRegisterForm(forms.Form):
    """Input gathered at a physical meeting: one post-it note at a time."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        empty_label=_("Choose an area"),
        error_messages={"required": _("Choose the area the input is about.")},
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=None,
        required=False,
        empty_label=_("Not from an event"),
        help_text=_("The event where the input was given."),
    )
    channel = forms.ChoiceField(
        label=_("How the input was given"),
        choices=[
            (Input.Channel.EVENT, Input.Channel.EVENT.label),
            (Input.Channel.OTHER, _("Other (phone, letter, in person)")),
        ],
        initial=Input.Channel.EVENT,
        widget=forms.RadioSelect,
    )
    text = text_field(
        _("The input"),
        required=True,
        rows=5,
        help_text=_("Write it as the person said or wrote it."),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("Choose a topic")), *Topic.choices],
        error_messages={"required": _("Choose the topic.")},
    )
    sub_goal = _sub_goal_field()
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        required=False,
        empty_label=_("No project"),
        help_text=_("If the input is about one of the area's projects."),
    )
    name = forms.CharField(label=_("Name of the person"), max_length=160, required=False)
    email = forms.EmailField(
        label=_("Their email address"),
        required=False,
        help_text=_("So we can tell them what became of the input."),
    )
    consent = forms.BooleanField(
        label=_("The person agreed that we store their name and email and contact them about it"),
        required=False,
        help_text=_(
            "Only write down a name or email address if the person agreed to it. Without "
            "consent, register the input anonymously."
        ),
    )

    def __init__(self, *args, areas, events, **kwargs):
        super().__init__(*args, **kwargs)
        if "capacity" in self.fields:
            limit_to_column(self.fields["capacity"], Event._meta.get_field("capacity"), money=False)
        areas = areas.select_related("district").order_by("district__number", "name")
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = _area_label
        self.fields["event"].queryset = events.order_by("-starts_at", "pk")
        self.fields["event"].label_from_instance = event_label
        self.fields["project"].queryset = (
            Project.objects.filter(area__in=areas).select_related("area").order_by("title")
        )
        self.fields["project"].label_from_instance = _project_label
        self.fields["text"].error_messages["required"] = _("Write the input.")

    def clean(self):
        data = super().clean()
        if (data.get("name", "").strip() or data.get("email")) and not data.get("consent"):
            self.add_error(
                "consent",
                _("Only store a name or address when the person has agreed to it."),
            )
        return data


# --- An input's actions ------------------------------------------------------------------------


def _projects_of_area(item: Input, projects) -> forms.ModelChoiceField:
    """The projects an input can be taken up in or linked to: those of its own area."""
    field = forms.ModelChoiceField(
        label=_("Project"),
        queryset=projects.filter(area_id=item.area_id).select_related("area").order_by("title"),
        required=False,
        empty_label=_("No project"),
    )
    field.label_from_instance = lambda project: project.title
    return field


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=300,
        help_text=_("For example “personal attack”. The text of the input is kept."),
        error_messages={"required": _("Say why the input is hidden.")},
    )


_RESPONSE_HELP = _(
    "Shown publicly with the input: what became of it, and why. Whoever gave the input is told "
    "by email if we can reach them."
)


class ResponseForm(forms.Form):
    """A follow-up step with an optional answer to residents."""

    response = text_field(_("What we did"), help_text=_RESPONSE_HELP)

    def __init__(self, *args, item: Input, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item

    def service_data(self) -> dict:
        return {"response": self.cleaned_data["response"]}


class NotTakenUpForm(ResponseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["response"]
        field.label = _("Why the input is not taken up")
        field.required = True
        field.error_messages["required"] = _("Say why the input was not taken up.")


class DoneForm(ResponseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].initial = self.item.response
        self.fields["response"].help_text = _(
            "Shown publicly with the input. Required unless an answer is already given."
        )


class TakeUpForm(ResponseForm):
    """Taken up needs the project of the input's area that took it. (An input taken into a
    measure of the action programme is taken in from the programme's side.)"""

    field_order = ["project", "response"]

    def __init__(self, *args, item: Input, projects, **kwargs):
        super().__init__(*args, item=item, **kwargs)
        self.fields["project"] = _projects_of_area(item, projects)
        self.fields["project"].label = _("Taken up in project")
        self.fields["project"].help_text = _("A project of %(area)s.") % {"area": item.area.name}
        self.fields["project"].initial = item.project_id
        self.order_fields(self.field_order)

    def service_data(self) -> dict:
        return {
            "project": self.cleaned_data["project"],
            "response": self.cleaned_data["response"],
        }


class LinkProjectForm(forms.Form):
    """The project of the input's area that the input is about."""

    def __init__(self, *args, item: Input, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"] = _projects_of_area(item, projects)
        self.fields["project"].help_text = _("A project of %(area)s.") % {"area": item.area.name}
        self.fields["project"].initial = item.project_id
