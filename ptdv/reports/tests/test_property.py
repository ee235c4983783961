"""Property: every number equals the length of its drill-down list, and both equal an
independent oracle computed from the generated facts. Data are built with the people
services, over random small histories."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptdv.reports import selectors as S
from ptdv.reports.selectors import Period, indicator_queryset
from ptdv.reports.tests.factories import member

D = dt.date
CELLS = ["cell", "other_cell", "grassroots_cell", "sibling_cell"]
EXITS = [None, "removed", "transferred_out", "left", "died", "moved"]


class RollbackError(Exception):
    pass


spec = st.fixed_dictionaries(
    {
        "cell": st.sampled_from(CELLS),
        "admitted": st.dates(D(2016, 1, 1), D(2021, 12, 31)),
        "recognize": st.booleans(),
        "exit": st.sampled_from(EXITS),
        "exit_after_days": st.integers(1, 900),
        "born": st.dates(D(1960, 1, 1), D(2003, 12, 31)),
        "female": st.booleans(),
        "minority": st.booleans(),
        "youth": st.booleans(),
    }
)


def _period_pair(draw_a, draw_b):
    a, b = sorted([draw_a, draw_b])
    return Period(a, b)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(spec, min_size=0, max_size=8),
    d1=st.dates(D(2016, 1, 1), D(2024, 12, 31)),
    d2=st.dates(D(2016, 1, 1), D(2024, 12, 31)),
)
def test_numbers_equal_lists_and_oracle(tree, specs, d1, d2):
    period = _period_pair(d1, d2)
    try:
        with transaction.atomic():
            _check(tree, specs, period)
            raise RollbackError
    except RollbackError:
        pass


def _check(tree, specs, period):
    facts = []
    for i, s in enumerate(specs):
        cell = getattr(tree, s["cell"])
        admitted = s["admitted"]
        born = min(s["born"], admitted - dt.timedelta(days=18 * 366))
        recognized = admitted + dt.timedelta(days=365) if s["recognize"] else None
        exit_on = (recognized or admitted) + dt.timedelta(days=s["exit_after_days"])
        exit_kind = s["exit"]
        moved_to = None
        if exit_kind == "moved":
            moved_to = tree.other_cell if cell != tree.other_cell else tree.cell
        member(
            cell,
            admitted,
            recognized=recognized,
            exit_kind=exit_kind if exit_kind not in (None, "moved") else None,
            exit_on=exit_on if exit_kind not in (None, "moved") else None,
            moved_to=moved_to,
            moved_on=exit_on if moved_to else None,
            full_name=f"Người {i}",
            date_of_birth=born,
            gender="female" if s["female"] else "male",
            ethnicity="07" if s["minority"] else "01",
            youth_union_member=s["youth"],
        )
        facts.append((cell, admitted, recognized, exit_kind, exit_on, moved_to, s))

    def in_sub(unit, org):
        return unit.path.startswith(org.path)

    def cell_on(f, day):
        cell, admitted, _r, exit_kind, exit_on, moved_to, _s = f
        if day < admitted:
            return None
        if exit_kind == "moved":
            return moved_to if day >= exit_on else cell
        if exit_kind and day >= exit_on:
            return None
        return cell

    in_window = period.date_from.__le__
    for org in (tree.province, tree.district, tree.grassroots, tree.cell, tree.sibling):
        oracle = {
            "admitted": sum(
                1 for f in facts
                if in_sub(f[0], org) and in_window(f[1]) and f[1] <= period.date_to
            ),
            "admitted.women": sum(
                1 for f in facts
                if in_sub(f[0], org) and in_window(f[1]) and f[1] <= period.date_to
                and f[6]["female"]
            ),
            "members": sum(
                1 for f in facts
                if (c := cell_on(f, period.date_to)) is not None and in_sub(c, org)
            ),
            "recognized": sum(
                1 for f in facts
                if f[2] is not None and in_window(f[2]) and f[2] <= period.date_to
                and (c := cell_on(f, f[2])) is not None and in_sub(c, org)
            ),
        }  # fmt: skip
        for key, expected in oracle.items():
            qs = indicator_queryset(key, org, period)
            assert qs.count() == len(list(qs)) == expected, (key, org.code)
        for key in S.QUALITY_KEYS + S.AGE_KEYS + S.SECTOR_KEYS + ["removed"]:
            qs = indicator_queryset(key, org, period)
            assert qs.count() == len(list(qs))
        children = list(org.children.all())
        by = S.counts_by_child(S.BY_ORG_KEYS, org, period, children)
        for key in S.BY_ORG_KEYS:
            for child in children:
                assert by[key][child.pk] == indicator_queryset(key, child, period).count()
        stats = S.statistics(org, period)  # what the statistics page shows
        for group in ("main", "quality", "sector", "ages", "occupations", "cell_sectors"):
            for row in stats[group]:
                assert row.count == len(list(indicator_queryset(row.key, org, period))), row.key
        for row in stats["org_lists"]:
            assert row.count == len(S.org_list(row.key, org, period)), row.key
        for child in stats["children"]:
            for key, n in child["counts"].items():
                assert n == indicator_queryset(key, child["org"], period).count()
        gaps = S.grassroots_without_admission(org, period)
        assert S.org_list_count("orgs.no_admission", org, period) == len(gaps)
