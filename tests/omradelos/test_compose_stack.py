"""The stack as docker-compose.yml describes it, brought up on this machine without Docker.

Docker cannot run here, so the test does what Compose would do: it interpolates the file with
an operator's environment (Compose's own rules: ``${VAR:-default}``, ``${VAR:?message}``,
``$$``), then runs each Django service's command with that service's environment — the
``postgres`` and ``redis`` host names pointed at the real servers on this machine, ``/app`` at
the checkout — in the order ``depends_on`` gives, and runs each service's own health check
until it passes. What an operator would notice — a service that does not start, a health check
that never passes, a forgotten secret that is not refused — fails here.
"""

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# --- Compose's variable interpolation ------------------------------------------------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(ValueError):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Substitute variables as the Compose Specification says: ``${V:-d}`` when V is unset or
    empty, ``${V-d}`` when unset; ``${V:?m}`` / ``${V?m}`` refuse with message m; ``$$`` is a
    literal ``$``."""

    def one(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["plain"]
        value, op, arg = env.get(name), match["op"], match["arg"] or ""
        empty = value is None or (value == "" and op and op.startswith(":"))
        if op in (":-", "-"):
            return arg if empty or value is None else value
        if op in (":?", "?"):
            if empty or value is None:
                raise MissingVariable(f"{name}: {arg}")
            return value
        return value or ""

    return _VARIABLE.sub(one, text)


def load_compose(env: dict[str, str]) -> dict:
    return YAML(typ="safe").load(interpolate((ROOT / "docker-compose.yml").read_text(), env))


def operator_env(**extra) -> dict[str, str]:
    env = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "POSTGRES_PASSWORD": "ikke-i-bruk",
        "DJANGO_ALLOWED_HOSTS": "omradeloft.example.org",
        "SITE_URL": "https://omradeloft.example.org",
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def test_interpolation_follows_the_compose_rules():
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET:-d} ${EMPTY:-d} ${UNSET:-d} ${EMPTY-d} ${UNSET-d}", env) == (
        "x d d  d"
    )
    assert interpolate("$$HOSTNAME ${SET}", env) == "$HOSTNAME x"
    with pytest.raises(MissingVariable, match="EMPTY: needed"):
        interpolate("${EMPTY:?needed}", env)


@pytest.mark.parametrize("forgotten", ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "SITE_URL"])
def test_an_operator_who_forgets_a_secret_is_told_which(forgotten):
    """Compose refuses to start a stack with a required variable unset or empty, naming it."""
    with pytest.raises(MissingVariable, match=forgotten):
        load_compose(operator_env(**{forgotten: ""}))


def test_a_complete_environment_gives_a_valid_stack():
    stack = load_compose(operator_env())
    django = {"migrate", "web", "worker", "beat"}
    assert django | {"postgres", "redis"} <= set(stack["services"])
    for name in django:
        env = stack["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "omradelos.settings.production"
        assert str(env["DJANGO_DEBUG"]).lower() == "false"


# --- Running the services -------------------------------------------------------------------------


def _start_order(stack: dict, services: list[str]) -> list[str]:
    """The services in an order that respects ``depends_on`` (Compose's start order)."""
    order: list[str] = []

    def visit(name: str, path: tuple = ()):
        assert name not in path, f"depends_on cycle: {path + (name,)}"
        if name in order:
            return
        for dependency in stack["services"][name].get("depends_on") or {}:
            visit(dependency, path + (name,))
        order.append(name)

    for name in services:
        visit(name)
    return [name for name in order if name in services]


def _local(value: str) -> str:
    return value.replace("/app/", f"{ROOT}/")


def _service_env(service: dict, tmp_path: Path, redis_db: int) -> dict[str, str]:
    """The service's environment with the stack's host names pointed at this machine."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update({k: "" if v is None else str(v) for k, v in service["environment"].items()})
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    env["REDIS_URL"] = re.sub(
        r"redis://redis:(\d+)/\d+", rf"redis://127.0.0.1:\1/{redis_db}", env["REDIS_URL"]
    )
    for name, value in list(env.items()):  # the containers' volumes, as folders here
        if value.startswith("/data/"):
            env[name] = str(tmp_path / value.removeprefix("/data/"))
    env["PORT"] = env.get("PORT", "")
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    return env


def _command(service: dict, image_cmd: list[str]) -> list[str]:
    command = service.get("command") or image_cmd
    if isinstance(command, str):
        command = shlex.split(command)
    return [_local(part) for part in command]


def _health_command(service: dict, image_check: list[str]) -> list[str] | None:
    check = service.get("healthcheck") or {}
    if check.get("disable"):
        return None
    test = check.get("test") or image_check
    kind, *rest = test
    if kind == "CMD-SHELL":
        return ["sh", "-c", _local(" ".join(rest))]
    assert kind == "CMD", test
    return [_local(part) for part in rest]


def _image_cmd_and_check() -> tuple[list[str], list[str]]:
    """The image's default command and its health check, from the Dockerfile (exec form)."""
    import json

    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    check = re.search(r"^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])\s*$", text, flags=re.MULTILINE)
    cmds = re.findall(r"^CMD\s+(\[.*\])\s*$", text, flags=re.MULTILINE)
    assert check and cmds, "the Dockerfile has no exec-form CMD or HEALTHCHECK"
    return json.loads(cmds[-1]), ["CMD", *json.loads(check.group(1))]


@pytest.mark.real_services
@pytest.mark.django_db(transaction=True)
def test_the_compose_stack_comes_up_healthy_here(tmp_path):
    """migrate completes, then web, worker and beat start and each passes its own health check."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    stack = load_compose(operator_env(DJANGO_SECURE_SSL_REDIRECT="true"))
    image_cmd, image_check = _image_cmd_and_check()
    hostname = f"stack-{secrets.token_hex(3)}"
    running: dict[str, subprocess.Popen] = {}
    logs: dict[str, Path] = {}
    try:
        for name in _start_order(stack, ["migrate", "web", "worker", "beat"]):
            service = stack["services"][name]
            env = _service_env(service, tmp_path, redis_db=14)
            env["PORT"] = str(port)
            env["HOSTNAME"] = hostname
            command = [part.replace("%h", hostname) for part in _command(service, image_cmd)]
            logs[name] = tmp_path / f"{name}.log"
            if name == "migrate":
                done = subprocess.run(
                    command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
                )
                assert done.returncode == 0, done.stdout + done.stderr
                continue
            with logs[name].open("w") as log:
                running[name] = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                )
            health = _health_command(service, image_check)
            assert health, f"{name} has no health check"
            deadline = time.monotonic() + 90
            while True:
                result = subprocess.run(
                    health, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
                )
                if result.returncode == 0:
                    break
                assert running[name].poll() is None, f"{name} exited:\n{logs[name].read_text()}"
                assert time.monotonic() < deadline, (
                    f"{name} never became healthy: {result.stdout}{result.stderr}\n"
                    f"{logs[name].read_text()}"
                )
                time.sleep(1)
        for name, process in running.items():
            assert process.poll() is None, f"{name} stopped:\n{logs[name].read_text()}"
    finally:
        for process in running.values():
            process.send_signal(signal.SIGTERM)
        for process in running.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
