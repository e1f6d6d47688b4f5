"""Public media under the production settings: project images show on the public page, served
with long cache headers by the portal itself (no DEBUG, also under gunicorn), while private files
stay out of reach of MEDIA_URL.

Settings are read once per process, so the production settings run in subprocesses, on a SQLite
database and media folders of their own, with static files collected as the image does.
"""

import json
import re
import sys
import urllib.error
import urllib.request

import pytest

from tests.servers import ROOT, gunicorn

from .test_deploy import production_env, random_secret_key, run

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
    with gunicorn(env, tmp_path) as port:
        base = f"http://127.0.0.1:{port}"
        status, _headers, body = _get(f"{base}/prosjekter/ny-benk/")
        assert status == 200
        assert f'src="/media/{seeded["image"]}"' in body.decode()

        status, headers, body = _get(f"{base}/media/{seeded['image']}")
        assert status == 200
        assert headers["Cache-Control"] == LONG_CACHE
        assert body.hex() == seeded["png"]
        assert _get(f"{base}/media/{seeded['secret']}")[0] == 404


# --- Configured by the environment ---------------------------------------------------------------

S3_CHECK = r"""
import django
django.setup()
from django.core.files.storage import default_storage, storages
from core.storages import private_storage

public, private = storages["default"], storages["private"]
assert default_storage.bucket_name == "omradelos-public"
assert type(public).__name__ == "S3Storage", type(public)
assert type(private).__name__ == "PrivateS3Storage", type(private)
assert private_storage().bucket_name == "omradelos-private"
assert public.bucket_name == "omradelos-public"
assert public.object_parameters["CacheControl"].startswith("public, max-age=31536000")
assert private.object_parameters["CacheControl"] == "no-store"
assert public.url("projects/ab/x.png") == "https://bilder.example.org/projects/ab/x.png"
try:
    private.url("letters/ab/x.pdf")
except ValueError:
    print("no url")
"""


def test_s3_compatible_buckets_replace_the_disk_from_the_environment():
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(),
        FILE_STORAGE="s3",
        S3_ENDPOINT_URL="https://s3.example.org",
        S3_REGION="eu-north-1",
        S3_PUBLIC_BUCKET="omradelos-public",
        S3_PUBLIC_DOMAIN="bilder.example.org",
        S3_PRIVATE_BUCKET="omradelos-private",
    )
    result = run([sys.executable, "-c", S3_CHECK], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("no url")


def test_s3_without_both_buckets_refuses_to_start():
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(), FILE_STORAGE="s3", S3_PUBLIC_BUCKET="b"
    )
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "S3_PRIVATE_BUCKET" in result.stderr


def test_private_media_inside_the_public_root_refuses_to_start(tmp_path):
    env = production_env(
        DJANGO_SECRET_KEY=random_secret_key(),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "media" / "private"),
    )
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "must lie outside MEDIA_ROOT" in result.stderr


def test_compose_mounts_both_media_volumes_where_files_are_written():
    from ruamel.yaml import YAML

    compose = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert {"media", "private-media"} <= set(compose["volumes"])
    for name in ("web", "worker", "migrate"):
        service = compose["services"][name]
        assert "media:/data/media" in service["volumes"], name
        assert "private-media:/data/private-media" in service["volumes"], name
        assert service["environment"]["PRIVATE_MEDIA_ROOT"] == "/data/private-media"
        assert service["environment"]["FILE_STORAGE"] == "${FILE_STORAGE:-filesystem}"
