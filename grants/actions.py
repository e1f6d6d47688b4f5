"""Everything a person can do to a grant case, one object per action.

Each action holds its name, labels, form, ``check(user, application)`` — ``None`` when allowed,
otherwise a ``Refusal`` saying why — and ``execute`` calling its one service. The staff case page
lists the actions whose check passes and posts every one of them to the same view; the
applicant's page offers theirs the same way; and every service refuses with the same check
(``core.actions.require(Action, actor, application)``) before it writes anything.

A refusal for the user's role is ``forbidden`` (a 403); one for the case's state (a step comes
first, the case moved on) is ``Refusal.not_now`` and is shown on the form.
"""

from importlib import import_module

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, ActionSet, Refusal

from . import permissions, selectors, workflow
from .models import Appeal, Assessment, Decision, FinalReport, GrantApplication

S = GrantApplication.Status
NOT_IMPARTIAL = "not_impartial"
FOUR_EYES = "four_eyes"


class _Form:
    """A form class of ``grants.forms.<module>``, imported when first used: the form modules
    import the services, which import these actions."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __get__(self, obj, owner):
        return getattr(import_module(f"grants.forms.{self.module}"), self.name)


def _assessment(application: GrantApplication) -> Assessment | None:
    try:
        return application.assessment
    except Assessment.DoesNotExist:
        return None


def _report(application: GrantApplication) -> FinalReport | None:
    try:
        return application.final_report
    except FinalReport.DoesNotExist:
        return None


def _appeal_in(application: GrantApplication, status: str) -> Appeal | None:
    """The open appeal waiting in ``status``, from the prefetched appeals when there are."""
    return next((a for a in application.appeals.all() if a.status == status), None)


def _impartial_refusal(user, application) -> Refusal | None:
    if permissions.is_impartial(user, application):
        return None
    return Refusal.not_now(
        _("Declare that you are impartial in this case before you go on."), code=NOT_IMPARTIAL
    )


# --- The district's actions ---------------------------------------------------------------------


class CaseAction(Action):
    """An action on the staff case page. ``path`` is its URL under the case."""

    path = ""
    form_class = _Form("staff", "EmptyForm")

    def handler_refusal(self, user, application) -> Refusal | None:
        if permissions.can_handle(user, application):
            return None
        return Refusal(_("Only the district's case handlers and programme leaders can do this."))

    def decider_refusal(self, user, application) -> Refusal | None:
        if permissions.has_decider_role(user, application):
            return None
        return Refusal(_("Only the district's programme leader can do this."))


class Take(CaseAction):
    name, path = "take", "ta/"
    label = submit_label = gettext_lazy("Take the case")

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if application.status not in workflow.TAKEABLE:
            return Refusal.not_now(_("Only cases under assessment can be taken."))
        if application.assigned_to_id == user.pk:
            return Refusal.not_now(_("The case is already yours."))
        declaration = permissions.latest_declaration(user, application)
        if declaration is not None and not declaration.impartial:
            return Refusal.not_now(
                _("You have declared that you are not impartial in this case."),
                code=NOT_IMPARTIAL,
            )
        if application.status == S.SUBMITTED:
            return workflow.status_refusal(application, "take")
        return None

    def get_intro(self, user, application):
        if application.assigned_to_id:
            return _("The case is assigned to %(name)s. You can take it over.") % {
                "name": application.assigned_to
            }
        return _("Nobody handles this case yet.")

    def execute(self, user, application, form):
        from . import services

        services.case_take(actor=user, application=application)
        return _("You have taken the case.")


class Impartiality(CaseAction):
    name, path = "impartiality", "habilitet/"
    label = gettext_lazy("Declare impartiality")
    submit_label = gettext_lazy("Save the declaration")
    form_class = _Form("staff", "ImpartialityForm")

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if application.status not in workflow.OPEN_CASE:
            return Refusal.not_now(_("Impartiality is declared while the case is being handled."))
        if permissions.latest_declaration(user, application) is not None:
            return Refusal.not_now(_("You have already declared whether you are impartial."))
        mine = application.assigned_to_id == user.pk
        deciding = application.status == S.PROPOSED and permissions.has_decider_role(
            user, application
        )
        if not (mine or deciding):
            return Refusal.not_now(_("Take the case before you declare impartiality in it."))
        return None

    def get_intro(self, user, application):
        if application.status == S.PROPOSED and application.assigned_to_id != user.pk:
            return _("Before you decide the case, declare whether you are impartial in it.")
        return _(
            "Before you assess the case, declare whether you are impartial in it. If you are "
            "not, you are taken off the case."
        )

    def execute(self, user, application, form):
        from . import services

        was_mine = application.assigned_to_id == user.pk
        impartial = form.cleaned_data["impartial"]
        services.impartiality_declare(
            actor=user, application=application, impartial=impartial, note=form.cleaned_data["note"]
        )
        if impartial:
            return _("You have declared that you are impartial in this case.")
        if was_mine:
            return _(
                "You have declared that you are not impartial, so you have been taken off the "
                "case. It is back in the queue for a colleague."
            )
        return _("You have declared that you are not impartial, so you cannot work on this case.")


class Assess(CaseAction):
    name, path = "assess", "vurdering/"
    label = gettext_lazy("Assessment")
    submit_label = gettext_lazy("Save the assessment")
    intro = gettext_lazy(
        "Score each of the round's criteria from 1 to 5 and give your recommendation. You can "
        "save and come back."
    )
    form_class = _Form("staff", "AssessmentForm")

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if application.status not in workflow.IN_ASSESSMENT:
            return Refusal.not_now(_("The case cannot be assessed in its current status."))
        if application.assigned_to_id != user.pk:
            return Refusal.not_now(_("Take the case before you assess it."))
        return _impartial_refusal(user, application)

    def form_kwargs(self, user, application):
        criteria = application.round.criteria_list
        initial = self.form_class.initial_from(_assessment(application), criteria)
        return {"criteria": criteria, "initial": initial}

    def execute(self, user, application, form):
        from . import services

        services.assessment_save(actor=user, application=application, **form.service_data())
        return _("The assessment is saved.")


class Propose(CaseAction):
    name, path = "propose", "innstill/"
    label = gettext_lazy("Propose a decision")
    submit_label = gettext_lazy("Propose the decision")
    intro = gettext_lazy("Send your assessment to the programme leader as the proposed decision.")

    def check(self, user, application):
        if not permissions.can_assess(user, application):
            return Refusal(_("Only the case handler who has the case can propose a decision."))
        if refusal := workflow.status_refusal(application, "propose"):
            return refusal
        if _assessment(application) is None:
            return Refusal.not_now(_("Save an assessment before you propose a decision."))
        return None

    def execute(self, user, application, form):
        from . import services

        services.decision_propose(actor=user, application=application)
        return _("The decision is proposed to the programme leader.")


class InfoRequest(CaseAction):
    name, path = "info_request", "foresporsel/"
    label = gettext_lazy("Request more information")
    submit_label = gettext_lazy("Send the request")
    intro = gettext_lazy("The case waits until the applicant answers.")
    form_class = _Form("staff", "InfoRequestForm")
    secondary = True

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        return _impartial_refusal(user, application) or workflow.status_refusal(
            application, "request_info"
        )

    def execute(self, user, application, form):
        from . import services

        services.info_request(actor=user, application=application, **form.cleaned_data)
        return _("The request is sent and the applicant is emailed. The case waits for the reply.")


class Decide(CaseAction):
    name, path = "decide", "vedtak/"
    label = gettext_lazy("Decide the case")
    submit_label = gettext_lazy("Make the decision")
    intro = gettext_lazy(
        "Filled in from the case handler's assessment. Reasons are required unless you approve "
        "in full; the amount is only for a grant in part."
    )
    form_class = _Form("staff", "DecisionForm")

    def check(self, user, application):
        if refusal := self.decider_refusal(user, application):
            return refusal
        if application.status != S.PROPOSED:
            return Refusal.not_now(_("A decision can only be made on a proposed case."))
        if not permissions.may_decide_here(user, application):
            return Refusal.not_now(
                _("Four eyes: you assessed this case, so another programme leader must decide it."),
                code=FOUR_EYES,
                explain=True,
            )
        return _impartial_refusal(user, application)

    def form_kwargs(self, user, application):
        return {"initial": self.form_class.initial_from(_assessment(application))}

    def execute(self, user, application, form):
        from . import services

        services.decision_make(actor=user, application=application, **form.cleaned_data)
        return _("The decision is made. The decision letter is being prepared and sent.")


class ReturnProposal(CaseAction):
    name, path = "return_proposal", "innstilling/retur/"
    label = gettext_lazy("Return the proposal to the case handler")
    submit_label = gettext_lazy("Return the proposal")
    intro = gettext_lazy(
        "If the assessment needs more work before you decide, send it back with a comment. The "
        "case is assessed again."
    )
    form_class = _Form("staff", "ReturnProposalForm")
    secondary = True

    def check(self, user, application):
        if refusal := self.decider_refusal(user, application):
            return refusal
        return workflow.status_refusal(application, "return_to_review")

    def execute(self, user, application, form):
        from . import services

        services.proposal_return(actor=user, application=application, **form.cleaned_data)
        return _("The proposal is returned to the case handler.")


class Payment(CaseAction):
    name, path = "payment", "utbetaling/"
    label = gettext_lazy("Register a payment")
    submit_label = gettext_lazy("Register the payment")
    form_class = _Form("staff", "PaymentForm")

    @staticmethod
    def figures(application) -> tuple[int, int, int]:
        """Granted, paid and left to pay, from the prefetched payments when there are."""
        decision = selectors.current_decision(application)
        granted = decision.amount if decision and decision.is_grant else 0
        paid = sum(p.amount for p in application.payments.all())
        return granted, paid, max(granted - paid, 0)

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if application.status not in workflow.PAYABLE:
            return Refusal.not_now(_("Payments are registered once the grant has been accepted."))
        if self.figures(application)[2] == 0:
            return Refusal.not_now(_("The grant is paid out in full."))
        return None

    def get_intro(self, user, application):
        granted, paid, left = self.figures(application)
        return _("Granted %(granted)s kr, paid %(paid)s kr, %(left)s kr left.") % {
            "granted": intcomma(granted),
            "paid": intcomma(paid),
            "left": intcomma(left),
        }

    def execute(self, user, application, form):
        from . import services

        services.payment_register(actor=user, application=application, **form.cleaned_data)
        return _("The payment is registered.")


class ReportReview(CaseAction):
    name, path = "report_review", "sluttrapport/"
    label = gettext_lazy("Review the final report")
    submit_label = gettext_lazy("Save the review")
    intro = gettext_lazy("Approving the final report closes the case.")
    form_class = _Form("staff", "ReportReviewForm")

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if refusal := workflow.status_refusal(application, "close"):
            return refusal
        if _report(application) is None:
            return Refusal.not_now(_("There is no final report to review."))
        return None

    def execute(self, user, application, form):
        from . import services

        approve = form.cleaned_data["approve"]
        services.report_review(
            actor=user, application=application, approve=approve, note=form.cleaned_data["note"]
        )
        if approve:
            return _("The final report is approved and the case is closed.")
        return _("The final report is returned to the applicant with your comment.")


class AppealPrepare(CaseAction):
    name, path = "appeal_prepare", "klage/forbered/"
    label = gettext_lazy("Prepare the appeal")
    submit_label = gettext_lazy("Save the preparation")
    intro = gettext_lazy(
        "Assess the appeal and recommend what the programme leader should do. Only the district "
        "sees this; the programme leader decides."
    )
    form_class = _Form("staff", "AppealPrepareForm")

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if _appeal_in(application, Appeal.Status.RECEIVED) is None:
            return Refusal.not_now(_("There is no appeal waiting for this step."))
        return None

    def form_kwargs(self, user, application):
        appeal = _appeal_in(application, Appeal.Status.RECEIVED)
        if appeal is None or not appeal.prepared_at:
            return {}
        return {
            "initial": {"assessment": appeal.handler_assessment, "advice": appeal.handler_advice}
        }

    def execute(self, user, application, form):
        from . import services

        services.appeal_prepare(actor=user, application=application, **form.cleaned_data)
        return _("Your preparation of the appeal is saved for the programme leader.")


def _prepared_assessment(application) -> dict:
    """The case handler's assessment of the appeal, to start the programme leader's text."""
    appeal = _appeal_in(application, Appeal.Status.RECEIVED)
    if appeal is None or not appeal.handler_assessment:
        return {}
    return {"assessment": appeal.handler_assessment}


class AppealChange(CaseAction):
    name, path = "appeal_change", "klage/omgjor/"
    label = gettext_lazy("Change the decision after the appeal")
    submit_label = gettext_lazy("Make the new decision")
    intro = gettext_lazy(
        "If the district agrees with the appeal, make a new decision. It replaces the one "
        "appealed and a new letter is sent."
    )
    form_class = _Form("staff", "AppealChangeForm")

    def check(self, user, application):
        if refusal := self.decider_refusal(user, application):
            return refusal
        if _appeal_in(application, Appeal.Status.RECEIVED) is None:
            return Refusal.not_now(_("There is no appeal waiting for this step."))
        return workflow.status_refusal(application, "appeal_change")

    def form_kwargs(self, user, application):
        return {"initial": _prepared_assessment(application)}

    def execute(self, user, application, form):
        from . import services

        services.appeal_change_decision(actor=user, application=application, **form.cleaned_data)
        return _("The decision is changed. The new decision letter is being prepared and sent.")


class AppealForward(CaseAction):
    name, path = "appeal_forward", "klage/oversend/"
    label = submit_label = gettext_lazy("Forward the appeal")
    form_class = _Form("staff", "AppealForwardForm")
    secondary = True

    def check(self, user, application):
        if refusal := self.decider_refusal(user, application):
            return refusal
        if _appeal_in(application, Appeal.Status.RECEIVED) is None:
            return Refusal.not_now(_("There is no appeal waiting for this step."))
        return None

    def get_intro(self, user, application):
        return _(
            "If the district keeps its decision, forward the appeal to %(body)s with the "
            "district's assessment."
        ) % {"body": application.round.appeal_body}

    def form_kwargs(self, user, application):
        return {"initial": _prepared_assessment(application)}

    def execute(self, user, application, form):
        from . import services

        services.appeal_forward(actor=user, application=application, **form.cleaned_data)
        return _("The appeal is forwarded to the appeal body.")


class AppealOutcome(CaseAction):
    name, path = "appeal_outcome", "klage/utfall/"
    label = gettext_lazy("The appeal body's outcome")
    submit_label = gettext_lazy("Record the outcome")
    intro = gettext_lazy(
        "If the appeal body allows the appeal, its decision is recorded as a new decision."
    )
    form_class = _Form("staff", "AppealOutcomeForm")

    def check(self, user, application):
        if refusal := self.decider_refusal(user, application):
            return refusal
        if _appeal_in(application, Appeal.Status.FORWARDED) is None:
            return Refusal.not_now(_("There is no appeal waiting for this step."))
        return None

    def execute(self, user, application, form):
        from . import services

        services.appeal_record_outcome(actor=user, application=application, **form.cleaned_data)
        return _("The appeal body's outcome is recorded.")


class StaffMessage(CaseAction):
    name, path = "message", "melding/"
    label = gettext_lazy("Message the applicant")
    submit_label = gettext_lazy("Send the message")
    form_class = _Form("staff", "MessageForm")
    secondary = True

    def check(self, user, application):
        return self.handler_refusal(user, application)

    def execute(self, user, application, form):
        from . import services

        services.staff_message(actor=user, application=application, **form.cleaned_data)
        return _("The message is sent and the applicant is emailed.")


class Release(CaseAction):
    name, path = "release", "frigi/"
    label = submit_label = gettext_lazy("Release the case")
    intro = gettext_lazy("Give the case back to the queue so that a colleague can take it.")
    secondary = True

    def check(self, user, application):
        if refusal := self.handler_refusal(user, application):
            return refusal
        if application.assigned_to_id is None:
            return Refusal.not_now(_("The case has no case handler."))
        if application.status not in workflow.IN_ASSESSMENT:
            return Refusal.not_now(_("Only a case under assessment can be released."))
        return None

    def execute(self, user, application, form):
        from . import services

        services.case_release(actor=user, application=application)
        return _("The case is released and back in the queue.")


# The staff case page's actions, in the order the page shows them.
CASE_ACTIONS = ActionSet(
    [
        Take(),
        Impartiality(),
        Assess(),
        Propose(),
        InfoRequest(),
        Decide(),
        ReturnProposal(),
        Payment(),
        ReportReview(),
        AppealPrepare(),
        AppealChange(),
        AppealForward(),
        AppealOutcome(),
        StaffMessage(),
        Release(),
    ]
)


# --- The applicant's actions --------------------------------------------------------------------


class ApplicantAction(Action):
    """An action of someone acting for the applicant organisation, on its own page. Its form
    has no prefix: each has a page (or, for messages, a form) of its own."""

    def member_refusal(self, user, application) -> Refusal | None:
        if permissions.is_member(user, application):
            return None
        return Refusal(_("Only members of the applicant organisation can do this."))

    def get_form(self, user, obj, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs(user, obj))


class Submit(ApplicantAction):
    name = "submit"
    label = submit_label = gettext_lazy("Submit the application")

    def check(self, user, application):
        if refusal := self.member_refusal(user, application):
            return refusal
        if application.status != S.DRAFT:
            return Refusal.not_now(
                _("The application has been submitted and can no longer be changed.")
            )
        return None

    def execute(self, user, application, form):  # the summary step submits; see its view
        from . import services

        services.application_submit(actor=user, application=application)
        return _("The application is submitted.")


class Withdraw(ApplicantAction):
    name = "withdraw"
    label = submit_label = gettext_lazy("Withdraw the application")
    form_class = _Form("applicant", "WithdrawForm")

    def check(self, user, application):
        if refusal := self.member_refusal(user, application):
            return refusal
        if application.status not in workflow.WITHDRAWABLE:
            return Refusal.not_now(_("An application can only be withdrawn before the decision."))
        return None

    def execute(self, user, application, form):
        from . import services

        services.application_withdraw(
            actor=user, application=application, reason=form.cleaned_data["reason"]
        )
        return _("The application is withdrawn.")


class Accept(ApplicantAction):
    name = "accept"
    label = submit_label = gettext_lazy("Accept the grant")
    form_class = _Form("applicant", "AcceptForm")

    def check(self, user, application):
        if refusal := self.member_refusal(user, application):
            return refusal
        if refusal := workflow.status_refusal(application, "accept"):
            return refusal
        decision = selectors.current_decision(application)
        if decision is None or decision.letter_status != Decision.LetterStatus.READY:
            return Refusal.not_now(
                _("The decision letter is not ready yet. Try again in a moment.")
            )
        if application.accept_by and timezone.localdate() > application.accept_by:
            return Refusal.not_now(
                _("The time to accept the grant ran out on %(date)s. Contact the district.")
                % {"date": application.accept_by.strftime("%d.%m.%Y")}
            )
        return None

    def execute(self, user, application, form):
        from . import services

        services.grant_accept(actor=user, application=application)
        return _("Thank you. The grant is accepted. Send the final report by %(date)s.") % {
            "date": application.round.report_deadline.strftime("%d.%m.%Y")
        }


class AppealSubmit(ApplicantAction):
    name = "appeal"
    label = submit_label = gettext_lazy("Send the appeal")
    form_class = _Form("applicant", "AppealForm")

    def check(self, user, application):
        if refusal := self.member_refusal(user, application):
            return refusal
        decision = selectors.current_decision(application)
        if decision is None or decision.notified_at is None:
            return Refusal.not_now(_("There is no decision to appeal yet."))
        if application.status not in workflow.APPEALABLE:
            return Refusal.not_now(_("This decision can no longer be appealed here."))
        appeals = list(application.appeals.all())
        if any(a.is_open for a in appeals):
            return Refusal.not_now(_("Your appeal is already being handled."))
        # Forvaltningsloven § 28: the appeal body's decision cannot be appealed. (A decision the
        # district changed on reconsideration is a new decision, and that can.)
        body_decided = {Appeal.Status.UPHELD, Appeal.Status.ALLOWED, Appeal.Status.DISMISSED}
        if any(a.status in body_decided for a in appeals):
            return Refusal.not_now(
                _("The appeal body has decided this case. Its decision cannot be appealed.")
            )
        return None

    def execute(self, user, application, form):
        from . import services

        appeal = services.appeal_submit(
            actor=user, application=application, text=form.cleaned_data["text"]
        )
        if appeal.is_late:
            return _(
                "Your appeal is received. It came after the deadline and is registered as "
                "late, but the district will still consider it."
            )
        return _("Your appeal is received. The district will consider it first.")


class Report(ApplicantAction):
    name = "report"
    label = submit_label = gettext_lazy("Send the final report")
    form_class = _Form("applicant", "ReportForm")

    def check(self, user, application):
        if refusal := self.member_refusal(user, application):
            return refusal
        if application.status != S.ACCEPTED:
            return Refusal.not_now(_("The final report is sent once the grant is accepted."))
        return None

    def execute(self, user, application, form):  # the report page also takes its file; see it
        from . import services

        services.report_submit(
            actor=user,
            application=application,
            what_was_done=form.cleaned_data["what_was_done"],
            participants=form.cleaned_data["participants"],
            dugnad_hours=form.cleaned_data["dugnad_hours"],
            actuals=form.actuals(),
        )
        return _("The final report is sent. The district will review it.")


class ApplicantMessage(ApplicantAction):
    """A message to the district; it answers an open request for information if there is one."""

    name = "message"
    label = submit_label = gettext_lazy("Send the message")
    form_class = _Form("applicant", "MessageForm")

    def check(self, user, application):
        if refusal := self.member_refusal(user, application):
            return refusal
        if application.status not in workflow.MESSAGEABLE:
            return Refusal.not_now(_("Messages cannot be sent on this application now."))
        return None

    def execute(self, user, application, form):
        from . import services

        services.applicant_message(
            actor=user, application=application, body=form.cleaned_data["body"]
        )
        return _("Your message is sent to the district.")


APPLICANT_ACTIONS = ActionSet(
    [Submit(), Withdraw(), Accept(), AppealSubmit(), Report(), ApplicantMessage()]
)
