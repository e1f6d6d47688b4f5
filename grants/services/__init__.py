"""Every write to grant cases. Each records a CaseEvent in the same transaction."""

from .appeals import (  # noqa: F401
    appeal_change_decision,
    appeal_forward,
    appeal_prepare,
    appeal_record_outcome,
    appeal_submit,
)
from .applications import (  # noqa: F401
    applicant_message,
    application_change_organisation,
    application_save_budget,
    application_save_measure,
    application_start,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_remove,
)
from .cases import (  # noqa: F401
    assessment_save,
    case_release,
    case_take,
    decision_make,
    decision_propose,
    impartiality_declare,
    info_request,
    proposal_return,
    staff_message,
)
from .follow_up import (  # noqa: F401
    decision_letter_render,
    grant_accept,
    payment_register,
    report_review,
    report_submit,
)
from .organisations import (  # noqa: F401
    invitation_accept,
    invitation_create,
    organisation_register,
)
from .reminders import reminders_send  # noqa: F401
from .rounds import round_save  # noqa: F401
