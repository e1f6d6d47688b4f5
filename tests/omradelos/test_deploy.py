"""Deployment artefacts: docker-compose.yml, the Dockerfile and the production settings' guards.

Docker itself is not needed: the compose file is validated against the Compose Specification
schema that ships with check-jsonschema, the Dockerfile is read as text, and the production
settings are exercised in subprocesses (settings are read once per process).
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
BIN = Path(sys.executable).parent

DJANGO_SERVICES = ("web", "worker", "beat")
LONG_RUNNING = ("web", "worker", "beat", "postgres", "redis")
TRUTHY = {"1", "true", "yes", "on"}


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


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe").load(COMPOSE_FILE.read_text(encoding="utf-8"))


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


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


def test_compose_has_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_compose_defines_the_five_services(compose):
    assert set(LONG_RUNNING) <= set(compose["services"])


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_long_running_service_has_a_healthcheck(compose, name):
    service = compose["services"][name]
    healthcheck = service.get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
    assert healthcheck.get("test"), f"{name}'s healthcheck has no test"
    assert service.get("restart") not in (None, "no"), f"{name} is not restarted on failure"


def test_only_one_shot_services_go_without_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if (service.get("healthcheck") or {}).get("disable"):
            assert service.get("restart") == "no", f"{name} runs forever without a healthcheck"


@pytest.mark.parametrize("name", DJANGO_SERVICES)
def test_django_services_get_database_and_redis(compose, name):
    env = environment(compose["services"][name])
    assert env.get("DATABASE_URL", "").startswith("postgres")
    assert env.get("REDIS_URL", "").startswith("redis://")
    assert env.get("DJANGO_SETTINGS_MODULE") == "omradelos.settings.production"


@pytest.mark.parametrize("name", DJANGO_SERVICES)
def test_django_services_wait_for_healthy_dependencies_and_migrations(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert compose["services"]["migrate"]["depends_on"]["postgres"]["condition"] == (
        "service_healthy"
    )


def test_no_service_turns_debug_on(compose):
    for name, service in compose["services"].items():
        value = environment(service).get("DJANGO_DEBUG")
        if value is not None:
            assert value.strip().lower() not in TRUTHY, f"{name} sets DJANGO_DEBUG={value}"
            assert "$" not in value, f"{name} lets the host environment decide DJANGO_DEBUG"


def test_secrets_are_required_not_defaulted():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "${DJANGO_SECRET_KEY:?" in text
    assert "${POSTGRES_PASSWORD:?" in text
    assert not re.search(r"\$\{(DJANGO_SECRET_KEY|POSTGRES_PASSWORD):?-", text)


def test_postgres_and_media_use_named_volumes(compose):
    volumes = compose["volumes"]
    assert any(v.startswith("postgres-data:") for v in compose["services"]["postgres"]["volumes"])
    assert "postgres-data" in volumes
    assert "media" in volumes
    for name in ("web", "worker"):
        assert "media:/data/media" in compose["services"][name]["volumes"]
        assert environment(compose["services"][name])["MEDIA_ROOT"] == "/data/media"


# --- Dockerfile -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, args = line.strip().partition(" ")
            instructions.append((keyword.upper(), " ".join(args.split())))
    return instructions


def _args(dockerfile, keyword: str) -> list[str]:
    return [args for kw, args in dockerfile if kw == keyword]


def test_dockerfile_uses_the_slim_python_311_base(dockerfile):
    assert _args(dockerfile, "FROM")[-1].startswith("python:3.11-slim-bookworm")


def test_dockerfile_runs_as_non_root(dockerfile):
    users = _args(dockerfile, "USER")
    assert users, "no USER instruction: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # USER must come after the last RUN so every build step that needs root has already run
    # and nothing the app does at runtime happens as root.
    keywords = [kw for kw, _ in dockerfile]
    assert keywords.index("USER") > max(i for i, kw in enumerate(keywords) if kw == "RUN")


def test_dockerfile_installs_with_hashes(dockerfile):
    runs = " ".join(_args(dockerfile, "RUN"))
    assert "--require-hashes" in runs
    assert "requirements.lock" in runs


def test_dockerfile_has_a_python_healthcheck_on_healthz(dockerfile):
    checks = _args(dockerfile, "HEALTHCHECK")
    assert len(checks) == 1 and "NONE" not in checks[0]
    assert "python" in checks[0]
    script = re.search(r"/app/(docker/\S+\.py)", checks[0])
    target = (ROOT / script.group(1)).read_text(encoding="utf-8") if script else checks[0]
    assert "/healthz" in target


def test_dockerfile_builds_assets_without_baking_a_secret(dockerfile):
    runs = " ".join(_args(dockerfile, "RUN"))
    assert "compilemessages" in runs
    assert "collectstatic --noinput" in runs
    assert "gettext" in runs and "libharfbuzz-subset0" in runs and "libpango" in runs
    for keyword in ("ENV", "ARG"):
        assert not any("DJANGO_SECRET_KEY" in args for args in _args(dockerfile, keyword))


def test_dockerfile_serves_gunicorn_on_8000(dockerfile):
    assert "8000" in _args(dockerfile, "EXPOSE")[-1]
    cmd = _args(dockerfile, "CMD")[-1]
    assert "gunicorn" in cmd and "omradelos.wsgi" in cmd


def test_dockerignore_keeps_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".venv", ".git", ".env", "db.sqlite3", "media", "staticfiles"):
        assert entry in ignored


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_config_and_healthcheck_script(tmp_path):
    """gunicorn with docker/gunicorn.conf.py answers the container health check with 200."""
    port = str(_free_port())
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS=".example.org",
        SQLITE_PATH=str(tmp_path / "health.sqlite3"),
        PORT=port,
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        XDG_RUNTIME_DIR=str(tmp_path),  # gunicorn's control socket
    )
    gunicorn = [str(BIN / "gunicorn"), "--config", "docker/gunicorn.conf.py"]
    checked = run([*gunicorn, "--check-config", "omradelos.wsgi:application"], env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [*gunicorn, "omradelos.wsgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            result = run([sys.executable, "docker/healthcheck.py"], env, timeout=10)
            if result.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.3)
        assert result.returncode == 0, (
            result.stdout + result.stderr + (tmp_path / "gunicorn.log").read_text()
        )
        assert '"status": "ok"' in result.stdout
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_broker_healthcheck_fails_without_a_reachable_broker():
    env = production_env(REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0")
    result = run([sys.executable, "docker/healthcheck.py", "broker"], env, timeout=30)
    assert result.returncode == 1
    assert "unhealthy" in result.stderr
