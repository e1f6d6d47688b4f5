"""Event and input history as a key and codes, translated when shown.

An input's step was stored as ``field`` with ``old`` and ``new`` codes; it becomes the step's key
(the workflow transition it was, or ``received``, ``shown``, ``hidden``) with the codes in
``data``. An event's step kept a sentence (``summary``) in the language of whoever acted; the key
already says what happened, so the sentence goes, and the changed fields of an edit are kept as
a list of changes. A row whose key the portal does not know keeps its sentence in ``data``.
"""

from django.db import migrations, models

FOLLOW_UP_KEYS = {
    "vurderes": "consider",
    "tatt_inn": "take_up",
    "ikke_tatt_inn": "not_take_up",
    "gjennomfort": "done",
}
DECIDED = {"tatt_inn", "ikke_tatt_inn"}
EVENT_KEYS = {
    "created",
    "updated",
    "published",
    "cancelled",
    "attendance",
    "registered",
    "confirmed",
    "promoted",
    "cancelled_registration",
}


def input_change_as_key(field: str, old: str, new: str) -> tuple[str, dict]:
    """The key and data of an input step stored as ``field``, ``old`` → ``new``."""
    if field == "created":
        return "received", {"new": new}
    data = {"old": old, "new": new}
    if field == "moderation":
        return ("hidden" if new == "skjult" else "shown"), data
    if field == "follow_up":
        if new == "vurderes" and old in DECIDED:
            return "reconsider", data
        return FOLLOW_UP_KEYS.get(new, "follow_up"), data
    return field or "unknown", data


def key_as_input_change(action: str, data: dict) -> tuple[str, str, str]:
    """The way back: ``field``, ``old``, ``new`` of a step stored as a key."""
    if action == "received":
        return "created", "", data.get("new", "")
    if action in ("shown", "hidden"):
        return "moderation", data.get("old", ""), data.get("new", "")
    if action == "project_linked":
        return "project", str(data.get("old") or ""), str(data.get("new") or "")
    return "follow_up", data.get("old", ""), data.get("new", "")


def event_change_as_key(action: str, summary: str, data: dict) -> dict:
    """The data of an event step once its sentence is gone."""
    data = dict(data or {})
    if "fields" in data:
        # An edit recorded which fields changed, not from what to what.
        data["changes"] = [{"field": name} for name in data.pop("fields")]
    if action not in EVENT_KEYS and summary:
        data["summary"] = summary
    return data


def forwards(apps, schema_editor):
    InputChange = apps.get_model("participation", "InputChange")
    for row in InputChange.objects.all().iterator():
        row.action, row.data = input_change_as_key(row.field, row.old, row.new)
        row.save(update_fields=["action", "data"])
    EventChange = apps.get_model("participation", "EventChange")
    for row in EventChange.objects.all().iterator():
        row.data = event_change_as_key(row.action, row.summary, row.data)
        row.save(update_fields=["data"])


def backwards(apps, schema_editor):
    InputChange = apps.get_model("participation", "InputChange")
    for row in InputChange.objects.all().iterator():
        row.field, row.old, row.new = key_as_input_change(row.action, row.data or {})
        row.save(update_fields=["field", "old", "new"])
    EventChange = apps.get_model("participation", "EventChange")
    for row in EventChange.objects.all().iterator():
        data = dict(row.data or {})
        if "changes" in data:
            data["fields"] = [c["field"] for c in data.pop("changes")]
        row.summary = data.pop("summary", row.action)[:300]
        row.data = data
        row.save(update_fields=["summary", "data"])


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0004_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="inputchange",
            name="action",
            field=models.CharField(default="", max_length=24),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="inputchange",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="inputchange",
            name="new",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="eventchange",
            name="summary",
            field=models.CharField(blank=True, max_length=300),
        ),
        # The old columns go in the next migration: on PostgreSQL a table whose rows were just
        # updated cannot be altered in the same transaction.
        migrations.RunPython(forwards, backwards),
    ]
