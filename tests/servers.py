"""The image's gunicorn, run here under a given environment, for tests that need the deployed
stack rather than the test client (production settings, whitenoise, headers as served)."""

import http.client
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "--config", "docker/gunicorn.conf.py"]
APP = "omradelos.wsgi:application"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], tmp_path: Path, *, timeout: float = 30):
    """Start gunicorn with the image's configuration and ``env`` (``PORT`` is set to a free
    port), wait until a worker answers, and yield the port; the server is stopped, and
    its log shown in the failure, whatever the test does."""
    port = free_port()
    env = {"GUNICORN_WORKERS": "1", "XDG_RUNTIME_DIR": str(tmp_path), **env, "PORT": str(port)}
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*GUNICORN, APP], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:  # any HTTP answer (even a 400 for the host) means a worker serves
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    probe.request("GET", "/healthz")
                    probe.getresponse().read()
                    probe.close()
                    break
                except OSError:
                    running = server.poll() is None
                    assert running and time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.2)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
