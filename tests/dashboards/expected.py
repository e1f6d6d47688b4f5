"""The dashboard's figures computed another way: Python loops over model instances, no
grouping or aggregation in the database, to compare with what ``dashboards`` computes."""

import datetime
import statistics
from collections import Counter, defaultdict

from django.utils import timezone

from dashboards.figures import Filters, Scope
from grants.models import Appeal, Decision, GrantApplication, Payment, Recommendation
from participation.models import Event, Input, Registration, TargetGroup
from programmes.models import ActionProgramme
from projects.models import BudgetLine, Indicator, Project

# The units added up across indicators, as the dashboard's note names them.
SUMMED = {
    "personer": "participants",
    "deltakere": "participants",
    "timer": "hours",
    "dugnadstimer": "hours",
    "besøkende": "visitors",
}


class Expected:
    def __init__(self, filters: Filters, scope: Scope):
        self.f = filters
        self.scope = scope

    # --- what is in ---

    def area_ok(self, area) -> bool:
        f, d = self.f, self.scope.district_ids
        if area is None:
            return not self.narrowed
        return (
            (d is None or area.district_id in d)
            and (f.district is None or area.district_id == f.district)
            and (f.sub_programme is None or area.sub_programme_id == f.sub_programme)
            and (f.area is None or area.pk == f.area)
        )

    @property
    def narrowed(self) -> bool:
        f = self.f
        return self.scope.district_ids is not None or any(
            v is not None for v in (f.district, f.sub_programme, f.area)
        )

    @staticmethod
    def running(project, year) -> bool:
        starts = project.start_date is None or project.start_date.year <= year
        ends = project.end_date is None or project.end_date.year >= year
        return starts and ends

    def project_ok(self, project, *, with_year=True) -> bool:
        goals = {g.pk for g in project.sub_goals.all()}
        return (
            self.area_ok(project.area)
            and (self.f.sub_goal is None or self.f.sub_goal in goals)
            and (not with_year or self.f.year is None or self.running(project, self.f.year))
        )

    def projects(self):
        return [p for p in Project.objects.select_related("area") if self.project_ok(p)]

    # --- figures ---

    def projects_over_the_years(self, years) -> dict[int, dict[str, int]]:
        """Per year: the projects running, started and ended (the year filter aside)."""
        shown = [
            p for p in Project.objects.select_related("area") if self.project_ok(p, with_year=False)
        ]
        return {
            year: {
                "active": sum(1 for p in shown if self.running(p, year)),
                "started": sum(1 for p in shown if p.start_date and p.start_date.year == year),
                "ended": sum(1 for p in shown if p.end_date and p.end_date.year == year),
            }
            for year in years
        }

    def projects_by_status(self) -> Counter:
        return Counter(p.status for p in self.projects())

    def projects_by_step(self) -> Counter:
        return Counter(p.participation_step for p in self.projects())

    def budget_lines(self):
        lines = []
        for line in BudgetLine.objects.select_related("project__area"):
            if not self.project_ok(line.project, with_year=False):
                continue
            if self.f.year is not None and line.year != self.f.year:
                continue
            lines.append(line)
        return lines

    def budget_by_source(self) -> dict:
        out = defaultdict(lambda: [0, 0])
        for line in self.budget_lines():
            out[line.source][0] += int(line.planned)
            out[line.source][1] += int(line.spent)
        return dict(out)

    def budget_by_district(self) -> dict:
        out = defaultdict(lambda: [0, 0])
        for line in self.budget_lines():
            out[line.project.area.district_id][0] += int(line.planned)
            out[line.project.area.district_id][1] += int(line.spent)
        return dict(out)

    def applications(self):
        apps = []
        for app in GrantApplication.objects.select_related("area", "round"):
            if app.status == GrantApplication.Status.DRAFT:
                continue
            if not self.area_ok(app.area):
                continue
            if self.f.sub_goal is not None and app.sub_goal_id != self.f.sub_goal:
                continue
            if self.f.year is not None and app.round.year != self.f.year:
                continue
            apps.append(app)
        return apps

    def grants(self) -> dict:
        apps = self.applications()
        ids = {a.pk for a in apps}
        decisions = [d for d in Decision.objects.all() if d.application_id in ids]
        superseded = {d.supersedes_id for d in decisions if d.supersedes_id}
        current = [d for d in decisions if d.pk not in superseded]
        granted = [
            d for d in current if d.outcome in (Recommendation.APPROVE, Recommendation.PARTIAL)
        ]
        submitted = {a.pk: a.submitted_at for a in apps}
        days = [
            (d.decided_at - submitted[d.application_id]).total_seconds() / 86400
            for d in decisions
            if d.supersedes_id is None
        ]
        appeals = [a for a in Appeal.objects.all() if a.application_id in ids]
        reported = 0
        for app in apps:
            report = getattr(app, "final_report", None) if hasattr(app, "final_report") else None
            if report is not None:
                reported += report.dugnad_hours
        return {
            "applications": len(apps),
            "applied": sum(a.amount_applied for a in apps),
            "granted": sum(d.amount for d in granted),
            "paid": sum(p.amount for p in Payment.objects.all() if p.application_id in ids),
            "approval_rate": round(100 * len(granted) / len(current), 1) if current else None,
            "median_days": round(statistics.median(days), 1) if days else None,
            "appeals": len(appeals),
            "appeal_outcomes": Counter(a.status for a in appeals),
            "pledged": sum(a.dugnad_hours for a in apps),
            "reported": reported,
        }

    def events_held(self):
        today = timezone.localdate()
        d = self.scope.district_ids
        f = self.f
        held = []
        for event in Event.objects.prefetch_related("areas").select_related("project"):
            if event.status != Event.Status.PUBLISHED:
                continue
            if timezone.localtime(event.ends_at).date() >= today:
                continue
            areas = list(event.areas.all())
            if d is not None and not any(a.district_id in d for a in areas):
                continue
            if f.district is not None and not any(a.district_id == f.district for a in areas):
                continue
            if f.sub_programme is not None and not any(
                a.sub_programme_id == f.sub_programme for a in areas
            ):
                continue
            if f.area is not None and not any(a.pk == f.area for a in areas):
                continue
            if f.sub_goal is not None:
                goals = {g.pk for g in event.project.sub_goals.all()} if event.project else set()
                if f.sub_goal not in goals:
                    continue
            if f.year is not None and timezone.localtime(event.starts_at).year != f.year:
                continue
            held.append(event)
        return held

    def participation(self) -> dict:
        held = self.events_held()
        ids = {e.pk for e in held}
        regs = [r for r in Registration.objects.all() if r.event_id in ids]
        groups = Counter()
        for event in held:
            for code, count in (event.attendance_by_group or {}).items():
                groups[code] += count
        inputs = []
        for item in Input.objects.select_related("area"):
            if self.narrowed and not self.area_ok(item.area):
                continue
            if self.f.sub_goal is not None and item.sub_goal_id != self.f.sub_goal:
                continue
            if self.f.year is not None and timezone.localtime(item.created_at).year != self.f.year:
                continue
            inputs.append(item)
        F = Input.FollowUp
        followed = [i for i in inputs if i.follow_up != F.RECEIVED]
        taken = [i for i in inputs if i.follow_up in (F.TAKEN_UP, F.DONE)]
        return {
            "held": len(held),
            "attendance": sum(e.attendance_total or 0 for e in held),
            "registered": sum(r.people for r in regs if r.status == Registration.Status.CONFIRMED),
            "checked_in": sum(r.people for r in regs if r.checked_in_at is not None),
            "groups": {code: groups.get(code, 0) for code in TargetGroup.values},
            "received": len(inputs),
            "followed_up_share": round(100 * len(followed) / len(inputs), 1) if inputs else None,
            "taken_in_share": round(100 * len(taken) / len(inputs), 1) if inputs else None,
        }

    def indicators_by_sub_goal(self) -> dict:
        out = defaultdict(lambda: {"indicators": 0, "with_target": 0, "on_track": 0})
        end = datetime.date(self.f.year, 12, 31) if self.f.year else None
        for indicator in Indicator.objects.select_related("project__area"):
            if not self.project_ok(indicator.project, with_year=False):
                continue
            values = [v for v in indicator.values.all() if end is None or v.date <= end]
            latest = max(values, key=lambda v: (v.date, v.pk)).value if values else None
            target, baseline = indicator.target, indicator.baseline
            on_track = False
            if target is not None and latest is not None:
                rising = baseline is None or target >= baseline
                on_track = latest >= target if rising else latest <= target
            for goal in indicator.project.sub_goals.all():
                row = out[goal.pk]
                row["indicators"] += 1
                row["with_target"] += target is not None
                row["on_track"] += on_track
        return dict(out)

    def indicators_over_the_years(self, years) -> tuple[dict, dict]:
        """Per year, and per delmål and year, as each stood at the year's end."""
        whole = {}
        by_goal = defaultdict(dict)
        indicators = [
            i
            for i in Indicator.objects.select_related("project__area").prefetch_related(
                "values", "project__sub_goals"
            )
            if self.project_ok(i.project, with_year=False)
        ]
        for year in years:
            end = datetime.date(year, 12, 31)
            total = dict.fromkeys(("measured", "with_target", "on_track", *SUMMED.values()), 0)
            goal_rows = defaultdict(lambda: {"measured": 0, "with_target": 0, "on_track": 0})
            for indicator in indicators:
                values = [v for v in indicator.values.all() if v.date <= end]
                if not values:
                    continue
                latest = max(values, key=lambda v: (v.date, v.pk)).value
                target, baseline = indicator.target, indicator.baseline
                on_track = False
                if target is not None:
                    rising = baseline is None or target >= baseline
                    on_track = latest >= target if rising else latest <= target
                counts = {"measured": 1, "with_target": int(target is not None)}
                counts["on_track"] = int(on_track)
                for key, n in counts.items():
                    total[key] += n
                unit = indicator.unit.strip().lower()
                if unit in SUMMED:
                    total[SUMMED[unit]] += latest
                for goal in indicator.project.sub_goals.all():
                    for key, n in counts.items():
                        goal_rows[goal.pk][key] += n
            whole[year] = {k: int(v) for k, v in total.items()}
            for goal, row in goal_rows.items():
                by_goal[goal][year] = row
        return whole, dict(by_goal)

    def area_steps(self, years) -> dict:
        """(area, year) -> the step of the area's programme that year; and (year, step) ->
        how many areas were on it."""
        steps = {}
        for programme in ActionProgramme.objects.select_related("area").prefetch_related(
            "area__sub_goals"
        ):
            if not self.area_ok(programme.area) or programme.year not in years:
                continue
            if self.f.sub_goal is not None and self.f.sub_goal not in {
                g.pk for g in programme.area.sub_goals.all()
            }:
                continue
            steps[(programme.area_id, programme.year)] = programme.participation_step
        return steps
