"""Reads of reference data for public pages, each a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from .models import Area, District, MainGoal, Programme, SubGoal, SubProgramme


def areas_public() -> QuerySet[Area]:
    """Published areas with their district and programme, ready to render."""
    return Area.objects.filter(is_published=True).select_related(
        "district__programme", "sub_programme"
    )


def area_choices() -> QuerySet[Area]:
    """Published areas by name for a filter's select: slug and name alone (an area's boundary
    and texts in three languages are most of its row, and a select shows none of them)."""
    return Area.objects.filter(is_published=True).only("slug", "name").order_by("name")


@dataclass
class DistrictGroup:
    district: District
    areas: list[Area] = field(default_factory=list)


@dataclass
class ProgrammeGroup:
    programme: Programme
    districts: list[DistrictGroup] = field(default_factory=list)

    @property
    def area_count(self) -> int:
        return sum(len(d.areas) for d in self.districts)


def areas_grouped_by_programme() -> list[ProgrammeGroup]:
    """Published areas grouped by programme (satsing) and then district, in one query."""
    groups: dict[int, ProgrammeGroup] = {}
    districts: dict[int, DistrictGroup] = {}
    areas = areas_public().order_by("district__programme__sort_order", "district__number", "name")
    for area in areas:
        programme = area.district.programme
        group = groups.setdefault(programme.pk, ProgrammeGroup(programme))
        if area.district_id not in districts:
            districts[area.district_id] = DistrictGroup(area.district)
            group.districts.append(districts[area.district_id])
        districts[area.district_id].areas.append(area)
    return list(groups.values())


def area_detail(*, slug: str) -> Area:
    """One published area with its goals and target zones prefetched; raises Area.DoesNotExist."""
    return (
        areas_public()
        .prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("number")),
            "target_zones",
        )
        .get(slug=slug)
    )


def served_sub_programme() -> SubProgramme | None:
    """The sub-programme the portal serves (Delprogram nærmiljø), with its sub-goals."""
    return (
        SubProgramme.objects.filter(served=True)
        .prefetch_related(Prefetch("sub_goals", queryset=SubGoal.objects.order_by("number")))
        .order_by("sort_order")
        .first()
    )


def main_goals() -> list[MainGoal]:
    return list(MainGoal.objects.all())
