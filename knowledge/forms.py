from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District
from core.forms import limit_to_column

from .models import Contact, Document, Member
from .services import CONTACT_FIELDS, DOCUMENT_FIELDS, MEMBER_FIELDS
from .uploads import max_bytes


class SortOrderMixin:
    """The sort order is a small number; a larger one is refused at the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        column = self._meta.model._meta.get_field("sort_order")
        limit_to_column(self.fields["sort_order"], column, money=False)


class MemberForm(SortOrderMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = MEMBER_FIELDS


class ContactForm(SortOrderMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        help_texts = {
            "district": _("For a district's contact. Leave empty for the programme as a whole."),
            "area": _("For an area's contact. Leave the district empty then."),
            "phone": _("A work number only; never a private one."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("number")
        self.fields["area"].queryset = Area.objects.select_related("district").order_by(
            "district__number", "name"
        )


class DocumentForm(forms.ModelForm):
    """A document's particulars and its PDF (required when it is new)."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Enter a year as four digits, for example 2026."),
            "min_value": _("Enter a year from 2000 to 2100."),
            "max_value": _("Enter a year from 2000 to 2100."),
        },
    )
    upload = forms.FileField(
        label=_("PDF file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, districts: set[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        creating = self.instance.pk is None
        self.fields["upload"].required = creating
        self.fields["upload"].help_text = _("A PDF of at most %(max)s.") % {
            "max": filesizeformat(max_bytes())
        }
        if not creating:
            self.fields["upload"].help_text += " " + str(_("Leave empty to keep the present file."))
        self.fields["upload"].error_messages["required"] = _("Choose the PDF to upload.")
        district_qs = District.objects.order_by("number")
        area_qs = Area.objects.select_related("district").order_by("district__number", "name")
        if districts is not None:
            district_qs = district_qs.filter(pk__in=districts)
            area_qs = area_qs.filter(district_id__in=districts)
            self.fields["programme"].disabled = True
            self.fields["programme"].help_text = _("Follows from the district.")
        self.fields["district"].queryset = district_qs
        self.fields["area"].queryset = area_qs
        self.fields["area"].help_text = _("The district follows from the area.")
