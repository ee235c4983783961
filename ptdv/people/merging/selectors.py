"""One person, one record: finding probable duplicates across the whole tree.

Three kinds of pairs: the same citizen ID (only possible for data entered before the
unique check, kept for completeness), the same folded name and date of birth, and near
matches — same birth year and given name, folded names almost equal (a typo, a missing
middle name, or a different day of birth). A user sees only the pairs whose two records
both lie in their scope, so the province sees pairs across districts.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ptdv.access.scope import scope_q
from ptdv.people.models import DuplicateDismissal, Person

NEAR_RATIO = 0.85
MAX_BLOCK = 60


@dataclass(frozen=True)
class Pair:
    a: Person
    b: Person
    reason: str  # "citizen_id" | "name_birth" | "near"


def _candidates(base: Any) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()

    def add(x: int, y: int, reason: str) -> None:
        key = (min(x, y), max(x, y))
        if key not in seen:
            seen.add(key)
            found.append((key[0], key[1], reason))

    by_cid: dict[str, list[int]] = defaultdict(list)
    by_name_birth: dict[tuple[str, Any], list[int]] = defaultdict(list)
    blocks: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    rows = base.order_by("id").values_list("id", "name_folded", "date_of_birth", "citizen_id")
    for pk, name, born, cid in rows.iterator(chunk_size=5000):  # one pass, one query
        if cid:
            by_cid[cid].append(pk)
        by_name_birth[(name, born)].append(pk)
        blocks[(born.year, name.rsplit(" ", 1)[-1])].append((pk, name))
    for groups, reason in ((by_cid, "citizen_id"), (by_name_birth, "name_birth")):
        for ids in groups.values():
            for other in ids[1:]:
                add(ids[0], other, reason)
    for members in blocks.values():
        for pk1, pk2 in _near(members):
            add(pk1, pk2, "near")
    return found


def _near(members: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """The near pairs of one block (same birth year and given name), unless it is too big."""
    if len(members) < 2 or len(members) > MAX_BLOCK:
        return []
    return [
        (pk1, pk2)
        for i, (pk1, n1) in enumerate(members)
        for pk2, n2 in members[i + 1 :]
        if n1 == n2 or difflib.SequenceMatcher(None, n1, n2).ratio() >= NEAR_RATIO
    ]


def duplicate_pairs(*, user: Any, limit: int = 200) -> list[Pair]:
    base = Person.objects.filter(merged_into__isnull=True).filter(
        scope_q(user, field="org_unit", perm="exchange.merge")
    )
    dismissed = set(DuplicateDismissal.objects.values_list("person_a_id", "person_b_id"))
    triples = [t for t in _candidates(base) if (t[0], t[1]) not in dismissed][:limit]
    people = Person.objects.in_bulk(
        {pk for t in triples for pk in t[:2]}
    )  # one query for all the people shown
    org_ids = {p.org_unit_id for p in people.values()}
    from ptdv.organizations.models import OrgUnit

    units = OrgUnit.objects.in_bulk(org_ids)
    for p in people.values():
        p.org_unit = units[p.org_unit_id]
    order = {"citizen_id": 0, "name_birth": 1, "near": 2}
    pairs = [Pair(people[a], people[b], reason) for a, b, reason in triples]
    pairs.sort(key=lambda p: (order[p.reason], p.a.sort_key))
    return pairs


def duplicates_of(person: Person) -> Any:
    """Records that look like this one (for a person page or the import)."""
    return (
        Person.objects.filter(merged_into__isnull=True)
        .exclude(pk=person.pk)
        .filter(
            Q(name_folded=person.name_folded, date_of_birth__year=person.date_of_birth.year)
            | (Q(citizen_id=person.citizen_id) if person.citizen_id else Q(pk__in=[]))
        )
    )
