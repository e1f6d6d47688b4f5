"""HTTP for the programme's knowledge: who is responsible (public and staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import show_service_errors

from . import permissions, selectors, services
from .forms import ContactForm, MemberForm
from .models import Contact, Member

# --- Who is responsible: public -----------------------------------------------------------------


def responsibility(request):
    return render(request, "knowledge/responsibility.html", {"found": selectors.responsibility()})


# --- Who is responsible: the secretariat's pages -----------------------------------------------


def _require_secretariat(request) -> None:
    if not permissions.can_edit_responsibility(request.user):
        raise PermissionDenied


@login_required
def staff_responsibility(request):
    _require_secretariat(request)
    return render(
        request, "knowledge/staff/responsibility.html", {"found": selectors.responsibility()}
    )


def _edit(request, *, form_class, obj, service, kwarg: str, title: str):
    _require_secretariat(request)
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **{kwarg: obj}, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("knowledge:staff_responsibility")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/staff/responsibility_form.html",
        {"form": form, "title": title, "obj": obj},
        status=status,
    )


@login_required
def staff_member_create(request):
    return _edit(
        request,
        form_class=MemberForm,
        obj=None,
        service=services.member_save,
        kwarg="member",
        title=_("New member of a body"),
    )


@login_required
def staff_member_edit(request, pk: int):
    _require_secretariat(request)
    return _edit(
        request,
        form_class=MemberForm,
        obj=get_object_or_404(Member, pk=pk),
        service=services.member_save,
        kwarg="member",
        title=_("Edit member"),
    )


@login_required
@require_POST
def staff_member_delete(request, pk: int):
    _require_secretariat(request)
    services.member_delete(actor=request.user, member=get_object_or_404(Member, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("knowledge:staff_responsibility")


@login_required
def staff_contact_create(request):
    return _edit(
        request,
        form_class=ContactForm,
        obj=None,
        service=services.contact_save,
        kwarg="contact",
        title=_("New contact"),
    )


@login_required
def staff_contact_edit(request, pk: int):
    _require_secretariat(request)
    return _edit(
        request,
        form_class=ContactForm,
        obj=get_object_or_404(Contact, pk=pk),
        service=services.contact_save,
        kwarg="contact",
        title=_("Edit contact"),
    )


@login_required
@require_POST
def staff_contact_delete(request, pk: int):
    _require_secretariat(request)
    services.contact_delete(actor=request.user, contact=get_object_or_404(Contact, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("knowledge:staff_responsibility")
