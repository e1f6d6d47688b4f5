"""Which language to write to a person in."""

from django.conf import settings
from django.contrib.auth import get_user_model


def language_for(user=None, fallback: str = "") -> str:
    """The person's own language if we know it, else ``fallback``, else the site's default."""
    languages = dict(settings.LANGUAGES)
    for candidate in (getattr(user, "language", ""), fallback):
        if candidate in languages:
            return candidate
    return settings.LANGUAGE_CODE


def remember_language(user, language: str) -> None:
    """Store the language a person chose or signed in with, if it changed (one UPDATE)."""
    if (
        getattr(user, "is_authenticated", False)
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        get_user_model()._default_manager.filter(pk=user.pk).update(language=language)
        user.language = language


def remember_language_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the language of the page the person signed in on."""
    remember_language(user, getattr(request, "LANGUAGE_CODE", ""))
