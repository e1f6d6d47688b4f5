"""A task runs on a real Celery worker process, through Redis, against the test database."""

import pytest
from django.conf import settings
from django.db import connection

from omradelos.tasks import probe

pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]


def test_probe_task_runs_on_real_worker_through_redis(worker):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CELERY_TASK_ALWAYS_EAGER is False

    result = probe.apply_async(queue=worker).get(timeout=60)

    assert result["database"] == "ok"
    # The worker reached the very database this test runs in, not the development one.
    assert result["database_name"] == connection.settings_dict["NAME"]
