"""Public pages of the handlingsprogram: the published version, a draft out for comments and
residents' comments on it, what changed between versions, and the published PDF.

Anything not public (``permissions.programmes_public``) is a 404, whoever asks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import versions
from core.files import private_file_response
from core.forms import show_service_errors
from core.page_cache import cached_for_visitors

from .. import public_selectors as selectors
from ..comments import CommentForm, comments_refusal, resolve_target
from ..diff import compare
from ..models import ActionProgramme, Rendering, Section
from ..paging import content_pages, measure_url
from ..services import comment_submit

YEARS = range(2000, 2101)


def _programme(area: str, year: int) -> ActionProgramme:
    if year not in YEARS:
        raise Http404
    try:
        return selectors.public_programme(area, year)
    except ActionProgramme.DoesNotExist as exc:
        raise Http404 from exc


def _contents(measures) -> list[dict]:
    """The table of contents: each section's id and heading, under the measures' the ones on
    the page shown."""
    entries = []
    for code, label in Section.choices:
        entry = {"id": code, "label": label, "children": []}
        if code == Section.MEASURES:
            entry["children"] = [
                {"id": f"tiltak-{m['number']}", "label": f"{m['number']}. {m['title']}"}
                for m in measures
            ]
        entries.append(entry)
    return entries


@require_GET
# A draft on høring is composed from the live data of every topic, and its comments close
# with the clock.
@cached_for_visitors(*versions.TOPICS, seconds=60)
def programme_detail(request, area: str, year: int):
    """The programme: the latest published version, or the draft while it is out for
    comments, with the comments moderation has shown under their section or measure."""
    programme = _programme(area, year)
    content, latest, hearing = selectors.public_content(programme)
    pages = content_pages(request, content)
    shown = pages["measure_page"].object_list
    by_section, by_measure = selectors.shown_comments(programme, shown) if hearing else ({}, {})
    # How many versions there are, not what they hold (each holds the whole programme).
    published = selectors.published_versions(programme).count() if not hearing else 0
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "content": content,
            "latest": latest,
            "hearing": hearing,
            "show_comments": hearing,
            "comments_open": hearing and comments_refusal(programme) is None,
            "refusal": comments_refusal(programme) if hearing else None,
            "comments": by_section,
            "measure_comments": by_measure,
            "contents": _contents(shown),
            "heading": 2,
            "several_versions": published > 1 or (hearing and latest is not None),
            **pages,
        },
    )


def programme_comment(request, area: str, year: int):
    """GET ?om=<section or tiltak-N> preselects what the comment is about; POST gives the
    comment (``services.comment_submit``). After the comment period, the page says so."""
    programme = _programme(area, year)
    content, _latest, _hearing = selectors.public_content(programme)
    refusal = comments_refusal(programme)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        content=content,
        user=request.user,
        initial={"target": request.GET.get("om", "")},
    )
    if refusal is None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = resolve_target(programme, content, data["target"])
        if target is None:
            form.add_error("target", _("Choose what your comment is about."))
        else:
            section, measure = target
            actor = request.user if request.user.is_authenticated else None
            try:
                comment_submit(
                    actor=actor,
                    programme=programme,
                    section=section,
                    measure=measure,
                    text=data["text"],
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    consent=data.get("consent", False),
                    language=translation.get_language(),
                )
            except ValidationError as exc:  # a refusal for now (closed) is one, too
                refusal = comments_refusal(programme)
                show_service_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                if actor is None:
                    messages.success(
                        request,
                        _(
                            "Thank you for your comment. Staff read it before it is shown on "
                            "the page; it is followed up like any input."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("Thank you for your comment. It is shown under what it is about."),
                    )
                if measure is not None:
                    number = int(data["target"].removeprefix("tiltak-"))
                    return redirect(measure_url(programme, number))
                return redirect(f"{programme.get_absolute_url()}#{data['target']}")
    status = 400 if request.method == "POST" and (refusal is not None or form.errors) else 200
    return render(
        request,
        "programmes/programme_comment.html",
        {"programme": programme, "content": content, "form": form, "refusal": refusal},
        status=status,
    )


@require_GET
def programme_versions(request, area: str, year: int):
    """The published versions, and what changed from each to the next."""
    programme = _programme(area, year)
    versions = list(selectors.published_versions(programme))
    rows = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        rows.append(
            {
                "version": version,
                "changes": compare(older.content, version.content) if older else None,
                "older": older,
            }
        )
    return render(
        request,
        "programmes/programme_versions.html",
        {"programme": programme, "rows": rows},
    )


@require_GET
def version_pdf(request, area: str, year: int, number: int):
    """The PDF of a published version, from private storage; 404 for anything else."""
    programme = _programme(area, year)
    version = (
        selectors.published_versions(programme)
        .filter(number=number, rendering__status=Rendering.Status.READY)
        .exclude(rendering__pdf="")
        .first()
        if 0 < number < 32768
        else None
    )
    if version is None:
        raise Http404
    filename = f"handlingsprogram-{programme.year}-{programme.area.slug}-v{version.number}.pdf"
    return private_file_response(
        version.rendering.pdf, filename=filename, content_type="application/pdf"
    )


def pdf_url(programme: ActionProgramme, version) -> str:
    return reverse(
        "programmes:version_pdf",
        kwargs={"area": programme.area.slug, "year": programme.year, "number": version.number},
    )


urlpatterns = [
    path("handlingsprogram/<slug:area>/<int:year>/", programme_detail, name="detail"),
    path(
        "handlingsprogram/<slug:area>/<int:year>/kommentar/",
        programme_comment,
        name="comment",
    ),
    path(
        "handlingsprogram/<slug:area>/<int:year>/versjoner/",
        programme_versions,
        name="versions",
    ),
    path(
        "handlingsprogram/<slug:area>/<int:year>/versjon-<int:number>.pdf",
        version_pdf,
        name="version_pdf",
    ),
]
