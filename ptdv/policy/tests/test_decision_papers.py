"""Required papers gate a decision (issue 15 point 7), as tables without database."""

from __future__ import annotations

import pytest

from ptdv.policy import rules
from ptdv.policy.loader import all_policies, policy_by_code
from ptdv.policy.types import DocumentFacts

P25 = policy_by_code("2025-07")


def doc(kind: str, status: str = "received") -> DocumentFacts:
    return DocumentFacts(kind, status, None)


@pytest.mark.parametrize(
    ("docs", "waived", "expected"),
    [
        ([doc("self_review"), doc("helper_comment", "verified")], {}, []),
        ([doc("self_review", "missing")], {}, [("papers.missing", "error")]),
        ([doc("self_review", "returned")], {}, [("papers.missing", "error")]),
        ([doc("self_review", "missing")], {"self_review": "lost"}, [("papers.waived", "warning")]),
        ([doc("self_review", "missing")], {"helper_comment": "x"}, [("papers.missing", "error")]),
    ],
)
def test_papers_gate_the_decision(docs: list, waived: dict, expected: list) -> None:
    found = rules.check_decision_papers("recognition", docs, waived, P25)
    assert [(f.code, f.severity) for f in found] == expected
    assert all(f.source == P25.source("dossier.required_for_recognition_decision") for f in found)


def test_waived_finding_names_the_reason() -> None:
    found = rules.check_decision_papers(
        "admission", [doc("vetting", "missing")], {"vetting": "thất lạc, đã xác minh lại"}, P25
    )
    assert "thất lạc, đã xác minh lại" in found[0].message


@pytest.mark.parametrize("p", all_policies(), ids=lambda p: p.code)
def test_every_policy_lists_the_papers_with_a_source(p) -> None:  # noqa: ANN001
    adm = rules.papers_required_for("admission", p)
    rec = rules.papers_required_for("recognition", p)
    assert {"application", "background", "cell_resolution"} <= set(adm)
    assert {"self_review", "helper_comment", "recognition_cell_resolution"} <= set(rec)
    for key in rules.DECISION_PAPERS_KEYS.values():
        assert p.sources[key].strip()
