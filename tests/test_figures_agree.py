"""Every read path shows the same figures (issue 11, point 4).

On the Chợ Đồn demo (with the 2025 restructuring), for every grassroots organization the
demo ever had and for periods before, across and after 1/7/2025, each figure is read
through every path a user has — the dashboard, the summary report (article page), the
statistics page, the drill-down list, the Excel exports, the API and the CLI — and
compared with its one definition (``people.selectors``, ``training.selectors``).

One database (the demo is loaded once), numbers compared in Python; every mismatch is
collected and shown at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ptdv.admissions.selectors import sources_added
from ptdv.organizations.models import GRASSROOTS_KINDS, OrgUnit
from ptdv.people import selectors as figures
from ptdv.reports.selectors import INDICATORS
from ptdv.training.selectors import class_counts

D = dt.date
PERIODS = {
    "before": (D(2024, 1, 1), D(2025, 6, 30)),
    "across": (D(2025, 1, 1), D(2025, 12, 31)),
    "after": (D(2025, 7, 1), D(2026, 6, 30)),
}
MAIN = ["members", "members.official", "members.probationary", "admitted", "readmitted",
        "recognized", "removed", "sources.added"]  # fmt: skip
DRILL = [*MAIN, "class.awareness"]


def reference(unit: OrgUnit, start: dt.date, end: dt.date) -> dict[str, int]:
    """The figures from their one definition."""
    span = (unit, start, end)
    m = figures.member_counts_on(unit, end)
    ref = {
        "members.official": m.get("official", 0),
        "members.probationary": m.get("probationary", 0),
        "admitted": figures.people_of(figures.admitted_periods(*span)).count(),
        "readmitted": figures.people_of(figures.readmitted_periods(*span)).count(),
        "recognized": figures.people_of(figures.recognized_periods(*span)).count(),
        "removed": figures.people_of(figures.removed_periods(*span)).count(),
        "sources.added": sources_added(*span).values("person_id").distinct().count(),
    }
    ref["members"] = ref["members.official"] + ref["members.probationary"]
    for code, row in class_counts(*span).items():
        ref[f"classes.{code}"] = row["classes"]
        ref[f"attendees.{code}"] = row["attendees"]
    return ref


def from_summary(data: dict[str, Any]) -> dict[str, int]:
    """The figures of ``build_summary`` (CLI, API and the summary report all show it)."""
    stats = data["statistics"]
    out = {
        "members": data["members"]["total"],
        "members.official": data["members"]["official"],
        "members.probationary": data["members"]["probationary"],
        "admitted": data["admitted"],
        "statistics.admitted": stats["admitted"],
        "quality.admitted": data["quality"]["admitted"],
        "readmitted": data["readmitted"],
        "statistics.readmitted": stats["readmitted"],
        "recognized": data["recognized"],
        "statistics.recognized": stats["recognized"],
        "removed": stats["removed"],
        "sources.added": data["sources_added"],
    }
    for code, row in data["classes"].items():
        out[f"classes.{code}"] = row["classes"]
        out[f"attendees.{code}"] = row["attendees"]
    return out


def _same(ref: dict[str, int], got: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Differences of ``got`` from the reference (``statistics.admitted`` → ``admitted``)."""
    diff = {}
    for key, value in got.items():
        base = key.split(".", 1)[1] if key.startswith(("statistics.", "quality.")) else key
        base = {
            "dashboard.class": "attendees.awareness",
            "class.awareness": "attendees.awareness",
        }.get(base, base)
        if ref.get(base) != value:
            diff[key] = (ref.get(base), value)
    return diff


def _sheet_numbers(content: bytes, sheet_index: int = 0) -> dict[str, Any]:
    ws = load_workbook(io.BytesIO(content)).worksheets[sheet_index]
    return {str(r[0]): r[1] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}


def _data_rows(content: bytes) -> int:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return sum(1 for r in ws.iter_rows(min_row=4, values_only=True) if any(r))


