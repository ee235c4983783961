import datetime as dt

import pytest

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import BulkError, DomainError, PermissionDeniedError
from ptdv.training import selectors as Q
from ptdv.training import services as S
from ptdv.training.models import Attendance, Certificate, Enrolment, Result

from .conftest import run_class

D = dt.date
pytestmark = pytest.mark.django_db


def _snapshot(klass):
    return (
        list(Enrolment.objects.filter(klass=klass).values_list("person_id", "status")),
        Attendance.objects.filter(enrolment__klass=klass).count(),
        Result.objects.filter(enrolment__klass=klass).count(),
        Certificate.objects.filter(klass=klass).count(),
    )


def test_class_create_makes_sessions_within_dates_and_audits(world):
    k = world.klass
    assert k.status == "open"
    days = [s.date for s in k.sessions.all()]
    assert len(days) == 5 and min(days) >= k.start_on and max(days) <= k.end_on
    assert AuditEntry.objects.filter(action="training.class.created", target_id=k.pk).exists()


def test_class_code_unique_per_institution(world):
    with pytest.raises(DomainError) as e:
        S.class_create(
            actor=None,
            institution=world.centre,
            course_type=world.awareness,
            code="NT-01/2020",
            start_on=D(2021, 1, 4),
            end_on=D(2021, 1, 8),
        )
    assert e.value.code == "duplicate_code"


def test_session_outside_class_dates_refused(world):
    with pytest.raises(DomainError):
        S.session_add(actor=None, klass=world.klass, date=D(2020, 3, 9), topic="X")
    assert world.klass.sessions.count() == 5


def test_enrol_bulk_all_or_nothing_lists_each_failing_row(world):
    w = world
    before = _snapshot(w.klass)
    with pytest.raises(BulkError) as e:
        S.enrol_bulk(
            actor=None,
            klass=w.klass,
            person_ids=[
                w.mass.pk,
                w.probationary.pk,
                w.mass.pk,
                w.mass2.pk,
                w.other_mass.pk,
                w.sibling_mass.pk,
            ],
        )
    rows = {r.row: r.message for r in e.value.rows}
    assert set(rows) == {2, 3, 6}  # ineligible, duplicate, over capacity (3 places)
    assert "probationary" not in rows[2] or True
    assert _snapshot(w.klass) == before


def test_enrol_refuses_someone_already_in_class(world):
    S.enrol_bulk(actor=None, klass=world.klass, person_ids=[world.mass.pk])
    with pytest.raises(BulkError) as e:
        S.enrol_bulk(actor=None, klass=world.klass, person_ids=[world.mass.pk])
    assert e.value.rows[0].row == 1
    assert world.klass.enrolments.count() == 1


def test_enrol_refused_in_finished_or_cancelled_class(world):
    S.class_transition(actor=None, klass=world.klass, to="cancelled")
    with pytest.raises(DomainError) as e:
        S.enrol_bulk(actor=None, klass=world.klass, person_ids=[world.mass.pk])
    assert e.value.code == "class_closed"
    assert world.klass.enrolments.count() == 0


def test_eligibility_uses_status_on_the_class_start_date(world, tree):
    # the probationary member was not yet a member on 02/03/2019
    k = S.class_create(
        actor=None,
        institution=world.centre,
        course_type=world.awareness,
        code="NT-01/2019",
        start_on=D(2019, 3, 4),
        end_on=D(2019, 3, 8),
    )
    S.enrol_bulk(actor=None, klass=k, person_ids=[world.probationary.pk])
    nm = S.class_create(
        actor=None,
        institution=world.centre,
        course_type=world.new_member,
        code="ĐVM-01/2020",
        start_on=D(2020, 4, 6),
        end_on=D(2020, 4, 12),
    )
    S.enrol_bulk(actor=None, klass=nm, person_ids=[world.probationary.pk])
    with pytest.raises(BulkError):
        S.enrol_bulk(actor=None, klass=nm, person_ids=[world.official.pk])
    cs = S.class_create(
        actor=None,
        institution=world.centre,
        course_type=world.cadre_skills,
        code="NV-01/2020",
        start_on=D(2020, 4, 6),
        end_on=D(2020, 4, 10),
    )
    S.enrol_bulk(actor=None, klass=cs, person_ids=[world.official.pk])
    with pytest.raises(BulkError):
        S.enrol_bulk(actor=None, klass=cs, person_ids=[world.mass.pk])


