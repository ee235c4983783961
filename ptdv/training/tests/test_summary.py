import datetime as dt

import pytest

from ptdv.core.summary import SummaryContext
from ptdv.training import services as S
from ptdv.training.summary import summary_section

D = dt.date
pytestmark = pytest.mark.django_db


def test_classes_count_by_start_date_scope_and_accepted_enrolments(world, tree):
    w = world
    # the fixture's class (02/03/2020, serves district A): two accepted, one nominated,
    # one withdrawn
    S.enrol_bulk(actor=None, klass=w.klass, person_ids=[w.mass.pk, w.mass2.pk])
    (nominated,) = S.enrolment_nominate(
        actor=None, klass=w.klass, person_ids=[w.other_mass.pk], unit=tree.grassroots
    )
    S.enrolment_withdraw(actor=None, enrolment=w.klass.enrolments.get(person=w.mass2))
    # starts in 2019 but ends in 2020: counts in 2019
    k2019 = S.class_create(
        actor=None,
        institution=w.centre,
        course_type=w.awareness,
        code="NT-09/2019",
        start_on=D(2019, 12, 30),
        end_on=D(2020, 1, 3),
        served_units=[tree.district],
    )
    S.enrol_bulk(actor=None, klass=k2019, person_ids=[w.other_mass.pk])
    # cancelled: never counts
    cancelled = S.class_create(
        actor=None,
        institution=w.centre,
        course_type=w.new_member,
        code="ĐVM-09/2020",
        start_on=D(2020, 5, 4),
        end_on=D(2020, 5, 10),
    )
    S.class_transition(actor=None, klass=cancelled, to="cancelled")
    # a class of another district's school serving only a cell of district A counts for A
    # and for that cell's grassroots committee, not for district B
    other = S.institution_create(
        actor=None, code="TCT-B", name="Trường Chính trị B", org_unit=tree.sibling
    )
    served = S.class_create(
        actor=None,
        institution=other,
        course_type=w.cadre_skills,
        code="NV-01/2020",
        start_on=D(2020, 6, 1),
        end_on=D(2020, 6, 5),
        served_units=[tree.cell],
    )
    S.enrol_bulk(actor=None, klass=served, person_ids=[w.official.pk])

    def counts(org, start, end):
        return summary_section(SummaryContext(org=org, date_from=start, date_to=end))["classes"]

    a2020 = counts(tree.district, D(2020, 1, 1), D(2020, 12, 31))
    assert a2020["awareness"] == {"classes": 1, "attendees": 1}
    assert a2020["new_member"] == {"classes": 0, "attendees": 0}
    assert a2020["cadre_skills"] == {"classes": 1, "attendees": 1}
    assert counts(tree.district, D(2019, 1, 1), D(2019, 12, 31))["awareness"] == {
        "classes": 1,
        "attendees": 1,
    }
    assert counts(tree.grassroots, D(2020, 1, 1), D(2020, 12, 31))["cadre_skills"]["classes"] == 1
    assert counts(tree.grassroots, D(2020, 1, 1), D(2020, 12, 31))["awareness"]["classes"] == 0
    b = counts(tree.sibling, D(2020, 1, 1), D(2020, 12, 31))
    # the class counts for B (its institution is in B); the attendee counts for the unit
    # keeping them (A), never for the school's district
    assert b["cadre_skills"] == {"classes": 1, "attendees": 0}
    assert nominated.status == "nominated"
