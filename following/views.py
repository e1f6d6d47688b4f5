"""Following a neighbourhood: the form, the page after it, confirming a guest's address, and
the follow's own page (change, stop) reached by the link in every email.

Confirming and stopping are POSTs behind a page with a button, so a mail client or a link
preview that fetches a link changes nothing — except the mail client's own one-click
unsubscribe (RFC 8058), a POST with ``List-Unsubscribe=One-Click`` and no CSRF token, which the
unfollow view takes as the owner's "stop".
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from areas.selectors import areas_public
from core.forms import show_service_errors

from . import services
from .forms import ChangeFollowForm, ConfirmForm, FollowForm
from .models import Follower

app_name = "following"


def _follower(token: str) -> Follower:
    try:
        return services.by_token(token)
    except Follower.DoesNotExist as exc:
        raise Http404 from exc


def _data(request):
    return request.POST if request.method == "POST" else None


def _initial(request) -> dict:
    initial = {"language": translation.get_language()}
    slug = request.GET.get("omrade", "")
    if slug:
        initial["areas"] = list(areas_public().filter(slug=slug)[:1])
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    return initial


def follow(request):
    """GET the form (``?omrade=<slug>`` ticks that area); POST starts the follow or sends the
    confirmation link."""
    form = FollowForm(_data(request), initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follower = services.follow(
                email=data["email"],
                areas=data["areas"],
                frequency=data["frequency"],
                language=data["language"],
                user=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            own = request.user.is_authenticated and follower.user_id == request.user.pk
            if own and follower.is_confirmed:
                messages.success(request, _("You now follow the areas you chose."))
                return redirect("following:manage", token=follower.token)
            return redirect("following:sent")
    return render(
        request,
        "following/follow.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def sent(request):
    return render(request, "following/sent.html")


def confirm(request, token: str):
    try:
        follower = services.by_confirm_token(token)
    except Follower.DoesNotExist as exc:
        raise Http404 from exc
    form = ConfirmForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            follower = services.confirm(token=token)
        except Follower.DoesNotExist as exc:
            raise Http404 from exc
        messages.success(request, _("Thank you. You now follow the areas you chose."))
        return redirect("following:manage", token=follower.token)
    return render(
        request,
        "following/confirm.html",
        {"follower": follower, "areas": list(follower.areas.order_by("name")), "form": form},
    )


def manage(request, token: str):
    follower = _follower(token)
    initial = {
        "areas": list(follower.areas.all()),
        "frequency": follower.frequency,
        "language": follower.language,
    }
    form = ChangeFollowForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change(
                follower=follower,
                areas=data["areas"],
                frequency=data["frequency"],
                language=data["language"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("following:manage", token=follower.token)
    return render(
        request,
        "following/manage.html",
        {"follower": follower, "form": form},
        status=400 if form.errors else 200,
    )


@csrf_exempt
def unfollow(request, token: str):
    """GET asks "are you sure?"; POST stops the follow. The mail client's one-click POST
    (``List-Unsubscribe=One-Click``) needs no CSRF token: the secret token is the proof; any
    other POST is CSRF-checked as usual."""
    follower = _follower(token)
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == "One-Click":
            services.unfollow(follower=follower)
            return HttpResponse(_("You no longer follow any area."), content_type="text/plain")
        return _unfollow_confirmed(request, follower=follower)
    return render(request, "following/unfollow.html", {"follower": follower})


@csrf_protect
def _unfollow_confirmed(request, follower: Follower):
    services.unfollow(follower=follower)
    return render(request, "following/unfollowed.html")


urlpatterns = [
    path("folg/", follow, name="follow"),
    path("folg/sendt/", sent, name="sent"),
    path("folg/bekreft/<str:token>/", confirm, name="confirm"),
    path("folg/<str:token>/", manage, name="manage"),
    path("folg/<str:token>/avslutt/", unfollow, name="unfollow"),
]