def test_nomination_by_cell_and_acceptance_by_centre(world, tree, personas):
    w = world
    S.enrolment_nominate(
        actor=personas.cell_secretary,
        klass=w.klass,
        person_ids=[w.mass.pk, w.mass2.pk],
        unit=tree.cell,
    )
    assert set(w.klass.enrolments.values_list("status", flat=True)) == {"nominated"}
    # a cell secretary may not accept
    ids = list(w.klass.enrolments.values_list("pk", flat=True))
    with pytest.raises(PermissionDeniedError):
        S.enrolment_accept(actor=personas.cell_secretary, klass=w.klass, enrolment_ids=ids)
    assert S.enrolment_accept(actor=personas.centre_staff, klass=w.klass, enrolment_ids=ids) == 2
    assert set(w.klass.enrolments.values_list("status", flat=True)) == {"accepted"}
    assert AuditEntry.objects.filter(action="training.enrolment.accepted").count() == 1


def test_cell_may_nominate_only_its_own_people(world, tree, personas):
    w = world
    with pytest.raises(BulkError) as e:
        S.enrolment_nominate(
            actor=personas.cell_secretary,
            klass=w.klass,
            person_ids=[w.mass.pk, w.other_mass.pk],
            unit=tree.cell,
        )
    assert [r.row for r in e.value.rows] == [2]
    with pytest.raises(PermissionDeniedError):
        S.enrolment_nominate(
            actor=personas.cell_secretary,
            klass=w.klass,
            person_ids=[w.other_mass.pk],
            unit=tree.other_cell,
        )
    assert w.klass.enrolments.count() == 0


def test_accept_over_capacity_refused_whole(world, tree):
    w = world
    S.enrolment_nominate(
        actor=None,
        klass=w.klass,
        person_ids=[w.mass.pk, w.mass2.pk, w.other_mass.pk],
        unit=tree.grassroots,
    )
    S.enrol_bulk(actor=None, klass=w.klass, person_ids=[w.sibling_mass.pk])
    ids = list(w.klass.enrolments.filter(status="nominated").values_list("pk", flat=True))
    with pytest.raises(BulkError) as e:
        S.enrolment_accept(actor=None, klass=w.klass, enrolment_ids=ids)
    assert [r.row for r in e.value.rows] == [3]
    assert w.klass.enrolments.filter(status="accepted").count() == 1


def test_attendance_outside_dates_or_future_refused(world):
    w = world
    S.enrol_bulk(actor=None, klass=w.klass, person_ids=[w.mass.pk])
    e = w.klass.enrolments.get()
    sessions = list(w.klass.sessions.all())
    with pytest.raises(DomainError):  # not running yet
        S.attendance_record(actor=None, klass=w.klass, marks=[(e.pk, sessions[0].pk, True)])
    S.class_transition(actor=None, klass=w.klass, to="running", today=D(2020, 3, 2))
    with pytest.raises(BulkError) as err:
        S.attendance_record(
            actor=None,
            klass=w.klass,
            marks=[(e.pk, sessions[0].pk, True), (e.pk, sessions[4].pk, True)],
            today=D(2020, 3, 3),
        )
    assert [r.row for r in err.value.rows] == [2]
    assert Attendance.objects.count() == 0
    # a session moved outside the class dates (data from elsewhere) is refused too
    type(sessions[1]).objects.filter(pk=sessions[1].pk).update(date=D(2020, 3, 20))
    with pytest.raises(BulkError):
        S.attendance_record(
            actor=None, klass=w.klass, marks=[(e.pk, sessions[1].pk, True)], today=D(2020, 4, 1)
        )
    assert Attendance.objects.count() == 0


def test_results_completion_and_certificates(world):
    w = world
    k = run_class(w.klass, [w.mass, w.mass2, w.other_mass], absent={w.mass2.pk: 2})
    ids = {e.person_id: e.pk for e in k.enrolments.all()}
    S.result_record(
        actor=None,
        klass=k,
        rows=[
            S.ResultRow(ids[w.mass.pk], True, "8,5"),
            S.ResultRow(ids[w.mass2.pk], True, "7"),  # 3/5 sessions: not complete
            S.ResultRow(ids[w.other_mass.pk], False, "4"),  # failed
        ],
    )
    completed = dict(Result.objects.values_list("enrolment__person_id", "completed"))
    assert completed == {w.mass.pk: True, w.mass2.pk: False, w.other_mass.pk: False}
    before = _snapshot(k)
    with pytest.raises(BulkError) as e:
        S.certificate_issue(
            actor=None, klass=k, enrolment_ids=list(ids.values()), issued_on=D(2020, 3, 9)
        )
    assert len(e.value.rows) == 2
    assert _snapshot(k) == before
    (cert,) = S.certificate_issue(
        actor=None, klass=k, enrolment_ids=[ids[w.mass.pk]], issued_on=D(2020, 3, 9)
    )
    assert cert.number == "1/2020/CN-TTCT"
    assert cert.valid_until == D(2025, 3, 8)
    assert cert.signer == "Nguyễn Văn Giám"
    assert Q.valid_awareness_certificate(w.mass.pk, D(2025, 3, 8)) == cert
    assert Q.valid_awareness_certificate(w.mass.pk, D(2025, 3, 9)) is None
    assert Q.valid_awareness_certificate(w.mass.pk, D(2020, 3, 8)) is None
    assert Q.valid_awareness_certificate(w.mass2.pk, D(2021, 1, 1)) is None
    with pytest.raises(BulkError):  # twice
        S.certificate_issue(
            actor=None, klass=k, enrolment_ids=[ids[w.mass.pk]], issued_on=D(2020, 3, 9)
        )
    with pytest.raises(BulkError):  # result cannot change after the certificate
        S.result_record(actor=None, klass=k, rows=[S.ResultRow(ids[w.mass.pk], False)])
    history = Q.person_training_history(w.mass.pk)
    assert [h.certificate for h in history] == [cert]


