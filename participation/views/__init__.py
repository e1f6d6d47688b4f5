"""HTTP for participation: ``public`` (events, registration, input, what became of it) and
``staff`` (events, attendance, input follow-up, exports)."""
