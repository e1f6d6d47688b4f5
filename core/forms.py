"""Form rendering for every form in the portal: Punkt markup with accessible error links.

Set once as ``FORM_RENDERER``, so each app's forms look and behave alike without per-form code.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

_INPUT_CLASSES = {
    "select": "pkt-input",
    "selectmultiple": "pkt-input",
    "textarea": "pkt-input pkt-form-textarea",
    "checkbox": "pkt-input-check__input-checkbox",
    "radioselect": "",
    "checkboxselectmultiple": "",
    "clearablefile": "pkt-input",
    "file": "pkt-input",
}


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = _INPUT_CLASSES.get(self.widget_type, "pkt-input")
        if css:
            attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        if self.errors:
            described = attrs.get("aria-describedby", "")
            error_id = f"{self.auto_id}_error"
            if error_id not in described:
                attrs["aria-describedby"] = f"{error_id} {described}".strip()
        return attrs


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = PortalBoundField


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-and-time picker; the value is read and shown in Europe/Oslo time."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PeriodFormMixin:
    """A form with ``start_date`` and ``end_date``: the end may not come before the start."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


def text_field(label, *, required=False, help_text="", rows=4) -> forms.CharField:
    """A free-text field as a textarea of ``rows`` lines."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def show_service_errors(form, exc, moved: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: each message on the field it names
    (``moved`` maps a service's field name to the form field that shows it), anything else on
    top of the form, so the page can be shown again with everything the user typed."""
    moved = moved or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = moved.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


# --- Numbers that fit their column --------------------------------------------------------------


def column_max(column) -> int | Decimal:
    """The largest value ``column`` (a model field) holds on every database the portal runs on.

    Integer columns use Django's portable ranges, so a form refuses the same numbers on SQLite as
    on PostgreSQL (where a larger one would fail when saved); a decimal column its digits."""
    internal_type = column.get_internal_type()
    if internal_type == "DecimalField":
        places = column.decimal_places
        return Decimal(10) ** (column.max_digits - places) - Decimal(1).scaleb(-places)
    return BaseDatabaseOperations.integer_field_ranges[internal_type][1]


def limit_to_column(field: forms.Field, column, *, money: bool = True) -> forms.Field:
    """Give an integer or decimal form field the largest value ``column`` can store, with a
    message at the field that says the limit (in kroner when ``money``)."""
    limit = column_max(column)
    field.max_value = limit
    field.validators = [v for v in field.validators if not isinstance(v, _ColumnMaxValidator)]
    field.validators.append(_ColumnMaxValidator(limit, money=money))
    if hasattr(field.widget, "attrs"):
        field.widget.attrs["max"] = str(limit)
    return field


class _ColumnMaxValidator:
    def __init__(self, limit, *, money: bool):
        self.limit, self.money = limit, money

    def __call__(self, value):
        if value is not None and value > self.limit:
            figure = number_format(self.limit, force_grouping=True)
            if self.money:
                message = _("The amount is too large. Enter at most %(limit)s kr.")
            else:
                message = _("The number is too large. Enter at most %(limit)s.")
            raise ValidationError(message, code="max_value", params={"limit": figure})


def money_field(
    label, *, column, required: bool = True, min_value: int = 0, help_text="", **kwargs
) -> forms.Field:
    """A field for an amount in whole kroner (or in the decimals of a decimal ``column``) that
    refuses, at the field and in plain words, a negative amount or one too large for ``column``
    (the model field the amount is stored in)."""
    if column.get_internal_type() == "DecimalField":
        field = forms.DecimalField(
            label=label,
            required=required,
            min_value=min_value,
            help_text=help_text,
            max_digits=column.max_digits,
            decimal_places=column.decimal_places,
            **kwargs,
        )
    else:
        field = forms.IntegerField(
            label=label, required=required, min_value=min_value, help_text=help_text, **kwargs
        )
    return limit_to_column(field, column)


def count_field(label, *, column, required: bool = True, help_text="", **kwargs) -> forms.Field:
    """A whole number that is not money (people, hours), no larger than ``column`` holds."""
    field = forms.IntegerField(
        label=label, required=required, min_value=0, help_text=help_text, **kwargs
    )
    return limit_to_column(field, column, money=False)


# --- Dates that make sense ----------------------------------------------------------------------

# No record in the portal is older than the area programmes, and none plans further ahead than a
# programme period; a date outside this is a typing slip (``0001-01-01``, ``9999-12-31``).
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 25


class DateRange:
    """The one rule for dates a person types: no earlier than ``past`` before today (or, with
    ``past=None``, than :data:`EARLIEST_DATE`) and no later than ``future`` after today (or
    :data:`YEARS_AHEAD` years ahead). Works on date and date-time fields; the message names the
    limit as a date."""

    def __init__(
        self,
        *,
        past: datetime.timedelta | None = None,
        future: datetime.timedelta | None = None,
        floor: bool = True,
    ):
        # ``floor=False`` leaves the earliest date to a rule of the form's own, with its own
        # words (a measure may not have started yet).
        self.past, self.future, self.floor = past, future, floor

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        earliest = EARLIEST_DATE if self.past is None else max(EARLIEST_DATE, today - self.past)
        ceiling = today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))
        latest = ceiling if self.future is None else min(ceiling, today + self.future)
        return earliest, latest

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            # The wall-clock date as typed; converting 0001-01-01 to another zone would overflow.
            value = value.date()
        earliest, latest = self.bounds()
        if self.floor and value < earliest:
            raise ValidationError(
                _("The date is too early. Choose %(date)s or later."),
                code="date_too_early",
                params={"date": date_format(earliest, "d.m.Y")},
            )
        if value > latest:
            raise ValidationError(
                _("The date is too late. Choose %(date)s or earlier."),
                code="date_too_late",
                params={"date": date_format(latest, "d.m.Y")},
            )


def within_date_range(field: forms.Field, **kwargs) -> forms.Field:
    """Apply :class:`DateRange` (``past``/``future`` as timedeltas) to a date or date-time field."""
    field.validators = [v for v in field.validators if not isinstance(v, DateRange)]
    field.validators.append(DateRange(**kwargs))
    return field


def date_field(label, *, required: bool = True, help_text="", past=None, future=None, **kwargs):
    """A date with the browser's date picker, refused at the field when outside the range."""
    field = forms.DateField(
        label=label, required=required, help_text=help_text, widget=DateInput(), **kwargs
    )
    return within_date_range(field, past=past, future=future)


class SensibleDatesMixin:
    """A form whose every date and date-time field follows :class:`DateRange` (the defaults, or
    the ranges its fields were given already)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField) and not any(
                isinstance(v, DateRange) for v in field.validators
            ):
                within_date_range(field)
