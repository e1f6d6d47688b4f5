"""The database table behind the ``ratelimit`` cache: sign-in counters shared by every worker."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # createcachetable creates the table of every DatabaseCache in settings.CACHES, and
    # leaves a table that exists alone.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
