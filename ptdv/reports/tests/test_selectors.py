import datetime as dt

import pytest

from ptdv.core.errors import DomainError
from ptdv.people.services import membership_event_add
from ptdv.reports import selectors as S
from ptdv.reports.selectors import Period, check_period, indicator_queryset
from ptdv.reports.tests.factories import member, person

D = dt.date


def names(qs):
    return sorted(p.full_name for p in qs)


def count(key, org, period):
    return indicator_queryset(key, org, period).count()


def test_check_period():
    with pytest.raises(DomainError):
        check_period(Period(D(2020, 2, 1), D(2020, 1, 1)), today=D(2024, 1, 1))
    with pytest.raises(DomainError):
        check_period(Period(D(2020, 1, 1), D(2024, 1, 2)), today=D(2024, 1, 1))
    check_period(Period(D(2020, 1, 1), D(2020, 1, 1)), today=D(2024, 1, 1))


def test_members_as_of_survive_later_transfer_and_removal(tree):
    a = member(tree.cell, D(2015, 3, 1), recognized=D(2016, 3, 1), full_name="A",
               exit_kind="transferred_out", exit_on=D(2021, 5, 1))  # fmt: skip
    b = member(tree.cell, D(2015, 4, 1), recognized=D(2016, 4, 1), full_name="B",
               exit_kind="removed", exit_on=D(2021, 6, 1))  # fmt: skip
    member(tree.cell, D(2019, 1, 1), full_name="C")
    past = Period(D(2020, 12, 31), D(2020, 12, 31))
    assert names(indicator_queryset("members", tree.district, past)) == ["A", "B", "C"]
    assert count("members.official", tree.district, past) == 2
    assert count("members.probationary", tree.district, past) == 1
    now = Period(D(2023, 1, 1), D(2023, 1, 1))
    assert names(indicator_queryset("members", tree.district, now)) == ["C"]
    assert {a.status, b.status} == {"transferred_out", "removed"}


def test_member_moved_after_date_counts_in_old_cell(tree):
    member(tree.cell, D(2015, 3, 1), moved_to=tree.other_cell, moved_on=D(2022, 1, 1))
    before = Period(D(2021, 12, 31), D(2021, 12, 31))
    after = Period(D(2022, 1, 1), D(2022, 1, 1))
    assert count("members", tree.cell, before) == 1
    assert count("members", tree.other_cell, before) == 0
    assert count("members", tree.cell, after) == 0
    assert count("members", tree.other_cell, after) == 1
    assert count("members", tree.grassroots, after) == 1


def test_event_added_later_does_not_change_past_period(tree):
    p = member(tree.cell, D(2018, 3, 1))
    period = Period(D(2018, 1, 1), D(2018, 12, 31))
    before = {k: count(k, tree.district, period) for k in S.MAIN_KEYS}
    membership_event_add(actor=None, person=p, kind="recognized", date=D(2019, 3, 1),
                         audit=False)  # fmt: skip
    membership_event_add(actor=None, person=p, kind="removed", date=D(2020, 3, 1),
                         audit=False)  # fmt: skip
    after = {k: count(k, tree.district, period) for k in S.MAIN_KEYS}
    assert before == after
    assert after["admitted"] == 1 and after["members.probationary"] == 1


def test_admitted_recognized_removed_in_period(tree):
    member(tree.cell, D(2019, 12, 31), recognized=D(2020, 12, 31))
    member(tree.cell, D(2020, 1, 1))
    member(tree.other_cell, D(2020, 6, 1), exit_kind="removed_probationary", exit_on=D(2020, 9, 1))
    member(tree.sibling_cell, D(2020, 6, 1))
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    assert count("admitted", tree.district, period) == 2
    assert count("admitted", tree.province, period) == 3
    assert count("recognized", tree.district, period) == 1
    assert count("removed", tree.district, period) == 1
    assert count("admitted", tree.other_cell, period) == 1


