"""The Celery application. Broker and backend come from settings (REDIS_URL or in-process)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omradelos.settings.base")

app = Celery("omradelos")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
