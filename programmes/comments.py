"""Residents' comments on a draft out for comments (på høring), and taking an input into a
measure of the programme: when commenting is open, and who may take an input in.

A comment is an input of participation (``participation.services.input_submit``: its rules
for consent, moderation and language), tied by a ``ProgrammeComment`` to the section or measure
it is about; it is followed up like any other input. Taking an input in moves its follow-up
through participation's own service and links the measure (``PlanLink``).
"""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, Refusal
from participation.services.inputs import MAX_LENGTH

from . import permissions
from .models import ActionProgramme, Measure, Section

S = ActionProgramme.Status


def comments_refusal(programme: ActionProgramme, *, today: date | None = None) -> Refusal | None:
    """None while residents may comment (out for comments, to the end of its last day);
    otherwise why not, in words a resident understands."""
    today = today or timezone.localdate()
    if not programme.area.is_published:
        return Refusal(_("This programme is not open for comments."), code="hidden")
    if programme.status != S.HEARING or programme.hearing_until is None:
        if programme.status == S.DRAFT:
            return Refusal.not_now(
                _("The draft is not out for comments yet."), code="not_yet", explain=True
            )
        return Refusal.not_now(
            _("The comment period is over. Thank you to everyone who commented."),
            code="closed",
            explain=True,
        )
    if today > programme.hearing_until:
        return Refusal.not_now(
            _("The comment period ended on %(date)s. Thank you to everyone who commented.")
            % {"date": date_format(programme.hearing_until)},
            code="closed",
            explain=True,
        )
    return None


def target_choices(content: dict) -> list[tuple[str, str]]:
    """What a comment can be about, from the composition the reader sees: each section, and
    each measure as ``tiltak-<number>`` within the measures."""
    choices = []
    for code, label in Section.choices:
        choices.append((code, str(label)))
        if code == Section.MEASURES:
            for m in content.get("measures", []):
                choices.append(
                    (
                        f"tiltak-{m['number']}",
                        _("Measure %(number)s: %(title)s")
                        % {"number": m["number"], "title": m["title"]},
                    )
                )
    return choices


def resolve_target(programme: ActionProgramme, content: dict, target: str):
    """``(section, measure or None)`` that ``target`` names in ``content``; None if nothing."""
    if target in Section.values:
        return target, None
    if target.startswith("tiltak-"):
        number = target.removeprefix("tiltak-")
        for m in content.get("measures", []):
            if str(m["number"]) == number:
                measure = Measure.objects.filter(programme=programme, pk=m["measure_id"]).first()
                if measure is not None:
                    return Section.MEASURES, measure
    return None


class TakeInForm(forms.Form):
    """Which input, into which of the programme's measures, and what the giver is told."""

    input = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    measure = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("Measure"),
        error_messages={
            "required": gettext_lazy("Choose the measure that takes the input in."),
            "invalid_choice": gettext_lazy("Choose the measure that takes the input in."),
        },
    )
    response = forms.CharField(
        label=gettext_lazy("What we did"), required=False, max_length=MAX_LENGTH
    )

    def __init__(self, *args, programme: ActionProgramme, inputs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["input"].queryset = inputs
        self.fields["measure"].queryset = Measure.objects.filter(programme=programme)


class TakeIn(Action):
    """Taking an input into a measure of the programme: the district's editors, while the
    programme is not adopted."""

    name, label, form_class = "take_in", gettext_lazy("Take into the programme"), TakeInForm

    def check(self, user, programme) -> Refusal | None:
        if not permissions.can_edit(user, programme):
            return Refusal(_("Only the district's project and programme leaders can do this."))
        if programme.is_frozen:
            return Refusal.not_now(
                _("The programme is adopted. Start a new version to take more input in."),
                code="frozen",
            )
        return None

    def form_kwargs(self, user, programme) -> dict:
        from participation.permissions import inputs_visible_to

        return {
            "programme": programme,
            "inputs": inputs_visible_to(user).filter(area_id=programme.area_id),
        }

    def execute(self, user, programme, form) -> str:
        from .services import comment_take_in

        link = comment_take_in(
            actor=user,
            input=form.cleaned_data["input"],
            measure=form.cleaned_data["measure"],
            response=form.cleaned_data["response"],
        )
        return _("The input is taken into %(plan)s.") % {"plan": link.label}


TAKE_IN = TakeIn()


class CommentForm(forms.Form):
    """The fields of ``services.comment_submit``: what the comment is about (a section or a
    measure of the draft the reader sees), the comment, and — for a guest — a name and address
    kept only with consent, as participation's own input form asks."""

    target = forms.ChoiceField(
        label=gettext_lazy("What your comment is about"),
        error_messages={"required": gettext_lazy("Choose what your comment is about.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Write your comment.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        required=False,
        help_text=gettext_lazy("Give it if you want to be told what becomes of your input."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "You may store my name and email address with the input and contact me about it."
        ),
        required=False,
        help_text=gettext_lazy("Your name and email address are never shown publicly."),
    )

    def __init__(self, *args, content: dict, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Choose")), *target_choices(content)]
        self.signed_in = bool(user is not None and user.is_authenticated)
        if self.signed_in:
            for name in ("name", "email", "consent"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if (
            not self.signed_in
            and (data.get("name") or data.get("email"))
            and not data.get("consent")
        ):
            self.add_error(
                "consent",
                _("Tick the box if we may keep your name or email address, or leave them out."),
            )
        return data
