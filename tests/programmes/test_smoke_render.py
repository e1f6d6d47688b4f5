from programmes import services
from programmes.compose import compose
from programmes.models import Rendering
from tests.pdf import pdf_text
from tests.projects.factories import BudgetLineFactory

from .factories import MeasureFactory


def test_adopted_programme_renders(users, django_capture_on_commit_callbacks):
    measure = MeasureFactory()
    BudgetLineFactory(project=measure.project, year=2027, planned=125000)
    programme = measure.programme
    leader = users["programme_leader"]
    services.programme_send_for_review(actor=leader, programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.programme_adopt(actor=leader, programme=programme)
    rendering = Rendering.objects.get(pk=version.rendering_id)
    assert rendering.status == Rendering.Status.READY, rendering.error
    text = pdf_text(rendering.pdf.open("rb").read())
    assert measure.project.title in text
    assert compose(programme)["budget"]["total"] == 125000