def test_transfer_in_is_not_an_admission(tree):
    p = person(tree.cell)
    membership_event_add(actor=None, person=p, kind="transferred_in", date=D(2020, 5, 1),
                         org_unit=tree.cell, arrives_as="probationary", audit=False)  # fmt: skip
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    assert count("admitted", tree.district, period) == 0
    assert count("members", tree.district, period) == 1


@pytest.mark.parametrize(
    ("born", "admitted", "bucket"),
    [
        (D(2002, 6, 1), D(2020, 6, 1), "admitted.age_18_30"),  # 18th birthday
        (D(2002, 6, 2), D(2020, 6, 1), "admitted.age_under_18"),  # a day short
        (D(1989, 6, 2), D(2020, 6, 1), "admitted.age_18_30"),  # 30 until tomorrow
        (D(1989, 6, 1), D(2020, 6, 1), "admitted.age_31_45"),  # 31 today
        (D(1974, 6, 1), D(2020, 6, 1), "admitted.age_over_45"),
    ],
)
def test_age_at_admission(tree, born, admitted, bucket):
    member(tree.cell, admitted, date_of_birth=born)
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    for key in S.AGE_KEYS:
        assert count(key, tree.district, period) == (1 if key == bucket else 0), key


def test_quality_breakdowns(tree):
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    member(tree.cell, D(2020, 3, 1), gender="female", ethnicity="02", youth_union_member=True,
           religion="buddhism", education_general="upper_secondary",
           education_professional="university", occupation="private_enterprise")  # fmt: skip
    member(tree.other_cell, D(2020, 3, 1), education_general="lower_secondary",
           occupation="farmer")  # fmt: skip
    expected = {
        "admitted": 2,
        "admitted.women": 1,
        "admitted.minority": 1,
        "admitted.youth": 1,
        "admitted.religious": 1,
        "admitted.edu_upper_secondary": 1,
        "admitted.edu_higher": 1,
        "admitted.non_state_enterprise": 1,
        "admitted.non_public_service": 0,
        "admitted.occupation.farmer": 1,
        "admitted.sector.public_service": 1,
        "admitted.sector.residential": 1,
    }
    for key, n in expected.items():
        assert count(key, tree.district, period) == n, key
    assert S.average_age_at_admission(tree.district, period) == 30.0


def test_org_lists(tree):
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    member(tree.cell, D(2020, 3, 1))
    no_admission = S.grassroots_without_admission(tree.district, period)
    assert [u.code for u in no_admission] == ["A-T"]
    assert S.org_list_count("orgs.no_admission", tree.district, period) == 1
    # the village has a cell of its own and, so far, no resident member
    assert [v.code for v in S.villages_without_member(tree.district, period)] == ["A-X-T1"]
    assert list(S.villages_without_cell(tree.district, period)) == []
    member(tree.cell, D(2019, 3, 1), residential_unit=tree.village)
    assert list(S.villages_without_member(tree.district, period)) == []
    assert list(S.villages_without_member(tree.sibling, period)) == []


def test_counts_by_child_equal_drill_down(tree):
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    member(tree.cell, D(2020, 3, 1), recognized=D(2020, 12, 1))
    member(tree.other_cell, D(2020, 4, 1))
    member(tree.grassroots_cell, D(2020, 5, 1), exit_kind="left", exit_on=D(2020, 8, 1))
    children = [tree.grassroots, tree.grassroots_cell]
    by = S.counts_by_child(S.BY_ORG_KEYS, tree.district, period, children)
    for key in S.BY_ORG_KEYS:
        for child in children:
            assert by[key][child.pk] == count(key, child, period), (key, child)
    assert by["admitted"][tree.grassroots.pk] == 2


def test_statistics_fixed_query_count(tree, django_assert_max_num_queries):
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    member(tree.cell, D(2020, 3, 1))
    with django_assert_max_num_queries(70):
        stats = S.statistics(tree.district, period)
    assert stats["admitted"] == 1
    assert [c["org"].code for c in stats["children"]] == ["A-T", "A-X"]


