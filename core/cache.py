"""A Redis cache that fails soft: with Redis away the portal works on, only without its cache.

Nothing in the portal keeps data in the cache alone (sessions are in the database), so an
outage may make pages slower but must never make them fail:

* a read is a miss (``get`` gives the default, ``get_many`` nothing, ``has_key`` False);
* a write is dropped (``set``, ``delete`` …);
* ``add`` answers True, as if it had stored the key, so code that takes a lock through the
  cache goes on instead of waiting for a lock it can never get.

Sign-in rate limits do not live here: their counters are in the ``ratelimit`` cache, a database
table (``accounts/apps.py``), so throttling holds while Redis is away.

After a failure Redis is not asked again for ``RETRY_AFTER`` seconds, so an outage costs one
connection timeout per process and interval, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0


class FailSoftRedisCache(RedisCache):
    _down_until = 0.0

    def _soft(self, name: str, fallback, call):
        now = time.monotonic()
        if now < self._down_until:
            return fallback
        try:
            return call()
        except RedisError as exc:
            self._down_until = now + RETRY_AFTER
            logger.warning(
                "Cache unavailable (%s during %s); working without it for %ss.",
                exc.__class__.__name__,
                name,
                RETRY_AFTER,
            )
            return fallback

    def get(self, key, default=None, version=None):
        parent = super()
        return self._soft("get", default, lambda: parent.get(key, default, version))

    def get_many(self, keys, version=None):
        parent = super()
        return self._soft("get_many", {}, lambda: parent.get_many(keys, version))

    def has_key(self, key, version=None):
        parent = super()
        return self._soft("has_key", False, lambda: parent.has_key(key, version))

    def add(self, key, value, timeout=None, version=None):
        parent = super()
        return self._soft("add", True, lambda: parent.add(key, value, timeout, version))

    def set(self, key, value, timeout=None, version=None):
        parent = super()
        return self._soft("set", None, lambda: parent.set(key, value, timeout, version))

    def set_many(self, data, timeout=None, version=None):
        parent = super()
        return self._soft("set_many", list(data), lambda: parent.set_many(data, timeout, version))

    def touch(self, key, timeout=None, version=None):
        parent = super()
        return self._soft("touch", False, lambda: parent.touch(key, timeout, version))

    def delete(self, key, version=None):
        parent = super()
        return self._soft("delete", False, lambda: parent.delete(key, version))

    def delete_many(self, keys, version=None):
        parent = super()
        return self._soft("delete_many", None, lambda: parent.delete_many(keys, version))

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read does not exist, as Django's incr says of a missing key.
        parent = super()
        result = self._soft("incr", None, lambda: parent.incr(key, delta, version))
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def clear(self):
        parent = super()
        return self._soft("clear", False, lambda: parent.clear())

    def ping(self) -> None:
        """Ask Redis directly, past the soft failure (for /healthz); raises RedisError."""
        self._cache.get_client(write=False).ping()
