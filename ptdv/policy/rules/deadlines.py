"""Deadlines in working days (rules-reference §4.4): the decision, the ceremony, the
recognition review and the new member's record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils.translation import gettext as _

from ptdv.policy import workdays
from ptdv.policy.rules.common import (
    _EMPTY,
)
from ptdv.policy.types import (
    Finding,
    Policy,
)

# ---------------------------------------------------------------- deadlines (§4.4)


def deadline_decision(
    cell_resolution_on: dt.date,
    p: Policy,
    *,
    recognition: bool = False,
    extension_wd: int = 0,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """Last day for the competent committee to decide: 60 working days after the cell's
    resolution for an admission, 30 for a recognition, plus an extension of at most 30."""
    if extension_wd < 0 or extension_wd > p.deadline_extension_max_wd:
        raise ValueError(
            f"extension must be between 0 and {p.deadline_extension_max_wd} working days"
        )
    days = p.deadline_decide_recognition_wd if recognition else p.deadline_decide_admission_wd
    return workdays.add_working_days(
        cell_resolution_on, days + extension_wd, extra_off=extra_off, extra_work=extra_work
    )


def check_extension(extension_wd: int, p: Policy) -> list[Finding]:
    if 0 <= extension_wd <= p.deadline_extension_max_wd:
        return []
    return [
        Finding(
            "deadline.extension_too_long",
            _("The extension may not exceed %(max)s working days.")
            % {"max": p.deadline_extension_max_wd},
            p.source("deadline.upper_extension_max_wd"),
        )
    ]


def deadline_ceremony(
    decision_received_on: dt.date,
    p: Policy,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """Ceremony within 30 working days of the day the cell receives the decision."""
    return workdays.add_working_days(
        decision_received_on, p.deadline_ceremony_wd, extra_off=extra_off, extra_work=extra_work
    )


def deadline_recognition_review(
    probation_end_on: dt.date,
    p: Policy,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """The cell reviews recognition within 30 working days of the end of probation."""
    return workdays.add_working_days(
        probation_end_on,
        p.deadline_recognition_review_wd,
        extra_off=extra_off,
        extra_work=extra_work,
    )


def deadline_member_record(
    ceremony_on: dt.date,
    p: Policy,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """The new member's party-member record (lý lịch đảng viên) within 30 working days."""
    return workdays.add_working_days(
        ceremony_on, p.deadline_member_record_wd, extra_off=extra_off, extra_work=extra_work
    )
