"""Form rendering for every form in the portal: Punkt markup with accessible error links.

Set once as ``FORM_RENDERER``, so each app's forms look and behave alike without per-form code.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
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
