"""Reference texts kept in the three interface languages.

A translated field ``title`` is stored as ``title`` (bokmål, always filled) with ``title_nn`` and
``title_en`` beside it. Reading picks the active language and falls back to bokmål, reporting the
language actually returned so that templates can mark it with ``lang`` (WCAG 3.1.2).
"""

from dataclasses import dataclass

from django.utils.translation import get_language

FALLBACK_LANGUAGE = "nb"


@dataclass(frozen=True)
class LocalizedText:
    text: str
    lang: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


def localized(obj: object, field: str, language: str | None = None) -> LocalizedText:
    """Return ``obj.<field>`` in ``language`` (default: active), falling back to bokmål."""
    language = (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]
    if language != FALLBACK_LANGUAGE:
        value = getattr(obj, f"{field}_{language}", "") or ""
        if value:
            return LocalizedText(value, language, False)
    return LocalizedText(
        getattr(obj, field) or "", FALLBACK_LANGUAGE, language != FALLBACK_LANGUAGE
    )


class _Translations:
    __slots__ = ("_obj",)

    def __init__(self, obj: object):
        self._obj = obj

    def __getattr__(self, field: str) -> LocalizedText:
        if field.startswith("_"):
            raise AttributeError(field)
        return localized(self._obj, field)


class TranslatedMixin:
    """Model mixin: ``obj.tr.title`` (also in templates) reads ``title`` in the active language."""

    @property
    def tr(self) -> _Translations:
        return _Translations(self)
