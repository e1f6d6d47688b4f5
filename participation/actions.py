"""What staff can do to an event, a registration at the door and an input: one object per
action (``core.actions``). The staff pages list the actions whose ``check`` passes, the POST
views run them with ``core.views.run_action``, and each service refuses with the same ``check``
(``core.actions.require``), so the button and the guard never disagree.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, ActionSet, Refusal
from projects.permissions import projects_visible_to

from . import permissions, services
from .forms.staff import (
    AttendanceForm,
    CancelForm,
    DoneForm,
    HideForm,
    LinkProjectForm,
    NotTakenUpForm,
    ResponseForm,
    TakeUpForm,
)
from .models import Event, Input, Registration
from .workflow import EVENT_STATUS, INPUT_FOLLOW_UP

F = Input.FollowUp
M = Input.Moderation


def _not_editor() -> Refusal:
    return Refusal(_("Only the district's project and programme leaders can do this."))


# --- Events -------------------------------------------------------------------------------------


class EventAction(Action):
    """An action on the event page; it posts to ``participation:<url_name>``."""

    url_name = ""

    def url(self, event) -> str:
        return reverse(f"participation:{self.url_name}", kwargs={"slug": event.slug})

    def check(self, user, event) -> Refusal | None:
        if not permissions.can_edit_event(user, event):
            return _not_editor()
        return self.check_state(user, event)

    def check_state(self, user, event) -> Refusal | None:
        return None


class EditEvent(EventAction):
    """Changing what the event is: its own page (the editor), not a form on the event page."""

    name, label, url_name = "edit", gettext_lazy("Edit the event"), "staff_event_edit"

    def execute(self, user, event, form) -> str:
        services.event_update(actor=user, event=event, **form.service_data())
        return _("The changes to the event are saved.")


class PublishEvent(EventAction):
    name, url_name = "publish", "staff_event_publish"
    label, submit_label = gettext_lazy("Publish the event"), gettext_lazy("Publish")
    intro = gettext_lazy("The event is a draft. Once published, residents see it and can register.")

    def check_state(self, user, event):
        if event.status != Event.Status.DRAFT:
            return Refusal(_("Only a draft can be published."))
        return EVENT_STATUS.refusal(event, "publish", user)

    def execute(self, user, event, form) -> str:
        services.event_publish(actor=user, event=event)
        return _("The event is published and shown on the public pages.")


class RecordAttendance(EventAction):
    name, url_name, form_class = "attendance", "staff_attendance", AttendanceForm
    label, submit_label = gettext_lazy("Record attendance"), gettext_lazy("Save the attendance")
    intro = gettext_lazy(
        "Anonymous counts only. The groups are optional and may overlap; none can be larger "
        "than the total."
    )

    def check_state(self, user, event):
        if event.starts_at > timezone.now():
            return Refusal(_("Attendance can be recorded once the event has started."))
        return None

    def form_kwargs(self, user, event):
        return {"initial": AttendanceForm.initial_from(event)}

    def execute(self, user, event, form) -> str:
        services.attendance_record(actor=user, event=event, **form.service_data())
        return _("The attendance is recorded.")


class CancelEvent(EventAction):
    name, url_name, form_class, secondary = "cancel", "staff_event_cancel", CancelForm, True
    label = submit_label = gettext_lazy("Cancel the event")
    intro = gettext_lazy(
        "Everyone registered, also on the waiting list, is told by email. This cannot be undone."
    )

    def check_state(self, user, event):
        if event.status == Event.Status.CANCELLED:
            return Refusal(_("The event is already cancelled."))
        if event.status != Event.Status.PUBLISHED:
            # A cancelled event shows publicly; a draft never announced has nobody to tell.
            return Refusal(_("Only a published event can be cancelled."))
        return EVENT_STATUS.refusal(event, "cancel", user)

    def execute(self, user, event, form) -> str:
        services.event_cancel(actor=user, event=event, reason=form.cleaned_data["reason"])
        return _("The event is cancelled. Everyone registered is told by email.")


EDIT_EVENT = EditEvent()
EVENT_ACTIONS = ActionSet([PublishEvent(), RecordAttendance(), CancelEvent()])


# --- Check-in at the door -----------------------------------------------------------------------


class DoorAction(Action):
    """Ticking a confirmed registration off the check-in list, or undoing it."""

    def check(self, user, registration) -> Refusal | None:
        if not permissions.can_edit_event(user, registration.event):
            return _not_editor()
        if registration.status != Registration.Status.CONFIRMED:
            return Refusal(_("Only confirmed registrations can be checked in."))
        return self.check_state(registration)

    def check_state(self, registration) -> Refusal | None:
        return None


class CheckIn(DoorAction):
    name, label = "check_in", gettext_lazy("Check in")

    def check_state(self, registration):
        if registration.checked_in_at:
            return Refusal(_("%(name)s is checked in.") % {"name": registration.name})
        return None

    def execute(self, user, registration, form) -> str:
        services.registration_check_in(actor=user, registration=registration, present=True)
        return _("%(name)s is checked in.") % {"name": registration.name}


class UndoCheckIn(DoorAction):
    name, label = "undo_check_in", gettext_lazy("Undo")

    def check_state(self, registration):
        if not registration.checked_in_at:
            return Refusal(_("%(name)s is not checked in.") % {"name": registration.name})
        return None

    def execute(self, user, registration, form) -> str:
        services.registration_check_in(actor=user, registration=registration, present=False)
        return _("%(name)s is no longer checked in.") % {"name": registration.name}


CHECK_IN, UNDO_CHECK_IN = CheckIn(), UndoCheckIn()


# --- Input --------------------------------------------------------------------------------------


class InputAction(Action):
    """An action on an input's page; it posts to ``participation:staff_input_<name>``."""

    path = ""  # the last part of the action's address

    def url(self, item) -> str:
        return reverse(f"participation:staff_input_{self.name}", kwargs={"pk": item.pk})

    def check(self, user, item) -> Refusal | None:
        if not permissions.can_edit_input(user, item):
            return _not_editor()
        return self.check_state(user, item)

    def check_state(self, user, item) -> Refusal | None:
        return None


