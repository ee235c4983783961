"""Issue 16 point 4: a count carries the same number wherever it appears under the same
name. The overview (dashboard) and the statistics page of the same unit and period are
read as the organization board; every figure linked to the list of its people names its
indicator (``data-key``) — two figures with the same key must agree, and the members by
status (the overview's bars) must agree with the statistics page's."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
D = dt.date
FIG = re.compile(r'<a href="([^"]+)" data-key="([^"]+)">([\d.]+)</a>')


def _figures(html: str) -> dict[str, set[tuple[int, str]]]:
    out: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for href, key, n in FIG.findall(html):
        out[key].add((int(n.replace(".", "")), href.replace("&amp;", "&")))
    return out


def test_same_named_counts_agree(client: Any, tree: Any, personas: Any) -> None:
    from ptdv.admissions.tests.conftest import World, drive, make_member
    from ptdv.people.services import person_create

    w = World(tree, personas, [make_member(tree, f"Đảng Viên {i}") for i in range(6)], None)
    for name, stage in [("Hoàng Văn Quyết", "recognized"), ("Lò Văn Lễ", "probation")]:
        w.applicant = person_create(
            actor=None,
            org_unit=tree.cell,
            full_name=name,
            date_of_birth=D(2000, 1, 15),
            gender="male",
            education_general="upper_secondary",
            audit=False,
        )
        drive(w, stage)
    client.force_login(personas.district_officer)
    q = {"org": str(tree.district.uid), "from": "2024-01-01", "to": "2025-12-31"}
    pages = {
        "statistics": client.get("/reports/statistics/", q).content.decode(),
        "dashboard": client.get("/reports/overview/", q).content.decode(),
    }
    seen: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for page, html in pages.items():
        for key, values in _figures(html).items():
            for n, href in values:
                seen[key][href].add(n)
                seen[key]["@" + page].add(n)
    # one figure per link (the same list of people) everywhere
    clash = {
        key: {href: sorted(ns) for href, ns in by.items() if len(ns) > 1 and href[0] != "@"}
        for key, by in seen.items()
    }
    assert not {k: v for k, v in clash.items() if v}
    stats = _figures(pages["statistics"])
    official = {n for n, _ in stats["members.official"]}
    assert official == {7}  # six members and the one recognized in 2025
    assert f"Đảng viên chính thức: {official.pop()}</a>" in pages["dashboard"]
    assert {n for n, _ in stats["recognized"]} == {1}
    assert {n for n, _ in stats["admitted"]} == {2}
