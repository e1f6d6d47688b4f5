"""CSV exports for district staff: the registrations of one event (personal data: editors only),
attendance across events (counts only; the board may download it), and input (names and email
addresses only for those who may see personal data).

The lists' filters apply to the exports too, so the link under a filtered list downloads what
the list shows.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import ParticipationStep

from .. import permissions, selectors
from ..filters import EventFilter, InputFilter
from ..models import Registration, TargetGroup
from ._staff import csv_response, get_event, staff_user


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


@login_required
def staff_event_registrations_csv(request, slug: str):
    event = get_event(request, slug)
    user = request.user
    if not (permissions.can_edit_event(user, event) and permissions.can_see_personal_data(user)):
        raise PermissionDenied
    header = [
        _("Name"),
        _("Email"),
        _("People"),
        _("Status"),
        _("Interpretation needed"),
        _("Accessibility needs"),
        _("Checked in"),
    ]
    rows = (
        [
            r.name,
            r.email,
            r.people,
            r.get_status_display(),
            r.interpretation_needed,
            r.accessibility_needs,
            _datetime(r.checked_in_at),
        ]
        for r in event.registrations.all()
        if r.status != Registration.Status.CANCELLED
    )
    return csv_response(f"pameldte-{event.slug}.csv", header, rows)


# Everyone is the whole; the attendance is counted by the other groups.
_GROUPS = [g for g in TargetGroup if g != TargetGroup.EVERYONE]


@login_required
def staff_attendance_csv(request):
    """Counts per event, never a name: places taken, attendance in total and by group."""
    user = staff_user(request)
    events = EventFilter(request.GET, queryset=selectors.staff_events(user), user=user).qs
    header = [
        _("Event"),
        _("Date"),
        _("Areas"),
        _("Type"),
        _("Participation step"),
        _("Capacity"),
        _("Registered people"),
        _("Attendance"),
        *(_("Attendance: %(group)s") % {"group": g.label} for g in _GROUPS),
    ]
    rows = (
        [
            event.title,
            timezone.localtime(event.starts_at).strftime("%d.%m.%Y"),
            ", ".join(a.name for a in event.areas.all()),
            event.get_kind_display(),
            f"{event.participation_step}/4 {ParticipationStep(event.participation_step).label}",
            event.capacity if event.capacity is not None else "",
            event.seats_taken or 0,
            event.attendance_total if event.attendance_total is not None else "",
            *((event.attendance_by_group or {}).get(g.value, "") for g in _GROUPS),
        ]
        for event in events
    )
    return csv_response("oppmote.csv", header, rows)


@login_required
def staff_inputs_csv(request):
    user = staff_user(request)
    personal = permissions.can_see_personal_data(user)
    items = (
        InputFilter(request.GET, queryset=selectors.staff_inputs(user), user=user)
        .qs.select_related(*selectors.plan_link_related())
        .prefetch_related(*selectors.plan_link_prefetches())
    )
    header = [
        _("Input"),
        _("Area"),
        _("Topic"),
        _("Sub-goal"),
        _("Channel"),
        _("Event"),
        _("Project"),
        _("Moderation"),
        _("Follow-up"),
        _("Taken up in"),
        _("What we did"),
        _("Created"),
    ]
    if personal:
        header += [_("Name"), _("Email")]

    def row(item):
        taken_up = [item.taken_into_project.title if item.taken_into_project_id else ""]
        plan = getattr(item, selectors.PLAN_LINK, None)
        taken_up.append(plan.label if plan is not None and plan.is_current else "")
        values = [
            item.text,
            item.area.name,
            item.get_topic_display(),
            str(item.sub_goal) if item.sub_goal_id else "",
            item.get_channel_display(),
            item.event.title if item.event_id else "",
            item.project.title if item.project_id else "",
            item.get_moderation_display(),
            item.get_follow_up_display(),
            "; ".join(t for t in taken_up if t),
            item.response,
            _datetime(item.created_at),
        ]
        if personal:
            if item.author_id:
                values += [item.author.full_name, item.author.email]
            else:
                values += [item.author_name, item.author_email]
        return values

    return csv_response("innspill.csv", header, (row(item) for item in items))


urlpatterns = [
    path("intern/medvirkning/oppmote.csv", staff_attendance_csv, name="staff_attendance_csv"),
    path(
        "intern/medvirkning/<slug:slug>/deltakere.csv",
        staff_event_registrations_csv,
        name="staff_event_registrations_csv",
    ),
    path("intern/innspill/innspill.csv", staff_inputs_csv, name="staff_inputs_csv"),
]
