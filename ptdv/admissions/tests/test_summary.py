from __future__ import annotations

from typing import Any

import pytest

from ptdv.admissions.summary import summary_section
from ptdv.admissions.tests.conftest import D, drive
from ptdv.core.summary import SummaryContext

pytestmark = pytest.mark.django_db


def test_summary_counts_from_records(world: Any, django_assert_max_num_queries: Any) -> None:
    drive(world, "recognized")  # ceremony 20/09/2024, official 20/09/2025
    ctx = SummaryContext(world.tree.district, D(2024, 1, 1), D(2024, 12, 31))
    # the unit's paths (once), admitted, re-admitted, recognized, removed, sources, open cases
    with django_assert_max_num_queries(7):
        s = summary_section(ctx)
    # the fixture's members were admitted in 2010, none in 2024 except the applicant
    assert s["admitted"] == 1
    assert s["recognized"] == 0
    assert s["open_cases_by_stage"] == {"probation": 1}
    assert s["sources_added"] == 0  # the case was opened without a source list entry
    s25 = summary_section(SummaryContext(world.tree.district, D(2025, 1, 1), D(2025, 12, 31)))
    assert s25["admitted"] == 0 and s25["recognized"] == 1
    assert s25["open_cases_by_stage"] == {}
    sib = summary_section(SummaryContext(world.tree.sibling, D(2024, 1, 1), D(2025, 12, 31)))
    assert sib["admitted"] == 0 and sib["recognized"] == 0
    mid = summary_section(SummaryContext(world.tree.district, D(2024, 1, 1), D(2024, 8, 10)))
    assert mid["open_cases_by_stage"] == {"cell_voted": 1}
