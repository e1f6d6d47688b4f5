"""Matching a search's words against a queryset's text fields.

On PostgreSQL: full-text search with the Norwegian configuration (Snowball's Norwegian stemmer,
so "benker" finds "benk" and "benkene"), the fields weighted (title before summary before body)
and the results ranked. On SQLite: every word must occur in one of the fields, each word cut to
its stem by the same suffix rules first, so the fallback finds the same inflections in most
cases; the order is then the source's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, Value

CONFIG = "norwegian"
MAX_WORDS = 8
# Snowball's Norwegian step-1 suffixes, longest first (the SQLite fallback's stemmer).
SUFFIXES = (
    "hetenes", "hetene", "hetens", "heter", "heten", "endes", "ande", "ende", "edes", "enes",
    "erte", "ede", "ane", "ene", "ens", "ers", "ets", "het", "ast", "ert", "en", "ar", "er",
    "as", "es", "et", "a", "e", "s",
)  # fmt: skip
MIN_STEM = 3
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:MAX_WORDS]


def stem(word: str) -> str:
    """A word's stem by the Norwegian suffix rules, never shorter than three letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def match(qs: QuerySet, text: str, fields: Sequence[tuple[str, str]]) -> QuerySet:
    """``qs`` narrowed to the rows matching ``text`` in ``fields`` ((name, weight A–D)),
    best first, with ``rank`` annotated (0 on SQLite). An empty search matches nothing."""
    terms = words(text)
    if not terms:
        return qs.none()
    if uses_full_text():
        vector = None
        for name, weight in fields:
            part = SearchVector(name, weight=weight, config=CONFIG)
            vector = part if vector is None else vector + part
        query = SearchQuery(" ".join(terms), search_type="plain", config=CONFIG)
        return (
            qs.alias(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "pk")
        )
    condition = Q()
    for term in terms:
        root = stem(term)
        either = Q()
        for name, _weight in fields:
            either |= Q(**{f"{name}__icontains": root})
        condition &= either
    return qs.filter(condition).annotate(rank=Value(0.0)).order_by(F("pk").desc())
