"""What changed between two frozen versions of a programme (``programmes.diff.compare``)."""

import pytest

from areas.models import ParticipationStep
from programmes import services
from programmes.compose import compose
from programmes.diff import compare
from tests.projects.factories import BudgetLineFactory

from .factories import MeasureFactory


def _content(measures=(), *, prose=None, goals=(), step=1, total=None) -> dict:
    rows = [
        {
            "number": n,
            "project_id": pid,
            "title": title,
            "budget": [{"source": "omradeloft", "planned": amount}] if amount else [],
            "budget_total": amount,
            "comment": comment,
        }
        for n, (pid, title, amount, comment) in enumerate(measures, start=1)
    ]
    return {
        "prose": {"introduction": "", "risks": "", **(prose or {})},
        "goals": list(goals),
        "participation_step": step,
        "measures": rows,
        "budget": {"total": total if total is not None else sum(m[2] for m in measures)},
    }


def test_the_same_content_has_no_changes():
    content = _content([(1, "Lys i parken", 1000, "")], prose={"introduction": "Hei"})
    result = compare(content, content)
    assert result["changed"] is False
    assert result["measures_added"] == [] and result["sections_changed"] == []


def test_measures_added_and_removed_are_matched_by_project():
    old = _content([(1, "Lys i parken", 1000, ""), (2, "Benker", 500, "")])
    new = _content([(2, "Benker", 500, ""), (3, "Møteplass", 700, "")])
    result = compare(old, new)
    assert result["measures_added"] == [{"number": 2, "title": "Møteplass"}]
    assert result["measures_removed"] == [{"number": 1, "title": "Lys i parken"}]
    # "Benker" moved from 2 to 1 with the same budget: not a change of budget.
    assert result["budgets_changed"] == []
    assert result["total"] == {"old": 1500, "new": 1200}
    assert result["changed"] is True


def test_budget_per_measure_and_the_total():
    old = _content([(1, "Lys i parken", 1000, "")])
    new = _content([(1, "Lys i parken", 2500, "Nå med flere lyktestolper.")])
    result = compare(old, new)
    assert result["budgets_changed"] == [
        {"number": 1, "title": "Lys i parken", "old": 1000, "new": 2500}
    ]
    assert result["comments_changed"] == [{"number": 1, "title": "Lys i parken"}]
    assert result["total"] == {"old": 1000, "new": 2500}


def test_prose_sections_and_goals_in_the_documents_order():
    old = _content(prose={"risks": "A", "introduction": "x"}, goals=[{"number": 1}])
    new = _content(
        prose={"risks": "B", "introduction": "x", "area_text": "Ny"},
        goals=[{"number": 1, "local_goal": "Flere møteplasser"}],
    )
    assert compare(old, new)["sections_changed"] == ["omradet", "mal", "risiko"]


def test_participation_step_change():
    result = compare(_content(step=1), _content(step=3))
    assert result["participation_step"] == {"old": 1, "new": 3}
    assert compare(_content(step=2), _content(step=2))["participation_step"] is None


@pytest.mark.django_db
def test_compare_two_real_compositions(users):
    leader = users["programme_leader"]
    measure = MeasureFactory()
    programme = measure.programme
    BudgetLineFactory(project=measure.project, year=programme.year, planned=100000)
    before = compose(programme)
    added = MeasureFactory(programme=programme)
    BudgetLineFactory(project=added.project, year=programme.year, planned=25000)
    programme = services.programme_update(
        actor=leader,
        programme=programme,
        participation_step=ParticipationStep.CONNECTOR,
        organisation="Områdeløftet ledes av bydelen.",
    )
    result = compare(before, compose(programme))
    assert [m["title"] for m in result["measures_added"]] == [added.project.title]
    assert result["total"] == {"old": 100000, "new": 125000}
    assert result["sections_changed"] == ["organisering"]
    assert result["participation_step"]["new"] == ParticipationStep.CONNECTOR
