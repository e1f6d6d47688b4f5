"""Every write to participation: events, registrations, attendance and input."""

from .events import (  # noqa: F401
    EVENT_FIELDS,
    attendance_record,
    event_cancel,
    event_create,
    event_publish,
    event_update,
    registration_check_in,
)
from .inputs import (  # noqa: F401
    input_follow_up,
    input_link_project,
    input_moderate,
    input_register,
    input_submit,
)
from .registrations import (  # noqa: F401
    by_confirm_token,
    by_token,
    promote_waitlist,
    registration_cancel,
    registration_confirm,
    registration_create,
    reminders_send,
    seats_taken,
)
