"""The audit history shown on object pages: labels, actor, old → new in words."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ptdv.audit.models import AuditEntry
from ptdv.audit.selectors import entries_for, entries_visible_to, history_rows
from ptdv.audit.services import record


def test_rows_translate_keys_and_coded_values(personas: Any, tree: Any) -> None:
    from ptdv.people.tests.conftest import make_member

    p = make_member(tree.cell, "Nông Văn Sử")
    record(
        action="people.membership.event_added",
        actor=personas.district_officer,
        target=p,
        org_unit=tree.cell,
        data={
            "event": "recognized",
            "date": "2016-03-01",
            "status": {"old": "probationary", "new": "official"},
        },
    )
    with translation.override("vi"):
        (row,) = history_rows(entries_for(p).filter(actor=personas.district_officer))
        html = render_to_string("audit/_history.html", {"rows": [row]})
    assert row.label == "Ghi nhận sự kiện đảng tịch"
    assert row.actor == "bantochuc"
    shown = {c.key: (c.value if not c.is_diff else (c.old, c.new)) for c in row.changes}
    assert shown == {
        "sự kiện": "Công nhận đảng viên chính thức",
        "ngày": "01/03/2016",
        "trạng thái": ("Đảng viên dự bị", "Đảng viên chính thức"),
    }
    assert "Đảng viên dự bị → Đảng viên chính thức" in html


def test_record_masks_secrets_and_is_append_only(tree: Any) -> None:
    e = record(action="x.y.z", target=tree.cell, org_unit=tree.cell, data={"password": "p", "a": 1})
    assert e.data == {"password": "***", "a": 1}
    with pytest.raises(RuntimeError):
        e.save()
    with pytest.raises(RuntimeError):
        e.delete()
    with pytest.raises(TypeError):
        record(action="x.y.z", data=["not", "a", "dict"])  # type: ignore[arg-type]


def test_entries_scoped_by_org_path(personas: Any, tree: Any) -> None:
    record(action="t.a", org_unit=tree.cell)
    record(action="t.b", org_unit=tree.sibling_cell)
    record(action="t.c", org_unit=None)

    def seen(user: Any) -> set[str]:
        return {e.action for e in entries_visible_to(user).filter(action__startswith="t.")}

    assert seen(personas.cell_secretary) == {"t.a"}
    assert seen(personas.sibling_officer) == {"t.b"}
    assert seen(personas.district_officer) == {"t.a"}
    assert AuditEntry.objects.count() >= 3
