"""Norwegian organisation and account numbers, checked with python-stdnum (MOD11)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as E
from stdnum.no import kontonr, orgnr


def clean_org_number(value: str) -> str:
    try:
        return orgnr.validate(value or "")
    except InvalidLength as exc:
        raise ValidationError(
            _("An organisation number has 9 digits, like 923 609 016."), code="length"
        ) from exc
    except (InvalidChecksum, InvalidFormat, E) as exc:
        raise ValidationError(
            _(
                "%(value)s is not a valid organisation number. Check the digits against "
                "Brønnøysundregistrene."
            )
            % {"value": value},
            code="invalid",
        ) from exc


def clean_account_number(value: str) -> str:
    try:
        number = kontonr.validate(value or "")
        if len(number) != 11:
            # stdnum also takes the old 7-digit postgiro numbers; payments need all 11 digits.
            raise InvalidLength()
        return number
    except InvalidLength as exc:
        raise ValidationError(
            _("An account number has 11 digits, like 8601 11 17947."), code="length"
        ) from exc
    except (InvalidChecksum, InvalidFormat, E) as exc:
        raise ValidationError(
            _("%(value)s is not a valid account number. Check the digits with your bank.")
            % {"value": value},
            code="invalid",
        ) from exc


def already_registered_message() -> str:
    return _(
        "An organisation with this number is already registered. Ask one of its members to "
        "invite you."
    )
