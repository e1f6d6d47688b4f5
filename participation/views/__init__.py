"""HTTP for participation. Public: ``public`` (events, registering, calendars),
``public_registrations`` (status, confirm, cancel, my registrations), ``public_inputs`` (giving
input, what became of it). Staff: ``staff_events``, ``staff_inputs``, ``staff_exports``."""
