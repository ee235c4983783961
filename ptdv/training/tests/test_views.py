import datetime as dt
import io

import pytest
from django.urls import reverse

from ptdv.training import selectors as Q
from ptdv.training import services as S
from ptdv.training.models import Certificate, Enrolment, Result

from .conftest import run_class

D = dt.date
pytestmark = pytest.mark.django_db

# persona → can see the class of district A's centre / can manage it / may nominate
EXPECT = {
    "cell_secretary": (True, False, True),
    "district_officer": (True, True, True),
    "sibling_officer": (False, False, False),
    "viewer": (True, False, False),
    "centre_staff": (True, True, True),
}


def _finished(world):
    k = run_class(world.klass, [world.mass, world.mass2])
    return k


@pytest.mark.parametrize("who", list(EXPECT))
def test_class_page_scoped(client, world, personas, who):
    client.force_login(personas.all()[who])
    r = client.get(reverse("training:detail", args=[world.klass.uid]))
    assert r.status_code == (200 if EXPECT[who][0] else 404)
    r = client.get(reverse("training:list"))
    if EXPECT[who][0]:
        assert world.klass.code in r.content.decode()


@pytest.mark.parametrize("who", list(EXPECT))
def test_only_managers_record_results(client, world, personas, who):
    k = _finished(world)
    e = k.enrolments.get(person=world.mass)
    client.force_login(personas.all()[who])
    r = client.post(
        reverse("training:results", args=[k.uid]), {f"passed-{e.pk}": "1", f"score-{e.pk}": "8"}
    )
    seen, manage, _nominate = EXPECT[who]
    assert r.status_code == (302 if manage else (403 if seen else 404))
    assert Result.objects.filter(enrolment=e).exists() is manage


@pytest.mark.parametrize("who", list(EXPECT))
def test_status_change_needs_manage(client, world, personas, who):
    client.force_login(personas.all()[who])
    r = client.post(
        reverse("training:status", args=[world.klass.uid]),
        {"to": "cancelled", "reason": "Thiếu giảng viên"},
    )
    world.klass.refresh_from_db()
    assert (world.klass.status == "cancelled") is EXPECT[who][1]
    assert r.status_code in (302, 403, 404)


def test_cell_secretary_nominates_only_own_people(client, world, personas):
    client.force_login(personas.cell_secretary)
    url = reverse("training:nominate", args=[world.klass.uid])
    page = client.get(url).content.decode()
    assert world.mass.full_name in page and world.mass2.full_name in page
    assert world.other_mass.full_name not in page  # another cell
    assert world.sibling_mass.full_name not in page
    assert world.probationary.full_name not in page  # not eligible for awareness
    # posting someone of another cell does nothing
    client.post(url, {"person": [str(world.other_mass.uid)]})
    assert Enrolment.objects.count() == 0
    r = client.post(url, {"person": [str(world.mass.uid), str(world.mass2.uid)]})
    assert r.status_code == 302
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"nominated"}
    assert set(Enrolment.objects.values_list("nominated_by_unit", flat=True)) == {
        personas.cell_secretary.positions.get().org_unit_id
    }


def test_centre_enrols_then_accepts(client, world, personas, tree):
    S.enrolment_nominate(actor=None, klass=world.klass, person_ids=[world.mass.pk], unit=tree.cell)
    client.force_login(personas.centre_staff)
    r = client.post(
        reverse("training:nominate", args=[world.klass.uid]),
        {"person": [str(world.other_mass.uid)]},
    )
    assert r.status_code == 302
    assert world.klass.enrolments.get(person=world.other_mass).status == "accepted"
    e = world.klass.enrolments.get(person=world.mass)
    client.post(reverse("training:accept", args=[world.klass.uid]), {"enrolment": [e.pk]})
    e.refresh_from_db()
    assert e.status == "accepted"


def test_bulk_enrol_over_capacity_shows_rows_and_changes_nothing(client, world, personas):
    client.force_login(personas.centre_staff)
    from .conftest import make_person

    extra = [make_person(world.mass.org_unit, f"Người Thứ {i}") for i in range(3)]
    people = [world.mass, world.mass2, *extra]
    r = client.post(
        reverse("training:nominate", args=[world.klass.uid]),
        {"person": [str(p.uid) for p in people]},
        follow=True,
    )
    assert r.status_code == 200
    assert "đủ sĩ số" in r.content.decode()
    assert Enrolment.objects.count() == 0


