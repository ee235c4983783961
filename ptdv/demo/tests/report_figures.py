"""The figures a fresh demo and the shipped one are compared on: ``ptdv report summary``
(``build_summary``: members, admissions, recognitions, removals, sources, classes, the
statistics block, quality, targets…) for units of every level before and after the 2025
restructuring, over several periods, as plain JSON values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ptdv.core.summary import SummaryContext
from ptdv.organizations.models import OrgUnit
from ptdv.reports.summary import build_summary

D = dt.date
# the province and district that end on 30/06/2025, a commune, a town and an agency
# committee before it, a grassroots cell, and the province and a commune after it
UNITS = ("BK", "CD", "CD-NP", "CD-BL", "CD-CQCQ", "CD-LNCD", "TN", "TN-XCD")
PERIODS = (
    (D(2010, 1, 1), D(2020, 12, 31)),  # the article's decade
    (D(2022, 1, 1), D(2022, 12, 31)),
    (D(2025, 1, 1), D(2025, 12, 31)),  # across the restructuring
    (D(2025, 7, 1), D(2026, 11, 29)),  # after it, up to the demo's today
)


def figures() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code in UNITS:
        unit = OrgUnit.objects.get(code=code)
        for start, end in PERIODS:
            for restated in (False, True):
                data = build_summary(SummaryContext(unit, start, end, restated=restated))
                key = f"{code} {start}…{end}{' restated' if restated else ''}"
                out[key] = json.loads(json.dumps(data, default=str, sort_keys=True))
    return out


def main() -> None:
    """Printed by a child process on another database (``ptdv shell -c``)."""
    print(json.dumps(figures(), sort_keys=True))
