"""Deployment artefacts: the compose file against its specification, the production settings'
guards and the image's gunicorn and health checks, each run as an operator would run them.

The stack itself, service by service with its own commands and health checks, is brought up in
``test_compose_stack``. Settings are read once per process, so they are exercised in
subprocesses.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import APP, GUNICORN, free_port, gunicorn

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
BIN = Path(sys.executable).parent


def production_env(**extra: str) -> dict[str, str]:
    """A clean copy of the environment: no DJANGO_* leaking in from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "omradelos.settings.production"
    env.update(extra)
    return env


def random_secret_key() -> str:
    key = secrets.token_urlsafe(48)
    assert len(key) == 64
    return key


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


# --- docker-compose.yml ---------------------------------------------------------------------------


def test_compose_file_matches_the_compose_specification():
    executable = BIN / "check-jsonschema"
    assert executable.exists(), f"check-jsonschema not installed next to {sys.executable}"
    result = subprocess.run(
        [str(executable), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Production settings --------------------------------------------------------------------------


def test_production_deploy_check_is_silent():
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(), DJANGO_ALLOWED_HOSTS="omradeloft.example.org"
    )
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_production_refuses_debug():
    env = production_env(DJANGO_SECRET_KEY=random_secret_key(), DJANGO_DEBUG="true")
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


@pytest.mark.parametrize("key", [None, "too-short", "dev-only-" + "x" * 60])
def test_production_refuses_a_missing_or_weak_secret_key(key):
    env = production_env() if key is None else production_env(DJANGO_SECRET_KEY=key)
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# --- The image's gunicorn configuration and health check, run locally -----------------------------


def test_gunicorn_config_and_healthcheck_script(tmp_path):
    """gunicorn with docker/gunicorn.conf.py answers the container health check with 200."""
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS=".example.org",
        SQLITE_PATH=str(tmp_path / "health.sqlite3"),
        GUNICORN_THREADS="2",
    )
    checked = run([*GUNICORN, "--check-config", APP], env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    with gunicorn(env, tmp_path) as port:
        result = run([sys.executable, "docker/healthcheck.py"], {**env, "PORT": str(port)})
        assert result.returncode == 0, result.stdout + result.stderr
        assert '"status": "ok"' in result.stdout


def test_broker_healthcheck_fails_without_a_reachable_broker():
    env = production_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    result = run([sys.executable, "docker/healthcheck.py", "broker"], env, timeout=30)
    assert result.returncode == 1
    assert "unhealthy" in result.stderr
