from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.core.errors import DomainError
from ptdv.people.merging import services as merging
from ptdv.people.merging.selectors import duplicate_pairs
from ptdv.people.models import MembershipEvent, Person
from ptdv.people.services import membership_event_add, person_create

pytestmark = pytest.mark.django_db


def _p(unit: Any, name: str, dob: dt.date, cid: str | None = None) -> Person:
    return person_create(
        actor=None, org_unit=unit, full_name=name, date_of_birth=dob, gender="male", citizen_id=cid
    )


def test_pairs_found_by_name_birth_and_near_match_within_scope(tree: Any, personas: Any) -> None:
    a = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1), "001090000001")
    b = _p(tree.other_cell, "Nguyen Van An", dt.date(1990, 1, 1))
    c = _p(tree.grassroots_cell, "Nguyễn Vă An", dt.date(1990, 7, 7))
    _p(tree.cell, "Trần Thị Bình", dt.date(1990, 1, 1))
    far = _p(tree.sibling_cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    pairs = duplicate_pairs(user=personas.district_officer)
    found = {(p.a.pk, p.b.pk, p.reason) for p in pairs}
    assert (a.pk, b.pk, "name_birth") in found
    assert any(c.pk in (x, y) and r == "near" for x, y, r in found)
    assert all(far.pk not in (x, y) for x, y, _r in found)  # another subtree: not shown
    assert duplicate_pairs(user=personas.viewer) == []


def test_merge_moves_history_and_unmerge_restores(tree: Any, personas: Any) -> None:
    user = personas.district_officer
    kept = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    dup = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1), "001090000001")
    membership_event_add(
        actor=user, person=dup, kind="admitted", date=dt.date(2015, 1, 1), org_unit=tree.cell
    )
    membership_event_add(actor=user, person=dup, kind="recognized", date=dt.date(2016, 1, 1))
    merge = merging.person_merge(actor=user, kept=kept, duplicate=dup, reason="trùng")
    kept.refresh_from_db()
    dup.refresh_from_db()
    assert kept.status == "official" and kept.admitted_on == dt.date(2015, 1, 1)
    assert kept.citizen_id == "001090000001"
    assert dup.merged_into == kept and dup.status == "none"
    assert MembershipEvent.objects.filter(person=kept).count() == 2
    assert duplicate_pairs(user=user) == []
    merging.person_unmerge(actor=user, merge=merge)
    kept.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into is None and dup.status == "official" and dup.citizen_id == "001090000001"
    assert kept.status == "none" and kept.citizen_id is None
    assert MembershipEvent.objects.filter(person=dup).count() == 2
    from ptdv.audit.models import AuditEntry

    assert (
        AuditEntry.objects.filter(
            action__in=["exchange.person.merged", "exchange.person.unmerged"]
        ).count()
        == 2
    )
    with pytest.raises(DomainError):
        merging.person_unmerge(actor=user, merge=merge)


def test_merge_of_two_admissions_refused_and_nothing_moves(tree: Any, personas: Any) -> None:
    user = personas.district_officer
    a = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    b = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    for p in (a, b):
        membership_event_add(
            actor=user, person=p, kind="admitted", date=dt.date(2015, 1, 1), org_unit=tree.cell
        )
    with pytest.raises(DomainError):
        merging.person_merge(actor=user, kept=a, duplicate=b)
    assert MembershipEvent.objects.filter(person=b).count() == 1
    b.refresh_from_db()
    assert b.merged_into is None


def test_merge_needs_permission(tree: Any, personas: Any) -> None:
    a = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    b = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    for name in ("cell_secretary", "viewer", "sibling_officer", "centre_staff"):
        with pytest.raises(DomainError):
            merging.person_merge(actor=getattr(personas, name), kept=a, duplicate=b)


def test_review_queue_by_persona_and_merge_from_the_page(
    client: Any, tree: Any, personas: Any
) -> None:
    from django.urls import reverse

    a = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    b = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    expected = {"district_officer": 200, "sibling_officer": 200}
    for name, user in personas.all().items():
        client.force_login(user)
        r = client.get(reverse("exchange:duplicates"))
        assert r.status_code == expected.get(name, 403), name
        if name == "sibling_officer":
            assert b"pair-1" not in r.content
            r = client.post(reverse("exchange:duplicate_merge"), {"a": a.uid, "b": b.uid})
            assert r.status_code == 404
    client.force_login(personas.district_officer)
    r = client.get(reverse("exchange:duplicates"))
    assert b"pair-1" in r.content
    client.post(reverse("exchange:duplicate_merge"), {"a": a.uid, "b": b.uid, "keep": "b"})
    a.refresh_from_db()
    assert a.merged_into_id == b.pk
    from ptdv.people.models import MergeRecord

    merge = MergeRecord.objects.get()
    client.post(reverse("exchange:merge_undo", args=[merge.uid]))
    a.refresh_from_db()
    assert a.merged_into_id is None


def test_merge_moves_other_apps_rows_generically(tree: Any, personas: Any) -> None:
    """An enrolment (training app) follows the kept record and comes back on unmerge."""
    from ptdv.training.models import CourseType, Enrolment
    from ptdv.training.services import class_create, enrol_bulk, institution_create

    user = personas.district_officer
    kept = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    dup = _p(tree.cell, "Nguyễn Văn An", dt.date(1990, 1, 1))
    inst = institution_create(actor=None, code="TTCT-A", name="TTCT", org_unit=tree.district)
    klass = class_create(
        actor=None,
        institution=inst,
        course_type=CourseType.objects.get(code="awareness"),
        code="L1",
        start_on=dt.date(2030, 3, 1),
        end_on=dt.date(2030, 3, 5),
        served_units=[tree.grassroots],
    )
    enrol_bulk(actor=None, klass=klass, person_ids=[dup.pk])
    merge = merging.person_merge(actor=user, kept=kept, duplicate=dup)
    assert Enrolment.objects.get().person_id == kept.pk
    assert any(m.get("model") == "training.enrolment" for m in merge.moved)
    merging.person_unmerge(actor=user, merge=merge)
    assert Enrolment.objects.get().person_id == dup.pk