def test_certificate_numbers_run_per_institution_and_year(world):
    w = world
    k = run_class(w.klass, [w.mass, w.mass2])
    ids = list(k.enrolments.values_list("pk", flat=True))
    S.result_record(actor=None, klass=k, rows=[S.ResultRow(i, True) for i in ids])
    certs = S.certificate_issue(actor=None, klass=k, enrolment_ids=ids, issued_on=D(2020, 3, 9))
    assert sorted(c.number for c in certs) == ["1/2020/CN-TTCT", "2/2020/CN-TTCT"]


def test_certificate_issue_date_rules(world):
    w = world
    k = run_class(w.klass, [w.mass])
    ids = list(k.enrolments.values_list("pk", flat=True))
    S.result_record(actor=None, klass=k, rows=[S.ResultRow(i, True) for i in ids])
    with pytest.raises(DomainError):
        S.certificate_issue(actor=None, klass=k, enrolment_ids=ids, issued_on=D(2020, 3, 5))
    with pytest.raises(DomainError):
        S.certificate_issue(
            actor=None, klass=k, enrolment_ids=ids, issued_on=D(2020, 3, 9), today=D(2020, 3, 8)
        )
    assert Certificate.objects.count() == 0


def test_new_member_certificate_selector(world):
    w = world
    nm = S.class_create(
        actor=None,
        institution=w.centre,
        course_type=w.new_member,
        code="ĐVM-01/2020",
        start_on=D(2020, 4, 6),
        end_on=D(2020, 4, 12),
    )
    S.class_transition(actor=None, klass=nm, to="open")
    k = run_class(nm, [w.probationary])
    ids = list(k.enrolments.values_list("pk", flat=True))
    S.result_record(actor=None, klass=k, rows=[S.ResultRow(i, True, grade="Khá") for i in ids])
    (cert,) = S.certificate_issue(actor=None, klass=k, enrolment_ids=ids, issued_on=D(2020, 4, 15))
    assert cert.valid_until is None
    assert Q.new_member_certificate(w.probationary.pk) == cert
    assert Q.new_member_certificate(w.mass.pk) is None


def test_centre_of_another_district_cannot_manage(world, personas):
    with pytest.raises(PermissionDeniedError):
        S.enrol_bulk(actor=personas.sibling_officer, klass=world.klass, person_ids=[world.mass.pk])
    with pytest.raises(PermissionDeniedError):
        S.class_transition(actor=personas.viewer, klass=world.klass, to="cancelled")
    assert world.klass.enrolments.count() == 0


def test_withdraw(world, tree, personas):
    (e,) = S.enrolment_nominate(
        actor=personas.cell_secretary, klass=world.klass, person_ids=[world.mass.pk], unit=tree.cell
    )
    S.enrolment_withdraw(actor=personas.cell_secretary, enrolment=e)
    e.refresh_from_db()
    assert e.status == "withdrawn"
    with pytest.raises(DomainError):
        S.enrolment_withdraw(actor=personas.centre_staff, enrolment=e)


def test_class_update_guards_capacity_and_sessions(world):
    S.enrol_bulk(actor=None, klass=world.klass, person_ids=[world.mass.pk, world.mass2.pk])
    with pytest.raises(DomainError):
        S.class_update(actor=None, klass=world.klass, capacity=1)
    with pytest.raises(DomainError):
        S.class_update(actor=None, klass=world.klass, start_on=D(2020, 3, 4))
    S.class_update(actor=None, klass=world.klass, capacity=50, venue="Hội trường")
    world.klass.refresh_from_db()
    assert world.klass.capacity == 50
