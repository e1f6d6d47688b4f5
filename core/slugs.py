"""Unique, readable slugs from Norwegian titles."""

from django.db.models import Model
from django.utils.text import slugify

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def unique_slug(
    model: type[Model],
    text: str,
    *,
    fallback: str,
    max_length: int = 160,
    exclude_pk: int | None = None,
    field: str = "slug",
) -> str:
    """A slug of ``text`` (æ, ø, å spelt out) that no other row of ``model`` has; ``-2``, ``-3``
    … is added when it is taken."""
    base = slugify(text.translate(_NORWEGIAN))[:max_length] or fallback
    slug, n = base, 2
    taken = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager
    while taken.filter(**{field: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
