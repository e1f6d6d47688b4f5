"""The steps of the application form, by key. A key is also the step's address
(``/tilskudd/soknader/<pk>/<key>/``) and names its template (``grants/step_<key>.html``), so the
keys stay Norwegian; the code names them by these constants."""

ORGANISATION = "organisasjon"
MEASURE = "tiltak"
BUDGET = "budsjett"
ATTACHMENTS = "vedlegg"
SUMMARY = "oppsummering"

STEPS = [ORGANISATION, MEASURE, BUDGET, ATTACHMENTS, SUMMARY]
