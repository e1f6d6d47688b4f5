from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District
from core.forms import limit_to_column

from .models import Contact, Member
from .services import CONTACT_FIELDS, MEMBER_FIELDS


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
