"""Settings for a worker that a real-services test starts: the deployed settings, with Redis
handing an unacknowledged message back within seconds instead of an hour.

Only the broker's visibility timeout and how often a worker looks for such messages change;
everything else — late acknowledgement, prefetch, the task's options — is as deployed."""

import os

from omradelos.settings.base import *  # noqa: F403
from omradelos.settings.base import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
