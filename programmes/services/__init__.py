"""Every write to a handlingsprogram. Each service checks with the action object the page
shows (``programmes.actions``), writes in one transaction and records a ``ProgrammeChange``."""

from .comments import comment_submit, comment_take_in
from .editing import (
    goal_save,
    measure_add,
    measure_comment,
    measure_move,
    measure_remove,
    programme_create,
    programme_update,
)
from .lifecycle import (
    programme_adopt,
    programme_publish,
    programme_put_on_hearing,
    programme_revise,
    programme_send_for_review,
    programme_to_draft,
)
from .rendering import rendering_claim, rendering_request, rendering_retry, rendering_run

__all__ = [
    "comment_submit",
    "comment_take_in",
    "goal_save",
    "measure_add",
    "measure_comment",
    "measure_move",
    "measure_remove",
    "programme_adopt",
    "programme_create",
    "programme_publish",
    "programme_put_on_hearing",
    "programme_revise",
    "programme_send_for_review",
    "programme_to_draft",
    "programme_update",
    "rendering_claim",
    "rendering_request",
    "rendering_retry",
    "rendering_run",
]
