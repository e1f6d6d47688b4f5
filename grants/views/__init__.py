"""HTTP for grants, one module per room: ``rounds`` (public), ``organisations``,
``application_steps`` (the draft) and ``applicant`` (the case after it) for applicants;
``staff`` (queue, rounds) and ``staff_case`` (the case page and its actions, which are in
``grants.actions``) for district staff.
Helpers shared between them are in ``_common``."""
