"""Password rules beyond Django's: common Norwegian passwords, and not the email's first part.

Django's own list (CommonPasswordValidator) is English; people here choose ``passord123``,
``sommer2024`` and ``Vålerenga!``. Passwords are compared the way they are built: ignoring case,
the spelling of æ, ø and å, look-alike digits and the digits or signs put before and after.
"""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NORWEGIAN_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-no.txt"

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e"})
_LOOK_ALIKES = str.maketrans(
    {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_NOT_LETTERS = re.compile(r"[^a-z]")


def _fold(text: str) -> str:
    text = text.casefold().translate(_FOLD)
    return text.replace("aa", "a").replace("oe", "o")


def password_forms(password: str) -> set[str]:
    """The bare words a password may be built from: folded, without digits or signs before and
    after, look-alike digits read as letters ("1" as both "i" and "l") and separators dropped."""
    core = _EDGES.sub("", _fold(password)).translate(_LOOK_ALIKES)
    return {_NOT_LETTERS.sub("", core.replace("1", letter)) for letter in "il"} - {""}


@cache
def norwegian_common_passwords(path: Path = NORWEGIAN_LIST) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words |= password_forms(line)
    return frozenset(words)


class NorwegianCommonPasswordValidator:
    """Refuse a password that is a common Norwegian password or word (once or repeated), give
    or take case, æøå spelling, look-alike digits and digits or signs around it."""

    def __init__(self, password_list_path: str | Path = NORWEGIAN_LIST):
        self.path = Path(password_list_path)

    def validate(self, password: str, user=None) -> None:
        words = norwegian_common_passwords(self.path)
        for form in password_forms(password):
            half = len(form) // 2
            repeated = len(form) % 2 == 0 and form[:half] == form[half:] and form[:half] in words
            if form in words or repeated:
                raise ValidationError(
                    _(
                        "This password is too common: it is a word or password many people "
                        "use, even with digits or signs added. Choose a few unrelated words."
                    ),
                    code="password_too_common_norwegian",
                )

    def get_help_text(self) -> str:
        return _("Your password can't be a commonly used Norwegian password or word.")


class EmailLocalPartValidator:
    """Refuse a password that is, or contains, the part of the email address before the @."""

    min_contained_length = 4

    def validate(self, password: str, user=None) -> None:
        email = getattr(user, "email", "") or ""
        if "@" not in email:
            return
        local = email.rsplit("@", 1)[0].split("+", 1)[0]
        local = re.sub(r"[\W_]", "", _fold(local))
        if not local:
            return
        whole = re.sub(r"[\W_]", "", _fold(password))
        bare = _EDGES.sub("", _fold(password))
        bare = re.sub(r"[\W_]", "", bare)
        if (
            bare == local
            or whole == local
            or (len(local) >= self.min_contained_length and local in whole)
        ):
            raise ValidationError(
                _(
                    "The password must not contain your email address or the part of it "
                    "before the @."
                ),
                code="password_contains_email_local_part",
            )

    def get_help_text(self) -> str:
        return _("Your password can't contain the part of your email address before the @.")
