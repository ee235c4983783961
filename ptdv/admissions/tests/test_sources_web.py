"""Source lists on the web (issue 15 point 8): name search within scope, several people
at once (all or none), dated helper assignments, and what each entry still lacks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ptdv.admissions import readiness, sources
from ptdv.admissions import services as S
from ptdv.admissions.models import SourceEntry
from ptdv.admissions.source_models import SourceHelper
from ptdv.admissions.tests.conftest import TODAY, make_member
from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError

pytestmark = pytest.mark.django_db
D = dt.date


BORN = D(1998, 6, 1)


def _mass(unit: Any, name: str, born: dt.date = BORN) -> Any:
    from ptdv.people.services import person_create

    return person_create(
        actor=None,
        org_unit=unit,
        full_name=name,
        date_of_birth=born,
        gender="male",
        education_general="upper_secondary",
        audit=False,
    )


@pytest.fixture
def sl(world: Any) -> Any:
    return S.source_list_get_or_create(
        actor=world.personas.district_officer, org_unit=world.tree.grassroots, year=2026
    )


# --- selectors ---------------------------------------------------------------------------


def test_search_folds_diacritics_and_stays_in_scope(world: Any, sl: Any) -> None:
    inside = _mass(world.tree.other_cell, "Nguyễn Thị Ánh")
    outside = _mass(world.tree.sibling_cell, "Nguyễn Thị Ánh Hồng")
    officer = world.personas.district_officer
    for q in ("nguyen thi anh", "Nguyễn Thị Ánh", "ANH"):
        found = sources.search_candidates(user=officer, source_list=sl, q=q)
        assert inside in found and outside not in found, q
    # members are not offered (they are no source)
    assert not sources.search_candidates(user=officer, source_list=sl, q="dang vien")
    # the cell secretary sees only her cell: the other cell's person is not offered
    secretary = world.personas.cell_secretary
    assert inside not in sources.search_candidates(user=secretary, source_list=sl, q="anh")
    S.source_entry_add(
        actor=officer, source_list=sl, person=inside, added_on=D(2026, 2, 1), today=TODAY
    )
    (hit,) = sources.search_candidates(user=officer, source_list=sl, q="nguyen thi anh")
    assert hit.on_list


# --- services ----------------------------------------------------------------------------


def test_several_people_added_at_once(world: Any, sl: Any) -> None:
    a, b = _mass(world.tree.cell, "Lò Văn Ba"), _mass(world.tree.other_cell, "Lò Thị Bốn")
    added = sources.source_entries_add(
        actor=world.personas.district_officer,
        source_list=sl,
        person_uids=[a.uid, b.uid],
        added_on=D(2026, 3, 1),
        today=TODAY,
    )
    assert {e.person_id for e in added} == {a.pk, b.pk}
    assert AuditEntry.objects.filter(action="admissions.source.added").count() == 2


def test_one_refusal_adds_nobody_and_names_each(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    a, b = _mass(world.tree.cell, "Lò Văn Ba"), _mass(world.tree.cell, "Lò Văn Năm")
    S.source_entry_add(actor=officer, source_list=sl, person=a, added_on=D(2026, 1, 5), today=TODAY)
    member = world.members[0]
    stranger = _mass(world.tree.sibling_cell, "Người Huyện Khác")
    with pytest.raises(sources.BulkRefusedError) as exc:
        sources.source_entries_add(
            actor=officer,
            source_list=sl,
            person_uids=[a.uid, b.uid, member.uid, stranger.uid],
            added_on=D(2026, 3, 1),
            today=TODAY,
        )
    messages = {r.name: r.message for r in exc.value.refusals}
    assert "Lò Văn Ba" in messages and "Đảng Viên 0" in messages
    assert "Người Huyện Khác" not in messages  # outside scope: refused without its name
    assert len(exc.value.refusals) == 3
    assert not SourceEntry.objects.filter(person=b).exists()  # nothing half-written
    assert sl.entries.count() == 1


def test_bad_date_and_empty_choice_refused(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    a = _mass(world.tree.cell, "Lò Văn Ba")
    with pytest.raises(sources.BulkRefusedError):
        sources.source_entries_add(
            actor=officer, source_list=sl, person_uids=[a.uid], added_on=D(2027, 1, 1), today=TODAY
        )
    with pytest.raises(DomainError):
        sources.source_entries_add(
            actor=officer, source_list=sl, person_uids=[], added_on=D(2026, 1, 1), today=TODAY
        )
    assert not sl.entries.exists()


def _entry(world: Any, sl: Any) -> Any:
    return S.source_entry_add(
        actor=world.personas.district_officer,
        source_list=sl,
        person=world.applicant,
        added_on=D(2026, 1, 5),
        today=TODAY,
    )


def test_helpers_changed_with_history_kept(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    entry = _entry(world, sl)
    m0, m1, m2 = world.members[:3]
    sources.source_helpers_change(
        actor=officer, entry=entry, helpers=[m0, m1], on=D(2026, 2, 1), today=TODAY
    )
    sources.source_helpers_change(
        actor=officer,
        entry=entry,
        helpers=[m1, m2],
        on=D(2026, 6, 1),
        reason="Chuyển công tác",
        today=TODAY,
    )
    rows = {
        (r.helper_id, r.start_on, r.end_on, r.reason)
        for r in SourceHelper.objects.filter(entry=entry)
    }
    assert rows == {
        (m0.pk, D(2026, 2, 1), D(2026, 6, 1), "Chuyển công tác"),
        (m1.pk, D(2026, 2, 1), None, ""),
        (m2.pk, D(2026, 6, 1), None, ""),
    }
    assert set(entry.helpers.values_list("pk", flat=True)) == {m1.pk, m2.pk}
    audit = (
        AuditEntry.objects.filter(action="admissions.source.helpers_changed").order_by("id").last()
    )
    assert audit.data["ended"] == ["Đảng Viên 0"] and audit.data["started"] == ["Đảng Viên 2"]


@pytest.mark.parametrize(
    ("who", "on", "reason", "code_field"),
    [
        ("outsider", D(2026, 2, 1), "", "helpers"),  # a member of another district
        ("masses", D(2026, 2, 1), "", "helpers"),  # not a party member
        ("self", D(2026, 2, 1), "", "helpers"),
        ("member", D(2025, 12, 31), "", "on"),  # before the entry
        ("member", D(2027, 1, 1), "", "on"),  # future
        ("late_member", D(2026, 2, 1), "", "helpers"),  # not yet official that day
    ],
)
def test_helper_refusals(
    world: Any, sl: Any, who: str, on: Any, reason: str, code_field: str
) -> None:
    entry = _entry(world, sl)
    helper = {
        "outsider": lambda: make_member(world.tree, "Ngoài Huyện", cell=world.tree.sibling_cell),
        "masses": lambda: _mass(world.tree.cell, "Quần Chúng"),
        "self": lambda: world.applicant,
        "member": lambda: world.members[0],
        "late_member": lambda: make_member(world.tree, "Mới Vào", admitted=D(2025, 9, 1)),
    }[who]()
    with pytest.raises(DomainError) as exc:
        sources.source_helpers_change(
            actor=world.personas.district_officer,
            entry=entry,
            helpers=[helper],
            on=on,
            reason=reason,
            today=TODAY,
        )
    assert exc.value.field == code_field
    assert exc.value.message
    assert not SourceHelper.objects.filter(entry=entry).exists()


def test_change_needs_a_reason_and_a_change(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    entry = _entry(world, sl)
    m0, m1 = world.members[:2]
    sources.source_helpers_change(
        actor=officer, entry=entry, helpers=[m0], on=D(2026, 2, 1), today=TODAY
    )
    with pytest.raises(DomainError):  # same helpers
        sources.source_helpers_change(
            actor=officer, entry=entry, helpers=[m0], on=D(2026, 3, 1), today=TODAY
        )
    with pytest.raises(DomainError):  # ends m0 without a reason
        sources.source_helpers_change(
            actor=officer, entry=entry, helpers=[m1], on=D(2026, 3, 1), today=TODAY
        )
    with pytest.raises(DomainError):  # ends m0 before it began
        sources.source_helpers_change(
            actor=officer, entry=entry, helpers=[m1], on=D(2026, 1, 20), reason="x", today=TODAY
        )
    assert SourceHelper.objects.filter(entry=entry).count() == 1


# --- what a source lacks -------------------------------------------------------------------


def test_readiness_reuses_the_admission_checks(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    young = _mass(world.tree.cell, "Còn Nhỏ", born=D(2009, 1, 1))
    old = _mass(world.tree.cell, "Đã Già", born=D(1960, 1, 1))
    for p in (young, old):
        S.source_entry_add(
            actor=officer, source_list=sl, person=p, added_on=D(2026, 1, 5), today=TODAY
        )
    entries = list(sl.entries.select_related("person"))
    ready = readiness.readiness_of(entries, TODAY)
    by_name = {e.person.full_name: ready[e.pk] for e in entries}
    codes_young = {lack.topic for lack in by_name["Còn Nhỏ"].lacks}
    assert {
        "Giấy chứng nhận lớp bồi dưỡng",
        "Tuổi",
        "Người giới thiệu",
        "Thẩm tra lý lịch",
    } <= codes_young
    old_age = [lack for lack in by_name["Đã Già"].lacks if lack.topic == "Tuổi"]
    assert old_age and old_age[0].warning  # over 60: consent still to record, a warning
    assert all(not r.ready for r in by_name.values())
    topics = [topic for topic, _w, _t in by_name["Còn Nhỏ"].badges]
    assert len(topics) == len(set(topics))  # one badge per topic, however many findings


def test_readiness_of_a_case_ready_for_the_vote(world: Any, sl: Any) -> None:
    from ptdv.admissions.tests.conftest import drive

    entry = _entry(world, sl)
    case = drive(world, "introductions_collected")
    r = readiness.readiness_of(
        [SourceEntry.objects.select_related("person").get(pk=entry.pk)], D(2024, 7, 15)
    )[entry.pk]
    assert r.case == case and r.checked
    assert r.ready, [lack.message for lack in r.lacks]
    S.cell_vote_record(
        actor=world.personas.district_officer,
        case=case,
        on=D(2024, 8, 1),
        counts=S.VoteCounts(6, 6, 6, 0, "01"),
        today=TODAY,
    )
    r = readiness.readiness_of(
        [SourceEntry.objects.select_related("person").get(pk=entry.pk)], D(2024, 8, 2)
    )[entry.pk]
    assert not r.checked and r.case is not None  # past the vote: the case page says the rest


# --- views --------------------------------------------------------------------------------


def _client(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def test_page_search_add_and_scope_attack(client: Any, world: Any, sl: Any) -> None:
    a = _mass(world.tree.cell, "Hà Văn Mười")
    b = _mass(world.tree.other_cell, "Hà Thị Một")
    stranger = _mass(world.tree.sibling_cell, "Hà Văn Lạ")
    c = _client(client, world.personas.district_officer)
    page = c.get(reverse("admissions:source_list", args=[sl.uid]), {"q": "ha"})
    html = page.content.decode()
    assert "Hà Văn Mười" in html and "Hà Thị Một" in html and "Hà Văn Lạ" not in html
    frag = c.get(reverse("admissions:source_search", args=[sl.uid]), {"q": "ha van"})
    assert "Hà Văn Mười" in frag.content.decode() and "Hà Văn Lạ" not in frag.content.decode()
    url = reverse("admissions:source_people_add", args=[sl.uid])
    # an id of another district's person: refused, nothing written, the name not shown
    r = c.post(url, {"person": [a.uid, stranger.uid], "added_on": "01/03/2026"}, follow=True)
    text = r.content.decode()
    assert "Không ai được thêm" in text and "Hà Văn Lạ" not in text
    assert not sl.entries.exists()
    r = c.post(url, {"person": [a.uid, b.uid], "added_on": "01/03/2026"}, follow=True)
    assert set(sl.entries.values_list("person_id", flat=True)) == {a.pk, b.pk}
    # again: each refusal in Vietnamese
    r = c.post(url, {"person": [a.uid], "added_on": "01/03/2026"}, follow=True)
    assert "Hà Văn Mười: Người này đã có trong danh sách" in r.content.decode()
    # bad input: a date that is no date
    r = c.post(url, {"person": [b.uid], "added_on": "31/02/2026"}, follow=True)
    assert "Vui lòng sửa" in r.content.decode()
    assert sl.entries.count() == 2
    # the other district's officer: the list is not found
    sib = _client(client, world.personas.sibling_officer)
    assert sib.get(reverse("admissions:source_list", args=[sl.uid])).status_code == 404
    assert sib.post(url, {"person": [stranger.uid], "added_on": "01/03/2026"}).status_code == 404
    assert sl.entries.count() == 2


def test_helpers_page(client: Any, world: Any, sl: Any) -> None:
    entry = _entry(world, sl)
    c = _client(client, world.personas.district_officer)
    url = reverse("admissions:source_helpers", args=[entry.uid])
    page = c.get(url)
    assert page.status_code == 200 and "Đảng Viên 3" in page.content.decode()
    # the members offered are those official on the day asked (none before 2010)
    assert "Đảng Viên 3" not in c.get(url, {"on": "01/01/2009"}).content.decode()
    assert "Đảng Viên 3" in c.get(url, {"on": "not a date"}).content.decode()
    m = world.members[3]
    r = c.post(url, {"helper": [m.uid], "on": "01/02/2026", "reason": ""})
    assert r.status_code == 302
    assert list(entry.helpers.all()) == [m]
    # a helper of another district, posted by hand: refused with a message, nothing changed
    outsider = make_member(world.tree, "Ngoài Huyện", cell=world.tree.sibling_cell)
    r = c.post(url, {"helper": [outsider.uid], "on": "01/03/2026", "reason": "đổi"})
    assert r.status_code == 400 and "chính thức" in r.content.decode()
    assert list(entry.helpers.all()) == [m]
    sib = _client(client, world.personas.sibling_officer)
    assert sib.get(url).status_code == 404
    viewer = _client(client, world.personas.viewer)
    assert viewer.post(url, {"helper": [], "on": "01/03/2026", "reason": "x"}).status_code == 403


def test_list_page_queries_do_not_grow(client: Any, world: Any, sl: Any) -> None:
    from ptdv.admissions.tests.conftest import drive

    officer = world.personas.district_officer
    c = _client(client, officer)
    url = reverse("admissions:source_list", args=[sl.uid])

    def fill(n: int, start: int) -> None:
        for i in range(start, start + n):
            p = _mass(world.tree.cell, f"Nguồn Số {i}")
            e = S.source_entry_add(
                actor=officer, source_list=sl, person=p, added_on=D(2026, 1, 5), today=TODAY
            )
            sources.source_helpers_change(
                actor=officer,
                entry=e,
                helpers=[world.members[i % 6]],
                on=D(2026, 2, 1),
                today=TODAY,
            )

    _entry(world, sl)
    drive(world, "introductions_collected")
    fill(2, 0)
    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    fill(7, 10)
    with CaptureQueriesContext(connection) as big:
        assert c.get(url).status_code == 200
    assert len(big) == len(small)


# --- the dated assignments elsewhere: add with helpers, removal, restructuring ------------


def test_add_with_helpers_and_removal_keep_dated_rows(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    m0 = world.members[0]
    entry = S.source_entry_add(
        actor=officer,
        source_list=sl,
        person=world.applicant,
        added_on=D(2026, 1, 5),
        helpers=[m0],
        today=TODAY,
    )
    (row,) = SourceHelper.objects.filter(entry=entry)
    assert (row.helper_id, row.start_on, row.end_on) == (m0.pk, D(2026, 1, 5), None)
    S.source_entry_remove(
        actor=officer, entry=entry, on=D(2026, 4, 1), reason="Chuyển nơi cư trú", today=TODAY
    )
    row.refresh_from_db()
    assert (row.end_on, row.reason) == (D(2026, 4, 1), "Chuyển nơi cư trú")


def test_helpers_follow_a_carried_entry_and_come_back_on_undo(world: Any) -> None:
    from ptdv.restructuring import services as rs
    from ptdv.restructuring.services import Decision

    tree, officer = world.tree, world.personas.district_officer
    helper = make_member(tree, "Giúp Đỡ Viên", cell=tree.other_cell)
    person = _mass(tree.other_cell, "Nguồn Sáp Nhập")
    old_list = S.source_list_get_or_create(actor=officer, org_unit=tree.other_cell, year=2025)
    entry = S.source_entry_add(
        actor=officer,
        source_list=old_list,
        person=person,
        added_on=D(2025, 1, 5),
        helpers=[helper],
        today=D(2025, 8, 1),
    )
    day = D(2025, 7, 1)
    op = rs.merge(
        actor=None,
        units=[tree.other_cell],
        into=tree.cell,
        date=day,
        decision=Decision("45-QĐ/ĐU", D(2025, 6, 25), "Ban Thường vụ Đảng ủy xã"),
    )
    copy = SourceEntry.objects.get(carried_from=entry)
    assert list(SourceHelper.objects.filter(entry=entry).values_list("start_on", "end_on")) == [
        (D(2025, 1, 5), day)
    ]
    assert list(
        SourceHelper.objects.filter(entry=copy).values_list("helper_id", "start_on", "end_on")
    ) == [(helper.pk, day, None)]
    rs.restructure_undo(actor=None, op=op)
    assert list(SourceHelper.objects.filter(entry=entry).values_list("end_on", flat=True)) == [None]


def test_migration_turns_old_helpers_into_dated_rows(world: Any, sl: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ptdv.admissions.migrations.0009_source_helper_periods")
    officer = world.personas.district_officer
    kept = _entry(world, sl)
    gone = S.source_entry_add(
        actor=officer,
        source_list=sl,
        person=_mass(world.tree.cell, "Đã Rời Nguồn"),
        added_on=D(2026, 1, 10),
        today=TODAY,
    )
    S.source_entry_remove(actor=officer, entry=gone, on=D(2026, 5, 1), reason="x", today=TODAY)
    # as before the migration: helpers only in the many-to-many, no dated row
    kept.helpers.add(world.members[0])
    gone.helpers.add(world.members[1])
    SourceHelper.objects.all().delete()
    migration.copy_helpers(apps, None)
    rows = set(SourceHelper.objects.values_list("entry_id", "helper_id", "start_on", "end_on"))
    assert rows == {
        (kept.pk, world.members[0].pk, D(2026, 1, 5), None),
        (gone.pk, world.members[1].pk, D(2026, 1, 10), D(2026, 5, 1)),
    }


def test_a_helper_written_without_a_dated_row_is_ended_on_change(world: Any, sl: Any) -> None:
    officer = world.personas.district_officer
    entry = _entry(world, sl)
    m0, m1 = world.members[:2]
    entry.helpers.add(m0)  # as the demo's bulk writer does: no dated row
    sources.source_helpers_change(
        actor=officer, entry=entry, helpers=[m1], on=D(2026, 3, 1), reason="đổi", today=TODAY
    )
    rows = set(SourceHelper.objects.values_list("helper_id", "start_on", "end_on"))
    assert rows == {(m0.pk, D(2026, 1, 5), D(2026, 3, 1)), (m1.pk, D(2026, 3, 1), None)}
    assert list(entry.helpers.all()) == [m1]
