"""``ptdv org tree --as-of``: the tree valid on a date, across a merge."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.organizations import services
from ptdv.organizations.management.commands.org import Command

D = dt.date(2025, 7, 1)


@pytest.fixture
def merged(tree: Any) -> Any:
    """From 01/07/2025 the communes A-X (district A) and B-Y (district B) are merged into
    the new commune committee A-XM directly under the province."""
    new = services.org_unit_create(
        actor=None,
        code="A-XM",
        name="Đảng bộ xã Xuân Yên",
        kind="commune",
        parent=tree.province,
        valid_from=D,
    )
    services.org_unit_merge(
        actor=None,
        units=[tree.grassroots, tree.sibling_grassroots],
        into=new,
        date=D,
        decision="1683/NQ-UBTVQH15",
    )
    return tree


def _tree(*args: str) -> Any:
    out = io.StringIO()
    call_command("org", "tree", *args, stdout=out)
    return out.getvalue()


def _by_code(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in rows}


def test_json_before_and_after_a_merge(merged: Any) -> None:
    before = _by_code(json.loads(_tree("--as-of", "2025-06-30", "--format", "json")))
    assert set(before) == {"P", "A", "B", "A-X", "A-X-1", "A-X-2", "A-T", "B-Y", "B-Y-1"}
    assert before["A-X"] == {
        "code": "A-X",
        "name": "Đảng bộ xã Xuân",
        "parent": "A",
        "level": "grassroots",
        "kind": "grassroots_committee",
        "depth": 2,
        "valid_from": "2000-01-01",
        "valid_to": "2025-06-30",
    }
    assert before["A-X-1"]["parent"] == "A-X" and before["A-X-1"]["valid_to"] == "2025-06-30"
    assert before["B-Y-1"]["parent"] == "B-Y"
    assert before["P"]["parent"] is None and before["P"]["valid_to"] is None
    after = _by_code(json.loads(_tree("--as-of", "2025-07-01")))
    assert set(after) == {"P", "A", "B", "A-XM", "A-X-1", "A-X-2", "A-T", "B-Y-1"}
    assert after["A-XM"]["parent"] == "P"
    assert after["A-XM"]["level"] == "upper"
    assert (after["A-XM"]["valid_from"], after["A-XM"]["valid_to"]) == ("2025-07-01", None)
    assert {after[c]["parent"] for c in ("A-X-1", "A-X-2", "B-Y-1")} == {"A-XM"}
    assert after["A-X-1"]["valid_from"] == "2025-07-01"
    assert after["A-X-1"]["depth"] == 2


def test_root_limits_to_the_subtree_of_that_date(merged: Any) -> None:
    rows = json.loads(_tree("--as-of", "2025-06-30", "--root", "A"))
    assert [r["code"] for r in rows] == ["A", "A-X", "A-X-1", "A-X-2", "A-T"]  # tree order
    rows = json.loads(_tree("--as-of", "2025-07-01", "--root", "A"))
    assert {r["code"] for r in rows} == {"A", "A-T"}
    with pytest.raises(CommandError, match="không tồn tại vào ngày 30/06/2025"):
        _tree("--as-of", "2025-06-30", "--root", "A-XM")
    with pytest.raises(CommandError, match="Không có tổ chức đảng mã"):
        _tree("--root", "KHONG-CO")


def test_table(merged: Any) -> None:
    text = _tree("--as-of", "2025-07-01", "--format", "table", "--root", "A-XM")
    lines = text.splitlines()
    assert lines[0] == "Cây tổ chức đảng ngày 01/07/2025: 4 tổ chức"
    assert lines[1].startswith("A-XM ")
    assert all(line.startswith("  ") for line in lines[2:])
    assert "Chi bộ thôn Bản Mới" in text


@pytest.mark.parametrize("bad", ["2025-02-30", "30/06/2025", "hôm qua"])
def test_bad_date_is_refused_with_a_non_zero_exit(merged: Any, bad: str, capsys: Any) -> None:
    with pytest.raises(CommandError, match="ngày không hợp lệ"):
        _tree("--as-of", bad)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["ptdv", "org", "tree", "--as-of", bad])
    assert exit_.value.code != 0
    assert "--as-of: ngày không hợp lệ" in capsys.readouterr().err
