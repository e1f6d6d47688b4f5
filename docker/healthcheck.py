"""Container health checks, standard library only (the slim image has no curl).

    python docker/healthcheck.py          GET /healthz on the local gunicorn; healthy on HTTP 200
    python docker/healthcheck.py broker   PING the broker at REDIS_URL (for celery beat)

Django answers 400 to a Host header outside ALLOWED_HOSTS, so the web check sends the first
host of DJANGO_ALLOWED_HOSTS (``.example.org`` becomes ``example.org``; ``*`` becomes
``localhost``). ``X-Forwarded-Proto: https`` keeps SECURE_SSL_REDIRECT out of the way.
"""

import os
import sys
import urllib.error
import urllib.request


def _host() -> str:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts or hosts[0] == "*":
        return "localhost"
    return hosts[0].lstrip(".")


def check_web() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    request = urllib.request.Request(url, headers={"Host": _host(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            body = response.read(2000).decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:  # 503 carries the JSON saying which check failed
        body = exc.read(2000).decode("utf-8", "replace")
        status = exc.code
    except OSError as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    print(body)
    return 0 if status == 200 else 1


def check_broker() -> int:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        print("unhealthy: REDIS_URL is not set", file=sys.stderr)
        return 1
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        print(f"unhealthy: broker: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    print("broker ok")
    return 0


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "web"
    sys.exit(check_broker() if mode == "broker" else check_web())
