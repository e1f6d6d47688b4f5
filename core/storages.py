"""The two places files live: public media and private media, both behind Django's storage API.

*Public media* (``STORAGES["default"]``) holds what anyone may see — project images, published
documents. It has URLs under ``MEDIA_URL`` and the web tier serves it with long cache headers
(``core.files.public_media``), or an S3-compatible bucket does.

*Private media* (``STORAGES["private"]``) holds everything with personal data — decision letters,
application and report attachments. It has no URL at all: its files are read only by views that
check permission first (``core.files.private_file_response``). On disk it lives outside
``MEDIA_ROOT``, so no web server configured for public media can ever reach it, and every file is
named by a random uuid, so a name says nothing about the case, the applicant or the document.

Which backend each uses is set by the environment (see ``omradelos.settings.base``); the model
fields name ``private_storage`` as a callable, so migrations never depend on that choice.
"""

import functools
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import (
    FileSystemStorage,
    InMemoryStorage,
    default_storage,
    storages,
)
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

PRIVATE_ALIAS = "private"
_EXTENSION = re.compile(r"\.([a-z0-9]{1,8})$")


class PrivateStorageMixin:
    """A storage whose files have no URL: they are served only through permission checks."""

    def url(self, name):
        raise ValueError(
            "Private files have no URL; serve them through a view that checks permission."
        )


class PrivateFileSystemStorage(PrivateStorageMixin, FileSystemStorage):
    """Private files on disk, in ``PRIVATE_MEDIA_ROOT`` — never inside the public media root.

    Files and folders are readable by the portal's own user only.
    """

    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(location=location or settings.PRIVATE_MEDIA_ROOT, **kwargs)
        refuse_location_inside_public_roots(self.location)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)


class PrivateInMemoryStorage(PrivateStorageMixin, InMemoryStorage):
    """Private files held in memory: for the test suite."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location or settings.PRIVATE_MEDIA_ROOT, **kwargs)


@functools.cache
def _private_s3_class():
    from storages.backends.s3 import S3Storage

    class PrivateS3Storage(PrivateStorageMixin, S3Storage):
        """Private files in an S3-compatible bucket; objects are private and never cached."""

    return PrivateS3Storage


def __getattr__(name):
    # django-storages is imported only when a deployment configures S3.
    if name == "PrivateS3Storage":
        return _private_s3_class()
    raise AttributeError(name)


def refuse_location_inside_public_roots(location: str) -> None:
    """Refuse to start when private files would sit where public files or static files are
    served from (or the other way round)."""
    private = Path(location).resolve()
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        value = getattr(settings, setting, None)
        if not value:
            continue
        public = Path(value).resolve()
        if private == public or private.is_relative_to(public) or public.is_relative_to(private):
            raise ImproperlyConfigured(
                f"PRIVATE_MEDIA_ROOT ({private}) must lie outside {setting} ({public}): "
                "private files must never be reachable where public files are served."
            )


def public_storage():
    """The public media storage (``STORAGES["default"]``), for fields that hold public files."""
    return default_storage


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[PRIVATE_ALIAS]


_private = _PrivateStorage()


def private_storage():
    """The private storage, for ``FileField(storage=private_storage)``.

    A callable, so a migration records this function rather than the backend of the day; it
    returns a lazy proxy, so changed settings (an S3 bucket, a test's folder) take effect."""
    return _private


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
        _private._wrapped = empty


@deconstructible
class RandomName:
    """An ``upload_to`` that names every file by a fresh uuid4 under ``prefix``.

    The name reveals nothing — not the case, the applicant, nor what the user called the file
    (that stays in the database, for the download's file name). With ``keep_extension`` the
    file's lower-cased extension is kept (public images, so the web tier sends the right type);
    a name never repeats, so a public file can be cached for a year.
    """

    def __init__(self, prefix: str, *, keep_extension: bool = False):
        self.prefix = prefix.strip("/")
        self.keep_extension = keep_extension

    def __call__(self, instance, filename: str) -> str:
        token = uuid.uuid4().hex
        suffix = ""
        if self.keep_extension:
            match = _EXTENSION.search((filename or "").lower())
            suffix = f".{match.group(1)}" if match else ""
        return f"{self.prefix}/{token[:2]}/{token}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and (self.prefix, self.keep_extension) == (
            other.prefix,
            other.keep_extension,
        )

    def __hash__(self):
        return hash((self.prefix, self.keep_extension))
