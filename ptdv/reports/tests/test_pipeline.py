"""The funnel's class stage from the training enrolments, and the pipeline fallbacks."""

import datetime as dt

import pytest

from ptdv.reports import pipeline as pl
from ptdv.reports.selectors import Period, indicator_queryset
from ptdv.reports.tests.factories import member, person

D = dt.date

pytestmark = pytest.mark.skipif(not pl.training_available(), reason="training app not merged")


def _class(tree, start, end):
    from ptdv.training.models import CourseType, TrainingClass, TrainingInstitution

    inst, _ = TrainingInstitution.objects.get_or_create(
        code="TTCT-A", defaults={"name": "Trung tâm Chính trị huyện An", "org_unit": tree.district}
    )
    return TrainingClass.objects.create(
        institution=inst,
        course_type=CourseType.objects.get(code=pl.AWARENESS_CODE),
        code=f"NT-{start:%Y%m%d}",
        name="Lớp nhận thức",
        start_on=start,
        end_on=end,
        status="finished",
    )


def _enrol(klass, who, unit, status="accepted"):
    from ptdv.training.models import Enrolment

    return Enrolment.objects.create(klass=klass, person=who, status=status, nominated_by_unit=unit)


def test_class_stage_counts_and_median(tree):
    klass = _class(tree, D(2020, 3, 1), D(2020, 3, 5))
    admitted = member(tree.cell, D(2020, 9, 1))  # 180 days after the class ended
    _enrol(klass, admitted, tree.cell)
    _enrol(klass, person(tree.other_cell), tree.other_cell)
    _enrol(klass, person(tree.other_cell), tree.other_cell, status="withdrawn")
    _enrol(klass, person(tree.sibling_cell), tree.sibling_cell)
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    qs = indicator_queryset("class.awareness", tree.district, period)
    assert qs.count() == len(list(qs)) == 2
    stages = {s.key: s for s in pl.funnel(tree.district, period)}
    assert stages["class"].count == 2 and stages["class"].median_days == 180
    assert stages["probation"].count == 1 and stages["probation"].conversion == 50.0
    assert stages["source"].count is None  # needs the admissions app
    assert pl.class_to_admission_days(tree.district, period) == [180]


def test_live_pipeline_and_overdue_fallbacks(tree):
    pipe = pl.live_pipeline(tree.district, [tree.grassroots])
    assert set(pipe) == {tree.district.pk, tree.grassroots.pk}
    if not pl.admissions_available():
        assert pl.overdue_items(tree.district, D(2024, 1, 1)) is None