def compare_all(client: Any) -> tuple[list[str], int, int, int]:
    """Read every figure through every path; (mismatches, numbers compared, unit-periods
    with a figure, units). Needs the demo loaded."""
    from django.contrib.auth import get_user_model

    from ptdv.exchange.tokens import token_create

    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    _t, key = token_create(actor=admin, name="figures")
    api = {"HTTP_AUTHORIZATION": f"Token {key}"}
    labels = {str(INDICATORS[k].label): k for k in MAIN}

    units = list(OrgUnit.objects.filter(kind__in=list(GRASSROOTS_KINDS)).order_by("path"))
    mismatches: list[str] = []
    compared = 0
    nonzero = 0

    def check(path: str, unit: OrgUnit, period: str, ref: dict[str, int], got: dict) -> None:
        nonlocal compared
        compared += len(got)
        for key, (want, have) in _same(ref, got).items():
            mismatches.append(f"{unit.code} {period} {path} {key}: {want} ≠ {have}")

    for unit in units:
        for period, (start, end) in PERIODS.items():
            ref = reference(unit, start, end)
            nonzero += any(ref.values())
            q = {"org": str(unit.uid), "from": start.isoformat(), "to": end.isoformat()}

            # CLI
            out = io.StringIO()
            call_command("report", "summary", "--org", unit.code, "--from", q["from"],
                         "--to", q["to"], stdout=out)  # fmt: skip
            check("cli", unit, period, ref, from_summary(json.loads(out.getvalue())))

            # API
            r = client.get("/api/v1/statistics/", {**q, "org": unit.code}, **api)
            assert r.status_code == 200, r.content
            check("api", unit, period, ref, from_summary(r.json()))

            # the summary report (article page)
            r = client.get("/reports/article/", q)
            assert r.status_code == 200
            check("summary report", unit, period, ref, from_summary(r.context["summary"]))

            # the statistics page
            r = client.get("/reports/statistics/", q)
            assert r.status_code == 200
            stats = r.context["stats"]
            got = {row.key: row.count for row in stats["main"]}
            got["statistics.admitted"] = stats["admitted"]
            check("statistics page", unit, period, ref, got)

            # the dashboard
            r = client.get("/reports/overview/", q)
            assert r.status_code == 200
            ctx = r.context
            stages = {s.key: s.count for s in ctx["stages"]}
            got = {"members": ctx["members"], "admitted": ctx["admitted"],
                   "quality.admitted": stages["probation"], "dashboard.class": stages["class"]}  # fmt: skip
            for bar in ctx["member_bars"]:
                got[labels[bar.label]] = bar.value
            check("dashboard", unit, period, ref, got)

            # the drill-down lists
            got = {}
            for k in DRILL:
                r = client.get("/reports/people/", {**q, "key": k})
                assert r.status_code == 200
                got[k] = r.context["count"]
            check("drill-down", unit, period, ref, got)

            # Excel: the statistics export and the drill-down export of the admitted
            r = client.get("/reports/statistics/", {**q, "format": "xlsx"})
            assert r.status_code == 200
            numbers = _sheet_numbers(r.content)
            check("excel statistics", unit, period, ref,
                  {labels[label]: n for label, n in numbers.items() if label in labels})  # fmt: skip
            r = client.get("/reports/people/", {**q, "key": "admitted", "format": "xlsx"})
            assert r.status_code == 200
            check("excel drill-down", unit, period, ref, {"admitted": _data_rows(r.content)})
    return mismatches, compared, nonzero, len(units)


@pytest.mark.demo
@pytest.mark.django_db(transaction=False)
def test_every_read_path_gives_the_same_figures(client: Any) -> None:
    call_command("loaddemo", "--fast", stdout=io.StringIO())
    mismatches, compared, nonzero, units = compare_all(client)
    print(
        f"\nfigures compared: {units} grassroots units × {len(PERIODS)} periods × "
        f"7 read paths = {compared} numbers; unit-periods with any figure: {nonzero}"
    )
    assert units >= 48
    assert nonzero >= units, "the demo should give figures to most unit-periods"
    assert not mismatches, "\n".join(mismatches[:60])
