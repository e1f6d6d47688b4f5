from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, SubGoal
from core.forms import limit_to_column

from .models import Contact, Document, Lesson, Member, Recipe
from .services import (
    CONTACT_FIELDS,
    DOCUMENT_FIELDS,
    LESSON_FIELDS,
    MEMBER_FIELDS,
    RECIPE_FIELDS,
)
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


class LessonForm(forms.ModelForm):
    """A lesson's text and tags; the project is the page's."""

    sub_goals = forms.ModelMultipleChoiceField(
        label=_("Sub-goals"),
        queryset=SubGoal.objects.filter(sub_programme__served=True).order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The sub-goals the lesson says something about."),
    )
    methods = forms.ModelMultipleChoiceField(
        label=_("Methods"),
        queryset=Recipe.objects.order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The ways of working from the cookbook that the project used."),
    )

    class Meta:
        model = Lesson
        fields = LESSON_FIELDS
        widgets = {
            "worked": forms.Textarea(attrs={"rows": 5}),
            "did_not_work": forms.Textarea(attrs={"rows": 5}),
            "advice": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "worked": _("What went well, and why you think it did."),
            "did_not_work": _("What you would not do again, or would do differently."),
            "advice": _("What you would tell another district that wants to try the same."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "worked", "did_not_work", "advice"):
            limit_text(self.fields[name], self._meta.model._meta.get_field(name))


class RecipeForm(forms.ModelForm):
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects that used it"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Recipe
        fields = RECIPE_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "ingredients": forms.Textarea(attrs={"rows": 6}),
            "steps": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, districts: set[int] | None, projects, **kwargs):
        super().__init__(*args, **kwargs)
        district_qs = District.objects.order_by("number")
        if districts is not None:
            district_qs = district_qs.filter(pk__in=districts)
            self.fields["district"].required = True
            self.fields["district"].empty_label = None
        self.fields["district"].queryset = district_qs
        self.fields["projects"].queryset = projects.select_related("area").order_by("title")
        for name in ("title", "summary", "introduction", "ingredients", "steps"):
            limit_text(self.fields[name], self._meta.model._meta.get_field(name))


# Text a person could type for a lesson or a recipe: long, but not unbounded.
TEXT_LIMIT = 10_000


def limit_text(field: forms.Field, column) -> None:
    """A character field's column limit, or ``TEXT_LIMIT`` for a text column, with a message
    in words."""
    limit = column.max_length or TEXT_LIMIT
    if column.max_length is None:
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)
    field.error_messages["max_length"] = _(
        "Write at most %(limit_value)d characters (you wrote %(show_value)d)."
    )
