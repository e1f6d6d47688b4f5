"""Form rendering for every form in the portal: Punkt markup with accessible error links.

Set once as ``FORM_RENDERER``, so each app's forms look and behave alike without per-form code.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

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
