"""What each POST on a staff member's case page does: its form, who may try it at all, and the
service call that returns the success message. The views that run them, and their URLs, are in
``staff_case``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from accounts.permissions import AnyUser

from .. import permissions, services
from ..forms.staff import (
    AppealChangeForm,
    AppealForwardForm,
    AppealOutcomeForm,
    AssessmentForm,
    DecisionForm,
    EmptyForm,
    ImpartialityForm,
    InfoRequestForm,
    MessageForm,
    PaymentForm,
    ReportReviewForm,
)
from ..models import GrantApplication


def _take(request, application, form):
    services.case_take(actor=request.user, application=application)
    return _("You have taken the case.")


def _release(request, application, form):
    services.case_release(actor=request.user, application=application)
    return _("The case is released and back in the queue.")


def _impartiality(request, application, form):
    was_mine = application.assigned_to_id == request.user.pk
    impartial = form.cleaned_data["impartial"]
    services.impartiality_declare(
        actor=request.user,
        application=application,
        impartial=impartial,
        note=form.cleaned_data["note"],
    )
    if impartial:
        return _("You have declared that you are impartial in this case.")
    if was_mine:
        return _(
            "You have declared that you are not impartial, so you have been taken off the "
            "case. It is back in the queue for a colleague."
        )
    return _("You have declared that you are not impartial, so you cannot work on this case.")


def _assess(request, application, form):
    services.assessment_save(actor=request.user, application=application, **form.service_data())
    return _("The assessment is saved.")


def _info_request(request, application, form):
    services.info_request(actor=request.user, application=application, **form.cleaned_data)
    return _("The request is sent and the applicant is emailed. The case waits for the reply.")


def _message(request, application, form):
    services.staff_message(actor=request.user, application=application, **form.cleaned_data)
    return _("The message is sent and the applicant is emailed.")


def _propose(request, application, form):
    services.decision_propose(actor=request.user, application=application)
    return _("The decision is proposed to the programme leader.")


def _decide(request, application, form):
    services.decision_make(actor=request.user, application=application, **form.cleaned_data)
    return _("The decision is made. The decision letter is being prepared and sent.")


def _payment(request, application, form):
    services.payment_register(actor=request.user, application=application, **form.cleaned_data)
    return _("The payment is registered.")


def _report_review(request, application, form):
    approve = form.cleaned_data["approve"]
    services.report_review(
        actor=request.user,
        application=application,
        approve=approve,
        note=form.cleaned_data["note"],
    )
    if approve:
        return _("The final report is approved and the case is closed.")
    return _("The final report is returned to the applicant with your comment.")


def _appeal_change(request, application, form):
    services.appeal_change_decision(
        actor=request.user, application=application, **form.cleaned_data
    )
    return _("The decision is changed. The new decision letter is being prepared and sent.")


def _appeal_forward(request, application, form):
    services.appeal_forward(actor=request.user, application=application, **form.cleaned_data)
    return _("The appeal is forwarded to the appeal body.")


def _appeal_outcome(request, application, form):
    services.appeal_record_outcome(actor=request.user, application=application, **form.cleaned_data)
    return _("The appeal body's outcome is recorded.")


@dataclass(frozen=True)
class Action:
    """One POST on the case page: its form, who may try it at all, and the service call that
    returns the success message."""

    form_class: type[forms.Form]
    allowed: Callable[[AnyUser, GrantApplication], bool]
    perform: Callable


ACTIONS: dict[str, Action] = {
    "take": Action(EmptyForm, permissions.can_handle, _take),
    "release": Action(EmptyForm, permissions.can_handle, _release),
    "impartiality": Action(ImpartialityForm, permissions.can_handle, _impartiality),
    "assess": Action(AssessmentForm, permissions.can_handle, _assess),
    "info_request": Action(InfoRequestForm, permissions.can_handle, _info_request),
    "message": Action(MessageForm, permissions.can_handle, _message),
    "propose": Action(EmptyForm, permissions.can_handle, _propose),
    "decide": Action(DecisionForm, permissions.has_decider_role, _decide),
    "payment": Action(PaymentForm, permissions.can_handle, _payment),
    "report_review": Action(ReportReviewForm, permissions.can_handle, _report_review),
    "appeal_change": Action(AppealChangeForm, permissions.has_decider_role, _appeal_change),
    "appeal_forward": Action(AppealForwardForm, permissions.has_decider_role, _appeal_forward),
    "appeal_outcome": Action(AppealOutcomeForm, permissions.has_decider_role, _appeal_outcome),
}