class FollowUpStep(InputAction):
    """One transition of the follow-up table (``workflow.INPUT_FOLLOW_UP``)."""

    form_class = ResponseForm
    success = gettext_lazy("The follow-up is saved.")

    @property
    def target(self) -> str:
        (target,) = INPUT_FOLLOW_UP[self.name].targets
        return target

    def check_state(self, user, item):
        if item.follow_up not in INPUT_FOLLOW_UP[self.name].sources:
            return Refusal(
                _("An input that is “%(old)s” cannot become “%(new)s”.")
                % {"old": F(item.follow_up).label, "new": F(self.target).label}
            )
        return INPUT_FOLLOW_UP.refusal(item, self.name, user)

    def form_kwargs(self, user, item):
        return {"item": item}

    def execute(self, user, item, form) -> str:
        item = services.input_follow_up(
            actor=user, item=item, transition=self.name, **form.service_data()
        )
        message = str(self.success)
        if item.contact_email:
            message += " " + _("Whoever gave the input is told by email.")
        return message


class Consider(FollowUpStep):
    name, path = "consider", "vurder"
    label, submit_label = gettext_lazy("Consider the input"), gettext_lazy("Start considering")
    intro = gettext_lazy("Tell residents that the district is looking at the input.")


class TakeUp(FollowUpStep):
    name, path, form_class = "take_up", "ta-inn", TakeUpForm
    label, submit_label = gettext_lazy("Take up the input"), gettext_lazy("Take it up")
    intro = gettext_lazy(
        "Name the project of the input's area that takes it up. Input is taken into a measure "
        "of the action programme from the programme's comments page."
    )

    def form_kwargs(self, user, item):
        return {"item": item, "projects": projects_visible_to(user)}


