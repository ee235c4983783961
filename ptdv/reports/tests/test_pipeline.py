"""The funnel's class stage from the training enrolments, and the pipeline from the cases."""

import datetime as dt
import itertools

from ptdv.reports import pipeline as pl
from ptdv.reports.selectors import Period, indicator_queryset
from ptdv.reports.tests.factories import member, person
from ptdv.targets.rules import Pipeline

D = dt.date


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
    assert stages["probation"].count == 1
    assert stages["source"].count == 0
    assert pl.class_to_admission_days(tree.district, period) == [180]


def test_live_pipeline_and_overdue_fallbacks(tree):
    pipe = pl.live_pipeline(tree.district, [tree.grassroots])
    assert set(pipe) == {tree.district.pk, tree.grassroots.pk}


def _case(tree, cell, history, *, due_on=None):
    """A case with a StageChange history [(date, stage), …]; its stage is the last one."""
    from ptdv.admissions.models import AdmissionCase, StageChange

    who = person(cell)
    case = AdmissionCase.objects.create(
        person=who,
        org_unit=cell,
        stage=history[-1][1],
        stage_on=history[-1][0],
        opened_on=history[0][0],
        due_on=due_on,
    )
    previous = ""
    for on, stage in history:
        StageChange.objects.create(case=case, from_stage=previous, to_stage=stage, on=on)
        previous = stage
    return case


def test_case_funnel_counts_medians_and_drill_down(tree):
    _case(tree, tree.cell, [(D(2020, 1, 10), "source_list"), (D(2020, 3, 10), "awareness_class"),
                            (D(2020, 5, 9), "application"), (D(2020, 9, 6), "decided")])  # fmt: skip
    _case(tree, tree.other_cell, [(D(2020, 2, 1), "source_list"),
                                  (D(2020, 4, 1), "awareness_class")])  # fmt: skip
    _case(tree, tree.sibling_cell, [(D(2020, 2, 1), "source_list")])  # another subtree
    _case(tree, tree.cell, [(D(2019, 2, 1), "source_list")])  # another year
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    rows = {r["stage"]: r for r in pl.case_funnel(tree.district, period)}
    assert [rows[k]["count"] for k in ("source", "class", "dossier", "decision")] == [2, 2, 1, 1]
    assert rows["source"]["median_days"] == (60 + 60) / 2
    assert rows["class"]["median_days"] == 60  # only the first case moved on
    stages = {s.key: s for s in pl.funnel(tree.district, period)}
    assert stages["source"].count == 2 and stages["decision"].count == 1
    for key in ("source", "class", "dossier", "decision"):
        qs = indicator_queryset(f"case.{key}", tree.district, period)
        assert qs.count() == len(list(qs)) == rows[key]["count"]
        if key != "class":  # attendance: training's record
            assert stages[key].count == rows[key]["count"]
            assert stages[key].link_key == f"case.{key}"


def test_forecast_pipeline_and_overdue_from_cases(tree):
    _case(tree, tree.cell, [(D(2024, 1, 5), "awareness_class")], due_on=D(2024, 2, 1))
    _case(tree, tree.cell, [(D(2024, 1, 5), "cell_voted")])
    _case(tree, tree.grassroots_cell, [(D(2024, 1, 5), "grassroots_voted")])
    _case(tree, tree.grassroots_cell, [(D(2024, 1, 5), "recognized")], due_on=D(2024, 2, 1))
    pipe = pl.live_pipeline(tree.district, [tree.grassroots, tree.grassroots_cell])
    assert pipe[tree.grassroots.pk] == Pipeline(in_class=1, at_vote=1)
    assert pipe[tree.grassroots_cell.pk] == Pipeline(decision_pending=1)
    assert pipe[tree.district.pk] == Pipeline(in_class=1, at_vote=1, decision_pending=1)
    overdue = pl.overdue_items(tree.district, D(2024, 3, 1))
    assert len(overdue) == 1 and overdue[0]["due"] == D(2024, 2, 1)
    assert pl.overdue_items(tree.sibling, D(2024, 3, 1)) == []


