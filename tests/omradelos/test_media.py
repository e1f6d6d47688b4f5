"""Public media under the production settings: project images show on the public page, served
with long cache headers by the portal itself (no DEBUG, also under gunicorn), while private files
stay out of reach of MEDIA_URL.

Settings are read once per process, so the production settings run in subprocesses, on a SQLite
database and media folders of their own, with static files collected as the image does.
"""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .test_deploy import BIN, ROOT, _free_port, production_env, random_secret_key, run

HOST = "omradeloft.example.org"
LONG_CACHE = "public, max-age=31536000, immutable"

# Run under omradelos.settings.production: a public project with an image, and a private file.
SEED = r"""
import io, json
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

call_command("migrate", interactive=False, verbosity=0)
from core.storages import private_storage
from projects.models import ProjectImage
from tests.projects.factories import ProjectFactory

buffer = io.BytesIO()
Image.new("RGB", (8, 6), (42, 40, 89)).save(buffer, format="PNG")
project = ProjectFactory(slug="ny-benk", title="Ny benk")
picture = ProjectImage.objects.create(
    project=project,
    image=SimpleUploadedFile("benk.png", buffer.getvalue(), content_type="image/png"),
    alt_text="Ny benk ved grendehuset",
)
secret = private_storage().save("letters/ab/secret.pdf", ContentFile(b"%PDF-1.4 kontonr"))
print(json.dumps({"image": picture.image.name, "png": buffer.getvalue().hex(), "secret": secret}))
"""

# Run under omradelos.settings.production: the public page and its image through the test client.
FETCH = r"""
import json, re, sys
import django
django.setup()
from django.test import Client

client = Client(HTTP_HOST=sys.argv[1])
page = client.get("/prosjekter/ny-benk/", secure=True)
html = page.content.decode()
src = re.search(r'<img src="([^"]+)" alt="Ny benk ved grendehuset"', html).group(1)
image = client.get(src, secure=True)
secret = client.get("/media/" + sys.argv[2], secure=True)
climbing = client.get("/media/../private-media/" + sys.argv[2], secure=True)
print(json.dumps({
    "page": page.status_code,
    "src": src,
    "status": image.status_code,
    "cache": image.get("Cache-Control"),
    "type": image.get("Content-Type"),
    "body": b"".join(image.streaming_content).hex(),
    "secret": secret.status_code,
    "climbing": climbing.status_code,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A production installation on disk: collected static files, a migrated database, a public
    project with an image, a private file."""
    root = tmp_path_factory.mktemp("production")
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS=HOST,
        SQLITE_PATH=str(root / "db.sqlite3"),
        STATIC_ROOT=str(root / "static"),
        MEDIA_ROOT=str(root / "media"),
        PRIVATE_MEDIA_ROOT=str(root / "private-media"),
    )
    collected = run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    seeded = run([sys.executable, "-c", SEED], env, timeout=180)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    return env, root, json.loads(seeded.stdout.strip().splitlines()[-1])


def test_the_project_image_shows_on_the_public_page_with_long_cache_headers(production):
    env, root, seeded = production

    result = run([sys.executable, "-c", FETCH, HOST, seeded["secret"]], env)
    assert result.returncode == 0, result.stdout + result.stderr
    fetched = json.loads(result.stdout.strip().splitlines()[-1])

    assert fetched["page"] == 200
    assert fetched["src"] == f"/media/{seeded['image']}"
    assert re.fullmatch(r"projects/[0-9a-f]{2}/[0-9a-f]{32}\.png", seeded["image"])
    assert fetched["status"] == 200
    assert fetched["cache"] == LONG_CACHE
    assert fetched["type"] == "image/png"
    assert fetched["body"] == seeded["png"]
    # The private file is on disk, but not where public media is, and MEDIA_URL cannot reach it.
    assert (root / "private-media" / seeded["secret"]).is_file()
    assert not list((root / "media").rglob("*.pdf"))
    assert fetched["secret"] == 404
    assert fetched["climbing"] == 404


def _get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_project_image_but_no_private_file(production, tmp_path):
    env, _root, seeded = production
    port = str(_free_port())
    env = {**env, "PORT": port, "GUNICORN_WORKERS": "1", "XDG_RUNTIME_DIR": str(tmp_path)}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "docker/gunicorn.conf.py", "omradelos.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _headers, body = _get(f"{base}/prosjekter/ny-benk/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "gunicorn.log"
                ).read_text()
                time.sleep(0.3)
        assert status == 200
        assert f'src="/media/{seeded["image"]}"' in body.decode()

        status, headers, body = _get(f"{base}/media/{seeded['image']}")
        assert status == 200
        assert headers["Cache-Control"] == LONG_CACHE
        assert body.hex() == seeded["png"]
        assert _get(f"{base}/media/{seeded['secret']}")[0] == 404
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
