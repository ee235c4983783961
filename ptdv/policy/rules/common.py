"""Shared pieces of the admission rules: severities, labels, dates in messages, and the
calendar-month arithmetic (Bộ luật Dân sự 2015, Điều 148: "N months after D" is the same
day-of-month N months later, clamped to the last day of a shorter month)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ptdv.policy.types import (
    DocumentFacts,
    Finding,
)

ERROR = "error"
WARNING = "warning"

# General education, lowest first (same values as ptdv.people.choices.GeneralEducation).
EDUCATION_RANK = {
    "none": 0,
    "literate": 1,
    "primary": 2,
    "lower_secondary": 3,
    "upper_secondary": 4,
}

_EMPTY: frozenset[dt.date] = frozenset()


def education_label(level: str) -> str:
    labels = {
        "none": _("no schooling"),
        "literate": _("literate in Quốc ngữ"),
        "primary": _("primary school completed"),
        "lower_secondary": _("lower-secondary diploma"),
        "upper_secondary": _("upper-secondary diploma"),
    }
    return labels.get(level, level)


def document_label(doc: DocumentFacts) -> str:
    """The name of a dossier document in messages: the caller's label, else a known kind."""
    if getattr(doc, "label", ""):
        return doc.label
    labels = {
        "awareness_certificate": _("awareness class certificate"),
        "application": _("application for admission (1-KNĐ)"),
        "background": _("background form (2-KNĐ)"),
        "vetting": _("vetting results"),
        "introduction": _("introducer's letter (3-KNĐ / 3A-KNĐ)"),
        "youth_union_resolution": _("Youth Union introduction resolution (4-KNĐ)"),
        "trade_union_resolution": _("trade union introduction resolution (4A-KNĐ)"),
        "comments": _("summary of comments (5-KNĐ)"),
        "cell_resolution": _("cell resolution proposing admission (6-KNĐ)"),
        "grassroots_resolution": _("grassroots committee resolution (8-KNĐ)"),
        "provincial_consent": _("written consent of the provincial standing committee"),
        "self_review": _("probationer's self-review (10-KNĐ)"),
        "helper_comment": _("helping member's comments (11-KNĐ)"),
        "recognition_comments": _("summary of comments on recognition (12-KNĐ)"),
        "recognition_cell_resolution": _("cell resolution on recognition (13-KNĐ)"),
        "recognition_grassroots_resolution": _("grassroots resolution on recognition (15-KNĐ)"),
    }
    return str(labels.get(doc.kind, doc.kind))


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


# ---------------------------------------------------------------- date arithmetic


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` + ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def completed_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``: the largest k with add_months(start, k) <= end
    (negative when ``end`` is before ``start``)."""
    k = (end.year - start.year) * 12 + (end.month - start.month)
    while add_months(start, k) > end:
        k -= 1
    return k


def age_in_months(born: dt.date, on: dt.date) -> int:
    return completed_months(born, on)


def errors(findings: Sequence[Finding]) -> list[Finding]:
    """The blocking findings only."""
    return [f for f in findings if f.severity == ERROR]