def test_cohort_counts_how_far_the_cases_opened_in_the_period_got(
    tree, personas, client, django_assert_max_num_queries
):
    _case(tree, tree.cell, [(D(2020, 1, 10), "source_list"), (D(2020, 3, 10), "awareness_class"),
                            (D(2020, 5, 9), "application"), (D(2020, 9, 6), "decided"),
                            (D(2020, 10, 1), "probation"), (D(2021, 10, 1), "recognized")])  # fmt: skip
    # a valid certificate at opening: the class stage is skipped but counts as reached
    _case(tree, tree.other_cell, [(D(2020, 2, 1), "source_list"), (D(2020, 2, 2), "application"),
                                  (D(2020, 6, 1), "rejected")])  # fmt: skip
    _case(tree, tree.cell, [(D(2020, 12, 31), "source_list")])
    _case(tree, tree.sibling_cell, [(D(2020, 2, 1), "source_list")])  # another subtree
    _case(tree, tree.cell, [(D(2019, 12, 31), "source_list"), (D(2020, 1, 5), "application")])
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    with django_assert_max_num_queries(2):  # every stage in one query (+ the paths)
        stages = pl.cohort(tree.district, period)
    counts = {s.key: s.count for s in stages}
    assert counts == {"opened": 3, "class": 2, "dossier": 2, "cell_vote": 1, "decision": 1,
                      "probation": 1, "official": 1}  # fmt: skip
    shares = [s.conversion for s in stages]
    assert shares == [None, 66.7, 66.7, 33.3, 33.3, 33.3, 33.3]
    assert all(a.count >= b.count for a, b in itertools.pairwise(stages))  # never above 100 %
    for s in stages:
        qs = indicator_queryset(s.link_key, tree.district, period)
        assert qs.count() == len(list(qs)) == s.count
    # on the dashboard, each number links to its people
    client.force_login(personas.district_officer)
    r = client.get("/reports/overview/", {"org": str(tree.district.uid), "from": "01/01/2020",
                                          "to": "31/12/2020"})  # fmt: skip
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="cohort-card"' in html and 'data-key="cohort.official"' in html
    drill = r.context["cohort"][1].href
    page = client.get(drill)
    assert page.status_code == 200 and page.context["count"] == 2


def test_stage_outcomes_follow_who_entered_each_stage(tree, personas, client):
    """The funnel as cohorts: the people who entered a stage in the period and what became
    of them; every share is of those who entered, never above 100 % — even when a stage
    sees more entries in the period than the one before it."""
    y = D(2020, 1, 1)
    # entered the source list in 2019, everything else in 2020: more entries downstream
    for cell in (tree.cell, tree.other_cell, tree.cell):
        _case(tree, cell, [(D(2019, 6, 1), "source_list"), (D(2020, 2, 1), "awareness_class"),
                           (D(2020, 5, 1), "application"), (D(2020, 9, 1), "decided")])  # fmt: skip
    _case(tree, tree.cell, [(D(2020, 1, 10), "source_list"), (D(2020, 3, 10), "awareness_class"),
                            (D(2020, 6, 9), "application"), (D(2020, 7, 1), "rejected")])  # fmt: skip
    # a certificate at opening: the class is skipped, the case reached "dossier"
    _case(tree, tree.other_cell, [(D(2020, 2, 1), "source_list"), (D(2020, 2, 2), "application")])
    _case(tree, tree.cell, [(D(2020, 11, 1), "source_list")])  # still on the list
    _case(tree, tree.sibling_cell, [(D(2020, 2, 1), "source_list"),
                                    (D(2020, 3, 1), "awareness_class")])  # another subtree  # fmt: skip
    period = Period(y, D(2020, 12, 31))
    rows = {o.key: o for o in pl.stage_outcomes(tree.district, period)}
    src = rows["source"]
    assert (src.entered, src.moved_on, src.stopped, src.still) == (3, 2, 0, 1)
    cls = rows["class"]
    assert (cls.entered, cls.moved_on, cls.stopped, cls.still) == (4, 4, 0, 0)
    dos = rows["dossier"]
    assert (dos.entered, dos.moved_on, dos.stopped, dos.still) == (5, 3, 1, 1)
    assert rows["decision"].entered == 3 and rows["decision"].moved_on == 0
    assert rows["official"].moved_on is None
    for o in rows.values():
        assert o.moved_on is None or o.moved_on <= o.entered
        assert (o.moved_on or 0) + o.stopped + o.still == o.entered
        assert o.share is None or 0 <= o.share <= 100
    # the funnel's entries per period rise (4 classes after 3 sources), its conversions
    # do not: they are the shares of the cohorts
    stages = pl.funnel(tree.district, period)
    assert all(s.conversion is None or s.conversion <= 100 for s in stages)
    by_key = {s.key: s for s in stages}
    assert by_key["class"].conversion == src.share == 66.7
    client.force_login(personas.district_officer)
    r = client.get("/reports/overview/", {"org": str(tree.district.uid), "from": "01/01/2020",
                                          "to": "31/12/2020"})  # fmt: skip
    assert r.status_code == 200 and 'id="outcomes-card"' in r.content.decode()
