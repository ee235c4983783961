"""Yearly source lists of each cell with their entries (bulk; no rule involved)."""

from __future__ import annotations

from ptdv.admissions.models import (
    SourceEntry,
    SourceList,
)
from ptdv.demo import plan as P
from ptdv.demo.steps.admissions.runner import Runner, shift


def source_lists(r: Runner, people: list[P.PlannedPerson], case_keys: set[int]) -> None:
    """Yearly source lists of each cell with their entries (bulk; no rule involved)."""
    lists: dict[tuple[str, int], SourceList] = {}
    for p in people:
        key = (p.cell, p.candidate_since.year)  # type: ignore[union-attr]
        if key not in lists:
            lists[key] = SourceList(
                org_unit_id=r.units[p.cell].pk, kind=SourceList.Kind.YEARLY, year=key[1]
            )
    SourceList.objects.bulk_create(lists.values(), batch_size=1000)
    entries = []
    for p in people:
        assert p.candidate_since is not None
        if p.admitted_on:
            status, removed_on, reason = SourceEntry.Progress.ADMITTED, None, ""
        elif p.key in case_keys:
            status, removed_on, reason = SourceEntry.Progress.FOSTERED, None, ""
        elif p.candidate_since.year < 2022:
            status = SourceEntry.Progress.REMOVED
            removed_on = shift(p.candidate_since, 700)
            reason = "Chuyển nơi cư trú / không còn đủ điều kiện bồi dưỡng"
        else:
            status, removed_on, reason = SourceEntry.Progress.FOSTERED, None, ""
        entries.append(
            SourceEntry(
                source_list=lists[(p.cell, p.candidate_since.year)],
                person_id=r.ctx.person_ids[p.key],
                added_on=p.candidate_since,
                status=status,
                removed_on=removed_on,
                removed_reason=reason,
            )
        )
    SourceEntry.objects.bulk_create(entries, batch_size=1000)
    through = SourceEntry.helpers.through
    links = []
    for p, e in zip(people, entries, strict=True):
        r.entries[p.key] = e.pk
        helpers = r.officials.in_cell(p.cell, p.candidate_since) or r.officials.in_grassroots(  # type: ignore[arg-type]
            p.grassroots,
            p.candidate_since,  # type: ignore[arg-type]
        )
        if helpers:
            links.append(
                through(sourceentry_id=e.pk, person_id=r.ctx.person_ids[r.rng.choice(helpers)])
            )
    through.objects.bulk_create(links, batch_size=2000)
    r.ctx.say(f"  {len(lists)} danh sách nguồn, {len(entries)} quần chúng trong nguồn")