def test_attendance_grid_htmx_bulk(client, world, personas):
    w = world
    S.enrol_bulk(actor=None, klass=w.klass, person_ids=[w.mass.pk, w.mass2.pk])
    S.class_transition(actor=None, klass=w.klass, to="running", today=w.klass.start_on)
    client.force_login(personas.centre_staff)
    sessions = list(w.klass.sessions.all())
    e1, e2 = w.klass.enrolments.order_by("pk")
    data = {"session": [s.pk for s in sessions]}
    for s in sessions:
        data[f"a-{e1.pk}-{s.pk}"] = "1"
    data[f"a-{e2.pk}-{sessions[0].pk}"] = "1"
    r = client.post(
        reverse("training:attendance", args=[w.klass.uid]), data, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    assert "attendance-grid" in r.content.decode()
    grid = Q.attendance_grid(w.klass)
    assert sum(grid.values()) == 6 and len(grid) == 10
    # "everyone present" for one session
    client.post(
        reverse("training:attendance", args=[w.klass.uid]),
        {"all_present": sessions[1].pk},
        HTTP_HX_REQUEST="true",
    )
    assert Q.attendance_grid(w.klass)[(e2.pk, sessions[1].pk)] is True


def test_results_issue_print_and_export(client, world, personas):
    k = _finished(world)
    client.force_login(personas.centre_staff)
    e1, e2 = k.enrolments.order_by("pk")
    client.post(
        reverse("training:results", args=[k.uid]),
        {f"passed-{e1.pk}": "1", f"score-{e1.pk}": "8,5", f"passed-{e2.pk}": "0"},
    )
    assert Result.objects.get(enrolment=e1).completed
    r = client.post(
        reverse("training:issue", args=[k.uid]),
        {"enrolment": [e1.pk, e2.pk], "issued_on": "09/03/2020"},
        follow=True,
    )
    assert Certificate.objects.count() == 0  # all or nothing: e2 did not complete
    client.post(
        reverse("training:issue", args=[k.uid]), {"enrolment": [e1.pk], "issued_on": "09/03/2020"}
    )
    cert = Certificate.objects.get()
    r = client.get(reverse("training:certificate_print", args=[cert.uid, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = client.get(reverse("training:certificates_print", args=[k.uid, "docx"]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert world.mass.full_name in text and "GIẤY CHỨNG NHẬN" in text
    r = client.get(reverse("training:export", args=[k.uid]))
    assert r.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(row=3, column=2).value == "Họ và tên"
    assert isinstance(ws.cell(row=4, column=3).value, dt.datetime)
    # the sibling district's officer cannot print it
    client.force_login(personas.sibling_officer)
    assert (
        client.get(reverse("training:certificate_print", args=[cert.uid, "pdf"])).status_code == 404
    )


def test_list_and_calendar_query_counts(client, world, personas, django_assert_max_num_queries):
    for i in range(5):
        S.class_create(
            actor=None,
            institution=world.centre,
            course_type=world.awareness,
            code=f"NT-{i + 2:02d}/2020",
            start_on=D(2020, 3, 9 + i),
            end_on=D(2020, 3, 13 + i),
        )
    client.force_login(personas.centre_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:calendar") + "?month=2020-03").status_code == 200


def test_create_class_form(client, world, personas, tree):
    client.force_login(personas.centre_staff)
    r = client.post(
        reverse("training:create"),
        {
            "institution": world.centre.pk,
            "course_type": world.new_member.pk,
            "code": "ĐVM-02/2020",
            "start_on": "04/05/2020",
            "end_on": "10/05/2020",
            "capacity": 60,
            "served_units": [tree.grassroots.pk],
        },
    )
    assert r.status_code == 302
    k = Q.classes_visible_to(personas.centre_staff).get(code="ĐVM-02/2020")
    assert k.sessions.count() == 5
    client.force_login(personas.cell_secretary)
    assert client.get(reverse("training:create")).status_code == 403


def test_person_panel_shows_history(client, world, personas):
    k = _finished(world)
    e = k.enrolments.get(person=world.mass)
    S.result_record(actor=None, klass=k, rows=[S.ResultRow(e.pk, True, "9")])
    S.certificate_issue(actor=None, klass=k, enrolment_ids=[e.pk], issued_on=D(2020, 3, 9))
    client.force_login(personas.cell_secretary)
    html = client.get(reverse("people:detail", args=[world.mass.uid])).content.decode()
    assert "training-history" in html and "1/2020/CN-TTCT" in html


def test_roster_hides_people_of_other_cells(client, world, personas):
    w = world
    k = run_class(w.klass, [w.mass, w.other_mass])
    ids = list(k.enrolments.values_list("pk", flat=True))
    S.result_record(actor=None, klass=k, rows=[S.ResultRow(i, True) for i in ids])
    certs = S.certificate_issue(actor=None, klass=k, enrolment_ids=ids, issued_on=D(2020, 3, 9))
    other = next(c for c in certs if c.person_id == w.other_mass.pk)
    client.force_login(personas.cell_secretary)
    html = client.get(reverse("training:detail", args=[k.uid])).content.decode()
    assert w.mass.full_name in html and w.other_mass.full_name not in html
    r = client.get(reverse("training:certificate_print", args=[other.uid, "pdf"]))
    assert r.status_code == 404
    client.force_login(personas.centre_staff)
    html = client.get(reverse("training:detail", args=[k.uid])).content.decode()
    assert w.other_mass.full_name in html


@pytest.mark.parametrize("who", list(EXPECT))
def test_withdraw_a_nomination(client, world, personas, tree, who):
    (e,) = S.enrolment_nominate(
        actor=None, klass=world.klass, person_ids=[world.mass.pk], unit=tree.cell
    )
    client.force_login(personas.all()[who])
    r = client.post(reverse("training:withdraw", args=[e.uid]))
    e.refresh_from_db()
    seen, manage, nominate = EXPECT[who]
    assert (e.status == "withdrawn") is (manage or nominate)
    # the read-only leader is stopped by the gate before the view (403)
    assert r.status_code == (403 if who == "viewer" else 302 if seen else 404)


def test_class_page_queries_do_not_grow_with_trainees(client, world, personas, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_person

    w = world
    S.class_update(actor=None, klass=w.klass, capacity=20)
    k = run_class(w.klass, [w.mass, w.mass2])
    client.force_login(personas.centre_staff)
    url = reverse("training:detail", args=[k.uid])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    k2 = S.class_create(
        actor=None,
        institution=w.centre,
        course_type=w.awareness,
        code="NT-02/2020",
        start_on=D(2020, 3, 2),
        end_on=D(2020, 3, 6),
        capacity=20,
    )
    S.class_transition(actor=None, klass=k2, to="open")
    people = [make_person(tree.cell, f"Học Viên Số {i}") for i in range(8)]
    k2 = run_class(k2, people)
    with CaptureQueriesContext(connection) as big:
        assert client.get(reverse("training:detail", args=[k2.uid])).status_code == 200
    assert len(big) == len(small)
