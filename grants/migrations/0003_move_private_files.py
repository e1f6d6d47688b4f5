"""Move decision letters and attachments out of the public media root into private storage.

Before, they were stored beside public files under guessable names (``grants/vedtak/…``); every
file a row still finds in public media is copied to private storage under a random name, the row
is pointed at it, and the public copy is deleted once the new names are committed. Rows whose
file is already private, or missing, are left as they are; files under ``grants/`` that no row
refers to are moved to ``legacy/`` in private storage. Run again, it finds nothing to do.
"""

from django.db import migrations, transaction

FIELDS = (("Attachment", "file", "attachments"), ("Decision", "letter", "letters"))


def move_to_private_storage(apps, schema_editor):
    from django.core.files.storage import storages

    from core.storages import RandomName, private_storage

    public, private = storages["default"], private_storage()
    moved = []
    for model_name, field, prefix in FIELDS:
        model = apps.get_model("grants", model_name)
        rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
        for pk, name in rows.iterator():
            if not public.exists(name):
                continue
            with public.open(name, "rb") as handle:
                new_name = private.save(RandomName(prefix, keep_extension=True)(None, name), handle)
            model.objects.filter(pk=pk).update(**{field: new_name})
            moved.append(name)
    # Files no row refers to any more (a database reset, say) were case documents all the
    # same: kept, under their old path, but in private storage.
    for name in _files_under(public, "grants"):
        if name not in moved:
            with public.open(name, "rb") as handle:
                private.save(f"legacy/{name}", handle)
            moved.append(name)
    transaction.on_commit(lambda: [public.delete(name) for name in moved])


def _files_under(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0002_private_files_storage"),
    ]

    operations = [
        migrations.RunPython(move_to_private_storage, migrations.RunPython.noop, elidable=True),
    ]
