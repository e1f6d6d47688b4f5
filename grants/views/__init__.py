"""HTTP for grants, one module per room: ``rounds`` (public), ``organisations``,
``application_steps`` (the draft) and ``applicant`` (the case after it) for applicants;
``staff`` (queue, rounds) and ``staff_case`` with ``staff_case_actions`` for district staff.
Helpers shared between them are in ``_common``."""