def test_indicator_counts_equal_drill_down_in_few_queries(tree, django_assert_max_num_queries):
    """Every indicator's count (the admitted and their breakdowns read together, in one
    query over the admitted rows) equals the size of its drill-down list; a person
    admitted twice in the period (re-admitted) and one in a cell sector count once."""
    period = Period(D(2020, 1, 1), D(2020, 12, 31))
    member(tree.cell, D(2020, 3, 1), gender="female", ethnicity="02", youth_union_member=True,
           religion="buddhism", education_general="upper_secondary",
           education_professional="university", occupation="private_enterprise",
           recognized=D(2020, 11, 1))  # fmt: skip
    member(tree.other_cell, D(2020, 4, 1), occupation="farmer")
    member(tree.grassroots_cell, D(2020, 5, 1), exit_kind="left", exit_on=D(2020, 8, 1))
    keys = list(S.INDICATORS)
    batched = [
        k
        for k in keys
        if k in ("admitted", "members") or k.startswith(("admitted.", "cohort.", "members."))
    ]
    others = len(keys) - len(batched)
    # + the admitted together, + the cohort together, + the members together (on
    # PostgreSQL a district's from the member flows and the month's first days, one
    # statement), + the paths
    with django_assert_max_num_queries(others + 4):
        counts = S.indicator_counts(keys, tree.district, period)
    for key in keys:
        assert counts[key] == indicator_queryset(key, tree.district, period).count(), key
        assert counts[key] == S.indicator_count(key, tree.district, period), key
    assert counts["admitted"] == 3
    assert counts["admitted.women"] == 1


def test_admitted_counts_in_periods_equal_one_count_each_in_one_query(
    tree, django_assert_max_num_queries
):
    """The year series (dashboard, article, targets) reads the admitted of every period
    in one query; each number is the period's own ``indicator_count("admitted", …)``,
    whatever the periods: years, a part of a year, overlapping, empty, outside the
    data, a unit outside the subtree."""
    member(tree.cell, D(2019, 12, 31))
    member(tree.cell, D(2020, 1, 1))
    member(tree.other_cell, D(2020, 6, 15))
    member(tree.grassroots_cell, D(2021, 3, 1), exit_kind="left", exit_on=D(2021, 8, 1))
    member(tree.sibling_cell, D(2021, 12, 31))  # the other district
    periods = [
        Period(D(2019, 1, 1), D(2019, 12, 31)),
        Period(D(2020, 1, 1), D(2020, 12, 31)),
        Period(D(2021, 1, 1), D(2021, 12, 31)),
        Period(D(2020, 1, 2), D(2021, 3, 1)),  # overlaps two years, cut mid-year
        Period(D(2022, 1, 1), D(2022, 12, 31)),  # nobody
        Period(D(2020, 6, 15), D(2020, 6, 15)),  # one day
    ]
    expected = {
        org.pk: [S.indicator_count("admitted", org, p) for p in periods]
        for org in (tree.district, tree.grassroots, tree.sibling)
    }
    assert expected[tree.district.pk][:3] == [1, 2, 1]
    assert expected[tree.sibling.pk][:3] == [0, 0, 1]
    for org in (tree.district, tree.grassroots, tree.sibling):
        with django_assert_max_num_queries(2):  # (the subtree's paths,) the one count
            got = S.admitted_counts_in(org, periods)
        assert got == expected[org.pk], org
    assert S.admitted_counts_in(tree.district, []) == []


def test_year_series_reads_the_admitted_of_each_year(tree):
    from ptdv.reports.targets import yearly_series

    member(tree.cell, D(2020, 3, 1))
    member(tree.other_cell, D(2022, 4, 1))
    rows = yearly_series(tree.district, [2019, 2020, 2021, 2022, 2030], today=D(2022, 6, 30))
    assert [(r["year"], r["actual"]) for r in rows] == [
        (2019, 0), (2020, 1), (2021, 0), (2022, 1), (2030, 0)
    ]  # fmt: skip
    for r in rows[:4]:
        p = Period(D(r["year"], 1, 1), min(D(r["year"], 12, 31), D(2022, 6, 30)))
        assert r["actual"] == S.indicator_count("admitted", tree.district, p)
