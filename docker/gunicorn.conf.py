"""Gunicorn settings for the container image; each value can be overridden from the environment.

Threads suit the portal's mix of short database-bound requests and the odd slow WeasyPrint PDF:
a blocked thread does not hold a whole process. Logs go to stdout/stderr for the container runtime.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", "3")))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# PDF rendering can take a while; anything slower than this is a bug, not a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak (fonts, PDF buffers) cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# The heartbeat file on tmpfs: a container's overlay filesystem can stall workers.
worker_tmp_dir = "/dev/shm"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
