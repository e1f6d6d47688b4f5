"""The portal served by gunicorn on loopback, as in production, for the benchmarks.

``with serve(database_url, redis_url) as server:`` collects the static files (WhiteNoise's
compressed, hashed names, as production serves them), starts gunicorn with
``benchmarks.settings`` on a free port, waits until ``/healthz`` answers and stops it on leaving.
``server.url`` is its base address; ``server.worker_rss_mb()`` the resident memory of each worker.
"""

import contextlib
import os
import signal
import socket
import subprocess  # nosec B404 - starts this interpreter's gunicorn and manage.py, no shell
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = ROOT / "staticfiles-bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str, redis_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": str(ROOT),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(  # nosec B603 - this interpreter, a fixed argument list
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def migrate(env: dict[str, str]) -> None:
    """Bring a database seeded by an earlier version of the portal up to its migrations."""
    subprocess.run(  # nosec B603 - this interpreter, a fixed argument list
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextlib.contextmanager
def serve(
    database_url: str,
    redis_url: str = "",
    workers: int = 2,
    threads: int = 1,
    connections: int | None = None,
):
    """Gunicorn on a free loopback port. Given ``connections`` (the most the client holds
    open at once), each worker takes no more than its share of them, as a load balancer in
    front of the workers would spread them: otherwise one worker may accept every
    keep-alive connection of a burst and serve them all while the other idles, which halves
    any page's requests per second at random."""
    env = environment(database_url, redis_url)
    share = (
        []
        if connections is None
        else [f"--worker-connections={-(-connections // workers) + threads}"]
    )
    migrate(env)
    collect_static(env)
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # nosec B603 - the venv's gunicorn, a fixed argument list
        [
            str(gunicorn),
            "omradelos.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--timeout=120",
            "--log-level=warning",
            *share,
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # nosec B310 - loopback
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield Server(url=url, process=process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
