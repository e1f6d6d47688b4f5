"""Tasks that belong to the portal as a whole."""

import socket

from celery import shared_task
from django.db import connection

from .health import check_database


@shared_task(name="omradelos.probe")
def probe() -> dict:
    """Report which database a worker reaches; operators and tests use it to check a worker."""
    return {
        "worker": socket.gethostname(),
        "database": check_database()["status"],
        "database_name": connection.settings_dict["NAME"],
    }
