"""/orgs/ at any scale (issue 13): the same number of queries and about the same bytes with
three times the organizations; children and search matches come one page at a time."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ptdv.organizations import selectors as sel
from ptdv.organizations.services import org_unit_create

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def grow(tree: Any, start: int, stop: int) -> None:
    """Communes ``start``..``stop`` under district A, each with one cell."""
    for i in range(start, stop):
        unit = org_unit_create(
            actor=None,
            code=f"A-G{i:03d}",
            name=f"Đảng bộ xã Thử {i:03d}",
            kind="grassroots_committee",
            parent=tree.district,
        )
        org_unit_create(
            actor=None, code=f"A-G{i:03d}-1", name=f"Chi bộ thôn {i:03d}", kind="cell", parent=unit
        )


def measure(c: Client, url: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url, params or {})
    assert r.status_code == 200
    return len(ctx.captured_queries), r.content.decode()


ONE = sel.CHILDREN_PAGE + 10  # more than a page at 1×


def test_tree_page_constant_in_data_size(personas: Any, tree: Any) -> None:
    c = client_for(personas.district_officer)
    url = reverse("organizations:tree")
    children = reverse("organizations:children", args=[tree.district.uid])
    search = {"q": "dang bo xa thu"}
    grow(tree, 0, ONE)
    small = [measure(c, url), measure(c, children, {"as_of": "2026-01-01"})]
    small.append(measure(c, url, search))
    grow(tree, ONE, 3 * ONE)
    big = [measure(c, url), measure(c, children, {"as_of": "2026-01-01"})]
    big.append(measure(c, url, search))
    for (n_small, html_small), (n_big, html_big) in zip(small, big, strict=True):
        assert n_small == n_big  # the same queries at 1× and 3×
        assert len(html_big.encode()) < 200_000
        assert abs(len(html_big) - len(html_small)) < 200  # a few digits, not 2× the units
    # the tree page: the first page of district A's children and a "more" line
    html = big[0][1]
    assert (
        len(re.findall(r'data-code="A-G\d{3}"', html)) == sel.CHILDREN_PAGE
    )  # Thử… before Xuân (A-X)
    total = 3 * ONE + 2
    assert f"{total - sel.CHILDREN_PAGE} tổ chức nữa" in html
    # the search: one page of matches and a link to the next
    found = big[2][1].split('id="tree-matches"')[1].split('id="org-tree"')[0]
    assert len(re.findall(r"Đảng bộ xã Thử \d{3}</a>", found)) == sel.SEARCH_PAGE
    assert 'rel="next"' in found


def test_children_pages_walk_every_child_once_in_order(personas: Any, tree: Any) -> None:
    grow(tree, 0, 2 * sel.CHILDREN_PAGE + 5)
    c = client_for(personas.district_officer)
    url = reverse("organizations:children", args=[tree.district.uid])
    seen: list[str] = []
    page: str | None = "as_of=2026-01-01&page=1"
    fragments = 0
    while page:
        html = c.get(f"{url}?{page}", HTTP_HX_REQUEST="true").content.decode()
        fragments += 1
        seen += re.findall(r'data-code="([^"]+)"', html)
        m = re.search(r'hx-get="[^"?]+\?([^"]+)"[^>]*hx-target="closest li"', html)
        page = unescape(m.group(1)) if m else None
    assert fragments == 3
    expected = sel.dated_children(
        personas.district_officer, sel.history.version_on(tree.district, _day()), _day()
    )
    assert seen[: sel.CHILDREN_PAGE] == [n.unit.code for n in expected]
    assert sorted(seen) == sorted(
        ["A-T", "A-X", *(f"A-G{i:03d}" for i in range(2 * sel.CHILDREN_PAGE + 5))]
    )
    assert len(seen) == len(set(seen))
    # branches (communes) before cells, each group in Vietnamese order
    assert seen.index("A-X") < seen.index("A-T")


def _day() -> Any:
    import datetime as dt

    return dt.date(2026, 1, 1)


def test_search_pages_and_ignores_diacritics(personas: Any, tree: Any) -> None:
    grow(tree, 0, sel.SEARCH_PAGE + 3)
    c = client_for(personas.district_officer)
    url = reverse("organizations:tree")
    first = c.get(url, {"q": "DANG BO XA thu"})
    assert len(first.context["matches"]) == sel.SEARCH_PAGE
    assert first.context["search"].has_next
    second = c.get(url, {"q": "đảng bộ xã thử", "page": "2"})
    assert len(second.context["matches"]) == 3
    assert not second.context["search"].has_next
    codes = {m.unit.code for m in first.context["matches"]} | {
        m.unit.code for m in second.context["matches"]
    }
    assert len(codes) == sel.SEARCH_PAGE + 3
    # a code matches too; another district's units never do
    assert [m.unit.code for m in c.get(url, {"q": "a-g007-1"}).context["matches"]] == ["A-G007-1"]
    assert c.get(url, {"q": "ban moi"}).context["matches"] == []  # B-Y-1 is district B's


def add_tops(start: int, stop: int, children: int = 0) -> None:
    """Top-level committees ``start``..``stop`` (provinces of a nation without a central
    root), each with ``children`` districts."""
    for i in range(start, stop):
        top = org_unit_create(
            actor=None,
            code=f"T{i:03d}",
            name=f"Đảng bộ tỉnh Mới {i:03d}",
            kind="province",
            parent=None,
        )
        for j in range(children):
            org_unit_create(
                actor=None,
                code=f"T{i:03d}-{j:02d}",
                name=f"Đảng bộ huyện {j:02d}",
                kind="district",
                parent=top,
            )


def test_many_tops_come_a_page_at_a_time_and_open_within_budget(tree: Any) -> None:
    """An administrator of a tree with many tops (the nation's provinces, no central
    root): one page of tops, the first ones open while their children shown stay within
    the budget, the same queries with 3 tops or 60."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("quantri", password="x")
    c = client_for(admin)
    url = reverse("organizations:tree")
    add_tops(0, 3, children=40)  # T000, T001, T002 (40 each) before P (by name)
    n_small, html_small = measure(c, url, {"as_of": "2026-01-01"})
    add_tops(3, sel.ROOTS_PAGE + 10)
    n_big, html = measure(c, url, {"as_of": "2026-01-01"})
    assert n_small == n_big
    assert len(html.encode()) < 200_000
    tops = 1 + sel.ROOTS_PAGE + 10
    first = c.get(url, {"as_of": "2026-01-01"})
    page = first.context["roots_page"]
    assert (page.count, len(page.nodes)) == (tops, sel.ROOTS_PAGE)
    assert f"1–{sel.ROOTS_PAGE} của {tops}" in html  # "Tổ chức cấp trên cùng 1–50 của 61"
    opened = [n for n in page.nodes if n.children]
    shown = sum(len(n.children) for n in opened)
    assert shown <= sel.OPEN_BUDGET
    assert [n.unit.code for n in opened] == ["T000", "T001"]  # 80; T002's 40 would pass 100
    assert shown == 80 and page.nodes[2].n_children == 40 and not page.nodes[2].children
    assert "40 tổ chức trực thuộc" in html  # T002 opens on demand
    # every top exactly once over the pages, in the tree's order (by name)
    seen: list[str] = []
    number = 1
    while True:
        r = c.get(url, {"as_of": "2026-01-01", "roots": str(number)})
        seen += [n.unit.code for n in r.context["roots"]]
        if not r.context["roots_page"].next_page:
            break
        assert f"roots={number + 1}" in r.content.decode()
        number += 1
    assert number == 2
    assert sorted(seen) == sorted(["P", *(f"T{i:03d}" for i in range(tops - 1))])
    assert len(seen) == len(set(seen))
    names = [n.name for p in (1, 2) for n in sel.dated_roots(admin, _day(), page=p).nodes]
    assert names[0] == "Đảng bộ tỉnh Mới 000" and names[-1] == "Đảng bộ tỉnh Thử"
    # a page past the end is empty, not an error; a bad number is page 1
    assert c.get(url, {"roots": "99"}).context["roots"] == []
    assert len(c.get(url, {"roots": "x"}).context["roots"]) == sel.ROOTS_PAGE
