"""Every read the knowledge pages need, each in a fixed number of queries whatever the number
of rows."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from areas.models import Area

from .models import Contact, Document, Member


@dataclass
class Responsibility:
    """Who is responsible, as the public page and the staff page show it."""

    board_leader: Member | None = None
    board: list[Member] = field(default_factory=list)
    committee: list[Member] = field(default_factory=list)
    secretariat: list[Member] = field(default_factory=list)
    programme_contacts: list[Contact] = field(default_factory=list)
    # [(district, [contact, …])] and [(area, [contact, …])], in district and area order.
    district_contacts: list = field(default_factory=list)
    area_contacts: list = field(default_factory=list)


def responsibility() -> Responsibility:
    """The bodies, their members and every contact: two queries."""
    found = Responsibility()
    for member in Member.objects.order_by("-role", "sort_order", "organisation", "pk"):
        if member.body == Member.Body.BOARD and member.role == Member.Role.LEADER:
            found.board_leader = member
        elif member.body == Member.Body.BOARD:
            found.board.append(member)
        elif member.body == Member.Body.COMMITTEE:
            found.committee.append(member)
        else:
            found.secretariat.append(member)
    contacts = Contact.objects.select_related("district", "area__district").order_by(
        "district__number", "area__district__number", "area__name", "sort_order", "name", "pk"
    )
    districts: dict = {}
    areas: dict = {}
    for contact in contacts:
        if contact.area_id:
            areas.setdefault(contact.area, []).append(contact)
        elif contact.district_id:
            districts.setdefault(contact.district, []).append(contact)
        else:
            found.programme_contacts.append(contact)
    found.district_contacts = list(districts.items())
    found.area_contacts = list(areas.items())
    return found


def contacts_for_area(area: Area) -> list[Contact]:
    """The area's own contacts first, then its district's: one query."""
    contacts = Contact.objects.filter(Q(area=area) | Q(district_id=area.district_id))
    return sorted(
        contacts.order_by("sort_order", "name", "pk"), key=lambda c: 0 if c.area_id else 1
    )


# --- Documents ----------------------------------------------------------------------------------


def document_list(scope: QuerySet[Document]) -> QuerySet[Document]:
    """Documents for a list page: their place and programme joined, the PDF's text left out
    (it can be long, and no list shows it)."""
    return scope.select_related(
        "programme", "district", "area__district", "programme_version__programme__area"
    ).defer("text")


def document_detail(scope: QuerySet[Document], pk: int) -> Document:
    """One document with everything its page shows; raises Document.DoesNotExist."""
    return document_list(scope).get(pk=pk)
