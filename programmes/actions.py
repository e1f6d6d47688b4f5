"""What staff can do to a handlingsprogram: one object per action (``core.actions``).

The programme's staff page lists the actions whose ``check`` passes and posts them to
``programmes:action``; each service refuses with the same ``check`` (``core.actions.require``),
so the button and the guard never disagree. The status actions are the rows of the workflow
table (``programmes.workflow``) with the form each needs.
"""

import copy

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, ActionSet, Refusal
from core.forms import DateInput

from . import permissions
from .models import ActionProgramme
from .workflow import PROGRAMME_STATUS

S = ActionProgramme.Status


def _not_editor() -> Refusal:
    return Refusal(_("Only the district's project and programme leaders can do this."))


class ProgrammeAction(Action):
    """An action on the programme's staff page."""

    def check(self, user, programme) -> Refusal | None:
        if not permissions.can_edit(user, programme):
            return _not_editor()
        return self.check_state(user, programme)

    def check_state(self, user, programme) -> Refusal | None:
        return None


class Edit(ProgrammeAction):
    """Writing the programme's text and measures: the editor's own pages, not a button. Its
    check guards every write to the content (``services.editing``); its form is the prose and
    participation step."""

    name, label = "edit", gettext_lazy("Edit the programme")
    submit_label = gettext_lazy("Save")

    @property
    def form_class(self):
        from .forms import ProgrammeForm

        return ProgrammeForm

    def form_kwargs(self, user, programme):
        # A copy: validation writes what was typed onto the instance, and the page goes on
        # showing the programme as it is saved.
        return {"instance": copy.copy(programme)}

    def check_state(self, user, programme):
        if programme.is_frozen:
            return Refusal.not_now(
                _("The programme is adopted. Start a new version to change it."),
                code="frozen",
            )
        return None

    def execute(self, user, programme, form) -> str:
        from . import services

        services.programme_update(actor=user, programme=programme, **form.service_data())
        return _("The programme's text is saved.")


class HearingForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Residents can comment until"),
        widget=DateInput,
        help_text=gettext_lazy(
            "At least a week from today. Comments are open to the end of the day."
        ),
    )


class StatusAction(ProgrammeAction):
    """A row of the workflow table, with the table's own refusal."""

    def check_state(self, user, programme):
        return PROGRAMME_STATUS.status_refusal(
            programme, self.name, not_now=True
        ) or PROGRAMME_STATUS.role_refusal(programme, self.name, user)


class PutOnHearing(StatusAction):
    name, form_class = "hearing", HearingForm
    label = gettext_lazy("Put out for comments")
    submit_label = gettext_lazy("Put out for comments")
    intro = gettext_lazy(
        "Residents can read the draft on the public pages and comment on each section and "
        "measure until the date you choose."
    )

    def execute(self, user, programme, form) -> str:
        from . import services

        services.programme_put_on_hearing(
            actor=user, programme=programme, until=form.cleaned_data["until"]
        )
        return _("The draft is out for comments until %(date)s.") % {
            "date": date_format(form.cleaned_data["until"])
        }


class SendForReview(StatusAction):
    name = "review"
    label = gettext_lazy("Send for consideration")
    intro = gettext_lazy(
        "The programme goes to the local programme committee. It can still be changed until it "
        "is adopted."
    )

    def execute(self, user, programme, form) -> str:
        from . import services

        services.programme_send_for_review(actor=user, programme=programme)
        return _("The programme is sent for consideration.")


class ToDraft(StatusAction):
    name, secondary = "to_draft", True
    label = gettext_lazy("Take back to draft")

    def execute(self, user, programme, form) -> str:
        from . import services

        services.programme_to_draft(actor=user, programme=programme)
        return _("The programme is a draft again.")


class LeaderAction(StatusAction):
    """Adopting and publishing: the district's programme leader only."""

    def check(self, user, programme):
        if not permissions.can_adopt(user, programme):
            return Refusal(_("Only the district's programme leader can do this."))
        return self.check_state(user, programme)


class Adopt(LeaderAction):
    name = "adopt"
    label = gettext_lazy("Adopt the programme")
    submit_label = gettext_lazy("Adopt")
    intro = gettext_lazy(
        "Adopting freezes this version as it stands and makes its PDF. A later change needs a "
        "new version."
    )

    def execute(self, user, programme, form) -> str:
        from . import services

        services.programme_adopt(actor=user, programme=programme)
        return _("The programme is adopted. Its PDF is being made.")


class Publish(LeaderAction):
    name = "publish"
    label = gettext_lazy("Publish the programme")
    submit_label = gettext_lazy("Publish")
    intro = gettext_lazy("The adopted version is shown on the public pages with its PDF.")

    def execute(self, user, programme, form) -> str:
        from . import services

        services.programme_publish(actor=user, programme=programme)
        return _("The programme is published.")


class Revise(StatusAction):
    name, secondary = "revise", True
    label = gettext_lazy("Start a new version")
    intro = gettext_lazy(
        "The adopted version stays as it is; the new version starts as a draft with the same "
        "content."
    )

    def execute(self, user, programme, form) -> str:
        from . import services

        programme = services.programme_revise(actor=user, programme=programme)
        return _("Version %(number)s is started as a draft.") % {"number": programme.version}


EDIT = Edit()
PROGRAMME_ACTIONS = ActionSet(
    [PutOnHearing(), SendForReview(), Adopt(), Publish(), ToDraft(), Revise()]
)
