"""Reports across a change of the tree (issue 11, point 5).

- a report for a period ending before a change's effective date gives exactly the same
  figures before and after the change is recorded (merge, split, move);
- a period spanning a change counts each person once;
- "Quy đổi theo tổ chức hiện nay" (restated) attributes predecessors' history to their
  successors, on the statistics page, the API (``restated=true``) and the CLI
  (``--restated``), and only when asked.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from ptdv.core.summary import SummaryContext
from ptdv.organizations.services import (
    org_unit_create,
    org_unit_merge,
    org_unit_move,
    org_unit_split,
)
from ptdv.people.services import membership_event_add, person_create
from ptdv.reports.selectors import Period, statistics
from ptdv.reports.summary import build_summary

D = dt.date
pytestmark = pytest.mark.django_db
CHANGE = D(2025, 7, 1)
BEFORE = [(D(2010, 1, 1), D(2020, 12, 31)), (D(2024, 1, 1), D(2025, 6, 30)),
          (D(2025, 6, 30), D(2025, 6, 30))]  # fmt: skip


def member(unit: Any, name: str, admitted: dt.date, *, official: dt.date | None = None) -> Any:
    p = person_create(
        actor=None,
        org_unit=unit,
        full_name=name,
        date_of_birth=D(1995, 1, 1),
        gender="female",
        ethnicity="01",
    )
    membership_event_add(actor=None, person=p, kind="admitted", date=admitted, org_unit=unit)
    if official:
        membership_event_add(actor=None, person=p, kind="recognized", date=official)
    return p


@pytest.fixture
def history(tree: Any) -> dict[str, Any]:
    """Members in both cells of A-X, in A's grassroots cell and in B, admitted and
    recognized over the years; one removed."""
    people = {
        "old": member(tree.cell, "Hoàng Văn An", D(2012, 3, 1), official=D(2013, 3, 1)),
        "mid": member(tree.other_cell, "Lý Thị Bích", D(2019, 5, 2), official=D(2020, 5, 2)),
        "new": member(tree.cell, "Nông Văn Cường", D(2024, 9, 2)),
        "gc": member(tree.grassroots_cell, "Ma Thị Dung", D(2018, 1, 10), official=D(2019, 1, 10)),
        "b": member(tree.sibling_cell, "Triệu Văn Em", D(2016, 4, 4), official=D(2017, 4, 4)),
        "gone": member(tree.other_cell, "Hà Văn Phúc", D(2011, 6, 1), official=D(2012, 6, 1)),
    }
    membership_event_add(actor=None, person=people["gone"], kind="removed", date=D(2024, 11, 5))
    return people


def snapshot(tree: Any) -> dict[tuple[str, dt.date, dt.date], Any]:
    """Every summary figure for every unit of the fixture and every period before CHANGE."""
    units = [tree.province, tree.district, tree.sibling, tree.grassroots, tree.cell,
             tree.other_cell, tree.grassroots_cell, tree.sibling_grassroots]  # fmt: skip
    out = {}
    for unit in units:
        for start, end in BEFORE:
            data = build_summary(SummaryContext(unit, start, end))
            data.pop("organization")  # its name of today
            stats = statistics(unit, Period(start, end))
            out[(unit.code, start, end)] = (
                data,
                [(r.key, r.count) for r in stats["main"]],
                sorted((c["org"].code, tuple(c["counts"].items())) for c in stats["children"]),
            )
    return out


def commune(tree: Any, code: str, parent: Any = None) -> Any:
    return org_unit_create(
        actor=None,
        code=code,
        name=f"Đảng bộ xã {code}",
        kind="grassroots_committee",
        parent=parent or tree.province,
        valid_from=CHANGE,
    )


def test_merge_leaves_earlier_reports_unchanged(tree: Any, history: dict) -> None:
    before = snapshot(tree)
    assert before[("A", *BEFORE[1])][0]["admitted"] == 1  # the figures are not all zero
    new = commune(tree, "XM")
    org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=tree.province, date=CHANGE)
    org_unit_merge(actor=None, units=[tree.grassroots, tree.sibling_grassroots], into=new,
                   date=CHANGE)  # fmt: skip
    after = snapshot(tree)
    assert after == before


def test_split_leaves_earlier_reports_unchanged(tree: Any, history: dict) -> None:
    before = snapshot(tree)
    s1, s2 = commune(tree, "S1", tree.district), commune(tree, "S2", tree.district)
    org_unit_split(actor=None, unit=tree.grassroots,
                   parts=[(s1, [tree.cell]), (s2, [tree.other_cell])], date=CHANGE)  # fmt: skip
    assert snapshot(tree) == before


def test_move_leaves_earlier_reports_unchanged(tree: Any, history: dict) -> None:
    before = snapshot(tree)
    org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=CHANGE)
    assert snapshot(tree) == before


def test_a_period_spanning_a_change_counts_each_person_once(tree: Any, history: dict) -> None:
    span = (D(2024, 1, 1), D(2025, 12, 31))
    province_before = build_summary(SummaryContext(tree.province, *span))
    org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=CHANGE)
    # a recognition after the move: the person "new" has periods under A, then under B
    membership_event_add(actor=None, person=history["new"], kind="recognized", date=D(2025, 9, 2))
    p = build_summary(SummaryContext(tree.province, *span))
    assert p["admitted"] == province_before["admitted"] == 1
    assert p["recognized"] == 1 and p["statistics"]["removed"] == 1
    assert p["members"]["total"] == 5  # old, mid, new, gc, b ("gone" was removed)
    a = build_summary(SummaryContext(tree.district, *span))
    b = build_summary(SummaryContext(tree.sibling, *span))
    # the admission (2024) counts where the cell was then (A), the recognition (after the
    # move) where it is then (B): each once, nowhere twice
    assert (a["admitted"], b["admitted"]) == (1, 0)
    assert (a["recognized"], b["recognized"]) == (0, 1)
    # members at the end of the period: by the tree of that date
    assert a["members"]["total"] + b["members"]["total"] == p["members"]["total"]


def _merge(tree: Any) -> Any:
    new = commune(tree, "XM")
    org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=tree.province, date=CHANGE)
    org_unit_merge(actor=None, units=[tree.grassroots], into=new, date=CHANGE)
    return new


def test_restated_attributes_the_predecessors_history(tree: Any, history: dict) -> None:
    new = _merge(tree)
    period = (D(2019, 1, 1), D(2025, 6, 30))
    plain = build_summary(SummaryContext(new, *period))
    restated = build_summary(SummaryContext(new, *period, restated=True))
    predecessor = build_summary(SummaryContext(tree.grassroots, *period))
    assert plain["admitted"] == plain["members"]["total"] == 0  # it did not exist yet
    assert plain["restated"] is False and restated["restated"] is True
    for key in ("admitted", "recognized"):
        assert restated[key] == predecessor[key] > 0
    assert restated["members"] == predecessor["members"]
    assert restated["statistics"]["removed"] == predecessor["statistics"]["removed"] == 1
    # the units that were not merged are the same either way
    assert (
        build_summary(SummaryContext(tree.sibling, *period, restated=True))["admitted"]
        == (build_summary(SummaryContext(tree.sibling, *period))["admitted"])
    )


def test_restated_option_on_the_cli_the_api_and_the_pages(
    tree: Any, history: dict, client: Any
) -> None:
    from django.contrib.auth import get_user_model

    from ptdv.access.models import Position, Role
    from ptdv.exchange.tokens import token_create

    officer = get_user_model().objects.create_user(username="tinh", password="x")
    Position.objects.create(
        user=officer, org_unit=tree.province, role=Role.ORG_BOARD, term_start=D(2020, 1, 1)
    )

    new = _merge(tree)
    args = ["report", "summary", "--org", new.code, "--from", "2019-01-01", "--to",
            "2025-06-30"]  # fmt: skip

    def cli(*extra: str) -> dict:
        out = io.StringIO()
        call_command(*args, *extra, stdout=out)
        return json.loads(out.getvalue())

    assert cli()["admitted"] == 0
    assert cli("--restated")["admitted"] == 2  # "mid" (2019) and "new" (2024)
    _t, key = token_create(actor=officer, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    q = {"org": new.code, "from": "2019-01-01", "to": "2025-06-30"}
    assert client.get("/api/v1/statistics/", q, **auth).json()["admitted"] == 0
    r = client.get("/api/v1/statistics/", {**q, "restated": "true"}, **auth)
    assert r.status_code == 200 and r.json()["admitted"] == 2 and r.json()["restated"] is True

    client.force_login(officer)
    page = {"org": str(new.uid), "from": "2019-01-01", "to": "2025-06-30"}
    r = client.get("/reports/statistics/", page)
    assert r.context["stats"]["admitted"] == 0
    html = r.content.decode()
    assert "Quy đổi theo tổ chức hiện nay" in html and 'id="restated-notice"' not in html
    r = client.get("/reports/statistics/", {**page, "restated": "1"})
    assert r.context["stats"]["admitted"] == 2
    assert 'id="restated-notice"' in r.content.decode()
    # every number links to a drill-down that keeps the option, and counts the same
    admitted = next(row for row in r.context["stats"]["main"] if row.key == "admitted")
    assert "restated=1" in admitted.href
    assert client.get(admitted.href).context["count"] == 2


def test_counts_by_child_across_a_move(tree: Any, history: dict) -> None:
    """A unit moved up a level has paths of two lengths. Each row goes to the FIRST
    child (in order) one of whose paths begins it — the children are counted as a
    partition, a row never twice — checked against that rule written as a ``CASE``
    (the previous implementation); after the move, when the children's histories no
    longer overlap, each child's number is its own count."""
    from django.db.models import Case, Count, IntegerField, Value, When

    from ptdv.reports.selectors import (
        BY_ORG_KEYS,
        counts_by_child,
        indicator,
        indicator_queryset,
        unit_paths,
    )

    org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=tree.province, date=CHANGE)
    membership_event_add(actor=None, person=history["new"], kind="recognized", date=D(2025, 9, 2))
    children = [tree.grassroots_cell, tree.district, tree.sibling]
    spanning, after = Period(D(2019, 1, 1), D(2025, 12, 31)), Period(CHANGE, D(2026, 6, 30))
    for restated in (False, True):
        paths = unit_paths(children, restated=restated)
        assert len({len(p) for c in children for p in paths[c.pk]}) > 1  # two lengths
        whens = [When(path__startswith=p, then=Value(c.pk)) for c in children
                 for p in sorted(paths[c.pk])]  # fmt: skip
        for period in (spanning, after):
            by = counts_by_child(BY_ORG_KEYS, tree.province, period, children, restated=restated)
            for key in BY_ORG_KEYS:
                rows = (
                    indicator(key).periods(tree.province, period, restated=restated)
                    .annotate(child=Case(*whens, default=None, output_field=IntegerField()))
                    .filter(child__isnull=False).values("child")
                    .annotate(n=Count("person_id", distinct=True)).order_by()
                )  # fmt: skip
                expected = {c.pk: 0 for c in children} | {r["child"]: r["n"] for r in rows}
                assert by[key] == expected, (key, period, restated)
                if period is after:
                    for c in children:
                        own = indicator_queryset(key, c, period, restated=restated).count()
                        assert by[key][c.pk] == own, (key, c.code, restated)
        assert sum(by["members"].values()) > 0
