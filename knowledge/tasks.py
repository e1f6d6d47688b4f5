from celery import shared_task

from . import services


@shared_task(name="knowledge.sync_programme_documents")
def sync_programme_documents() -> int:
    """The periodic sweep that puts newly published action programmes into the archive."""
    return services.programme_documents_sync()
