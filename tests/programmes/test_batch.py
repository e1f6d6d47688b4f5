"""Every area's programme for a year, rendered at once: by ``manage.py render_programmes`` and by
the admin action. Each programme as it stands (the adopted version, or the live composition),
one task per area, nothing rendered twice, and the areas without a programme named."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from areas.models import Area
from programmes import pdf, services
from programmes.compose import compose, content_hash
from programmes.models import ActionProgramme, ProgrammeVersion, Rendering
from programmes.services.rendering import renderings_request_year

from .factories import MeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

R = Rendering.Status
YEAR = 2026


@pytest.fixture
def renders(monkeypatch):
    calls = []

    def render(content):
        calls.append(content["area"]["slug"])
        return pdf.Document(data=b"%PDF-1.7 " + content["area"]["slug"].encode(), page_count=4)

    monkeypatch.setattr(pdf, "render_pdf", render)
    return calls


@pytest.fixture
def year_programmes(users, renders, django_capture_on_commit_callbacks):
    """Three areas with a programme for the year: two drafts (one of them with a measure) and
    one adopted, whose PDF was rendered when it was adopted."""
    draft = MeasureFactory(programme=ProgrammeFactory(year=YEAR)).programme
    other = ProgrammeFactory(year=YEAR, area=Area.objects.get(slug="haugenstua"))
    adopted = ProgrammeFactory(year=YEAR, area=Area.objects.get(slug="linderud"))
    leader = users["programme_leader"]
    services.programme_send_for_review(actor=leader, programme=adopted)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.programme_adopt(actor=leader, programme=adopted)
    adopted.refresh_from_db()
    # The adopted programme's live data changes after adoption: the batch renders what was
    # adopted, not this.
    MeasureFactory(programme=adopted)
    renders.clear()
    return {"draft": draft, "other": other, "adopted": adopted, "version": version}


def run_command(capture, *args) -> tuple[str, list]:
    out = StringIO()
    with capture(execute=True) as sent:
        call_command("render_programmes", *args, stdout=out)
    return out.getvalue(), sent


def test_the_command_renders_every_area_of_the_year_once_as_it_stands(
    year_programmes, renders, django_capture_on_commit_callbacks
):
    draft, other, adopted = (year_programmes[k] for k in ("draft", "other", "adopted"))
    version: ProgrammeVersion = year_programmes["version"]

    output, sent = run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))

    # One task per area that needed a PDF; the adopted one had its PDF already.
    assert len(sent) == 2
    assert sorted(renders) == sorted([draft.area.slug, other.area.slug])
    for programme in (draft, other):
        rendering = Rendering.objects.get(programme=programme)
        assert rendering.status == R.READY
        assert rendering.content_hash == content_hash(compose(programme))
        assert f"{programme.area.name} {YEAR}: queued" in output
    assert list(Rendering.objects.filter(programme=adopted)) == [version.rendering]
    assert f"{adopted.area.name} {YEAR}: ready already" in output
    # The areas running that year without a programme are named.
    missing = output.split(f"No programme for {YEAR}: ")[1].splitlines()[0]
    assert "Romsås" in missing and "Bjørnerud" in missing
    assert draft.area.name not in missing and adopted.area.name not in missing
    assert f"{YEAR}: 3 programmes, 2 queued, 1 ready already." in output


def test_the_command_run_again_renders_nothing(
    year_programmes, renders, django_capture_on_commit_callbacks
):
    run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))
    renders.clear()
    count = Rendering.objects.count()

    output, sent = run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))

    assert sent == [] and renders == []
    assert Rendering.objects.count() == count
    assert f"{YEAR}: 3 programmes, 0 queued, 3 ready already." in output


def test_a_changed_draft_is_rendered_again_by_the_next_run(
    year_programmes, renders, django_capture_on_commit_callbacks
):
    run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))
    draft = year_programmes["draft"]
    ActionProgramme.objects.filter(pk=draft.pk).update(risks="Byggestart kan bli utsatt.")
    renders.clear()

    output, sent = run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))

    assert renders == [draft.area.slug] and len(sent) == 1
    assert Rendering.objects.filter(programme=draft).count() == 2


def test_a_failed_pdf_is_tried_again_by_the_batch(
    year_programmes, renders, django_capture_on_commit_callbacks
):
    other = year_programmes["other"]
    failed = services.rendering_request(actor=None, programme=other)  # never sent
    Rendering.objects.filter(pk=failed.pk).update(status=R.FAILED, error="borte")

    run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))

    failed.refresh_from_db()
    assert failed.status == R.READY and failed.renders == 1


@pytest.mark.parametrize("year", ["1999", "2101", "9999"])
def test_the_command_refuses_a_year_out_of_range(year):
    with pytest.raises(CommandError):
        call_command("render_programmes", "--year", year, stdout=StringIO())


def test_the_year_without_programmes_names_every_area_and_queues_nothing(
    renders, django_capture_on_commit_callbacks
):
    output, sent = run_command(django_capture_on_commit_callbacks, "--year", str(YEAR))

    assert sent == [] and renders == []
    assert "Grønland og Tøyen" in output and f"{YEAR}: 0 programmes" in output


@pytest.mark.parametrize("role", ["programme_leader", "board", "resident"])
def test_only_the_secretariat_renders_a_whole_year(users, role):
    with pytest.raises(PermissionDenied):
        renderings_request_year(actor=users[role], year=YEAR)


# --- The admin action ---------------------------------------------------------------------------


def changelist(model) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def test_the_admin_action_renders_every_area_of_the_selected_year(
    client, users, year_programmes, renders, django_capture_on_commit_callbacks
):
    draft, other, adopted = (year_programmes[k] for k in ("draft", "other", "adopted"))
    ProgrammeFactory(year=YEAR + 1)  # another year, not selected: not rendered
    client.force_login(users["secretariat"])

    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.post(
            changelist(ActionProgramme),
            {"action": "render_years", "_selected_action": [draft.pk]},
            follow=True,
        )

    assert response.status_code == 200
    # One programme selected, the whole year rendered.
    assert len(sent) == 2
    assert sorted(renders) == sorted([draft.area.slug, other.area.slug])
    shown = [str(message) for message in response.context["messages"]]
    [made] = [m for m in shown if "being made" in m or "lages" in m]
    assert draft.area.name in made and other.area.name in made
    [unchanged] = [m for m in shown if adopted.area.name in m]
    assert draft.area.name not in unchanged
    assert any("Romsås" in m for m in shown)
    assert not Rendering.objects.filter(programme__year=YEAR + 1).exists()


@pytest.mark.parametrize("role", ["programme_leader", "board"])
def test_the_admin_and_its_action_are_the_secretariats(
    client, users, year_programmes, renders, role, django_capture_on_commit_callbacks
):
    client.force_login(users[role])
    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.post(
            changelist(ActionProgramme),
            {"action": "render_years", "_selected_action": [year_programmes["draft"].pk]},
        )
    assert response.status_code in (302, 403)
    assert sent == [] and renders == []


def test_the_secretariat_opens_the_programme_admin_read_only(client, users, year_programmes):
    client.force_login(users["secretariat"])
    version = year_programmes["version"]
    records = {
        ActionProgramme: year_programmes["adopted"],
        Rendering: version.rendering,
        ProgrammeVersion: version,
    }
    for model, obj in records.items():
        meta = model._meta
        assert client.get(changelist(model)).status_code == 200, model
        page = client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        )
        assert page.status_code == 200, model
        assert b'name="_save"' not in page.content  # shown, not changed
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert client.get(add).status_code == 403, model


def test_the_admin_tries_failed_pdfs_again(
    client, users, year_programmes, renders, django_capture_on_commit_callbacks
):
    failed = services.rendering_request(actor=None, programme=year_programmes["other"])
    Rendering.objects.filter(pk=failed.pk).update(status=R.FAILED, error="borte")
    client.force_login(users["secretariat"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist(Rendering),
            {"action": "retry_failed", "_selected_action": [failed.pk]},
            follow=True,
        )

    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == R.READY and failed.renders == 1
