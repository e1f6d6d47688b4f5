"""Strings from Django 5.2 and allauth that the portal shows but their own catalogues lack in
bokmål or nynorsk. Naming them here keeps them in our catalogues through ``make messages``;
nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)

ALLAUTH = [
    gettext_noop("Forgot your password?"),
    gettext_noop("Remember Me"),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("The email address and/or password you specified are not correct."),
]
