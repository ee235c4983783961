"""Probation and recognition (rules-reference §5): end of probation, official date, party age."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ptdv.policy.rules.common import (
    add_months,
    fmt,
)
from ptdv.policy.types import (
    Finding,
    Policy,
)

# ---------------------------------------------------------------- probation (§5)


def probation_end(ceremony_on: dt.date, p: Policy) -> dt.date:
    """Ceremony + ``probation.months`` (end-of-month clamping): also the official date."""
    return add_months(ceremony_on, p.probation_months)


def official_date(ceremony_on: dt.date, p: Policy) -> dt.date:
    """Official membership dates from the end of probation, however late the vote or the
    decision (24-QĐ/TW 4.2.2)."""
    return probation_end(ceremony_on, p)


def can_recognize(ceremony_on: dt.date, vote_on: dt.date, p: Policy) -> list[Finding]:
    """The recognition vote may be held from the day the probation ends."""
    end = probation_end(ceremony_on, p)
    if vote_on < end:
        return [
            Finding(
                "probation.not_ended",
                _(
                    "The probation that began with the ceremony of %(ceremony)s ends on "
                    "%(end)s: the cell cannot vote on recognition on %(vote_on)s."
                )
                % {"ceremony": fmt(ceremony_on), "end": fmt(end), "vote_on": fmt(vote_on)},
                p.source("probation.months"),
            )
        ]
    return []


def party_age_start(decision_on: dt.date, p: Policy) -> dt.date:
    """Party age counts from the date of the admission decision (Charter Art. 5.4)."""
    return decision_on
