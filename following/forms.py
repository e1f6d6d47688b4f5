"""The follow form (a guest gives an address; a signed-in person uses the account's) and the
form that changes a follow. The services check the rest."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from areas.selectors import areas_public

from .models import Follower


class ChangeFollowForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=areas_public().order_by("district__number", "name"),
        # Chosen by slug: what a form sends is never compared as a number with a column.
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one area to follow."),
            "invalid_choice": _("Choose areas from the list."),
            "invalid_pk_value": _("Choose areas from the list."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Follower.Frequency.choices,
        initial=Follower.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        help_text=_("You only get an email when something new has happened."),
        error_messages={"required": _("Choose daily or weekly.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].label_from_instance = lambda area: (
            f"{area.name} ({area.district.name})"
        )


class FollowForm(ChangeFollowForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm the address before anything else."),
        error_messages={"required": _("Write your email address.")},
    )
    field_order = ["email", "areas", "frequency", "language"]


class ConfirmForm(forms.Form):
    """A button: the link in an email opens a page, the POST does it (link previews change
    nothing)."""