class NotTakeUp(FollowUpStep):
    name, path, form_class, secondary = "not_take_up", "ikke-ta-inn", NotTakenUpForm, True
    label = gettext_lazy("Do not take up the input")
    submit_label = gettext_lazy("Do not take it up")
    intro = gettext_lazy("Say why: the answer is shown publicly with the input.")


class MarkDone(FollowUpStep):
    name, path, form_class = "done", "gjennomfort", DoneForm
    label, submit_label = gettext_lazy("Mark the input as done"), gettext_lazy("Mark as done")
    intro = gettext_lazy("What was taken up has been done. Say what was done.")


class Reconsider(FollowUpStep):
    name, path, secondary = "reconsider", "vurder-pa-nytt", True
    label = submit_label = gettext_lazy("Reconsider the input")
    intro = gettext_lazy("The earlier decision and its answer no longer stand on the public page.")


class LinkProject(InputAction):
    name, path, form_class, secondary = "link_project", "prosjekt", LinkProjectForm, True
    label = gettext_lazy("Link the input to a project")
    submit_label = gettext_lazy("Save the project")
    intro = gettext_lazy("The project of the input's area that the input is about.")

    def form_kwargs(self, user, item):
        return {"item": item, "projects": projects_visible_to(user)}

    def execute(self, user, item, form) -> str:
        item = services.input_link_project(
            actor=user, item=item, project=form.cleaned_data["project"]
        )
        if item.project_id:
            return _("The input is linked to %(project)s.") % {"project": item.project.title}
        return _("The input is no longer linked to a project.")


class ShowInput(InputAction):
    name, path = "show", "vis"
    label, submit_label = gettext_lazy("Show the input"), gettext_lazy("Show it")

    def check_state(self, user, item):
        if item.moderation == M.APPROVED:
            return Refusal(_("The input is already shown."))
        return None

    def get_intro(self, user, item) -> str:
        if item.moderation == M.PENDING:
            return _("The input waits for moderation: it is not shown publicly until you show it.")
        return _("The input is hidden. Showing it puts it back on the area's page.")

    def execute(self, user, item, form) -> str:
        services.input_moderate(actor=user, item=item, show=True)
        return _("The input is shown on the area's page.")


class HideInput(InputAction):
    name, path, form_class, secondary = "hide", "skjul", HideForm, True
    label, submit_label = gettext_lazy("Hide the input"), gettext_lazy("Hide it")
    intro = gettext_lazy("Hide abuse and personal attacks, with the reason. The text is kept.")

    def check_state(self, user, item):
        if item.moderation == M.HIDDEN:
            return Refusal(_("The input is already hidden."))
        return None

    def execute(self, user, item, form) -> str:
        services.input_moderate(
            actor=user, item=item, show=False, reason=form.cleaned_data["reason"]
        )
        return _("The input is hidden. The reason is recorded.")


INPUT_ACTIONS = ActionSet(
    [
        Consider(),
        TakeUp(),
        NotTakeUp(),
        MarkDone(),
        Reconsider(),
        LinkProject(),
        ShowInput(),
        HideInput(),
    ]
)
FOLLOW_UP_STEPS = [a for a in INPUT_ACTIONS if isinstance(a, FollowUpStep)]
# The edges of the follow-up table and the actions that make them: one each.
assert {a.name for a in FOLLOW_UP_STEPS} == set(INPUT_FOLLOW_UP.names())  # noqa: S101


def follow_up_step(current: str, target: str) -> FollowUpStep | None:
    """The follow-up action that leads from ``current`` to ``target``, if there is one."""
    for action in FOLLOW_UP_STEPS:
        transition = INPUT_FOLLOW_UP[action.name]
        if current in transition.sources and target in transition.targets:
            return action
    return None
