"""Pure target arithmetic: attainment, status, forecast, allocation. No ORM.

Forecast for the current year = actual so far + the expected admissions of the live
pipeline, each stage weighted by how likely it is to end in an admission this year:

==============================  ======
pipeline stage                  weight
==============================  ======
in an awareness class           0.30
dossier at the cell's vote      0.70
decision pending (committee)    0.90
==============================  ======

The weights are deliberately conservative and documented here; they are not policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.core.errors import DomainError

MET = "met"
EXCEEDED = "exceeded"
BEHIND = "behind"
NO_TARGET = "no_target"
STATUS_LABELS = {
    MET: gettext_lazy("Met"),
    EXCEEDED: gettext_lazy("Exceeded"),
    BEHIND: gettext_lazy("Behind"),
    NO_TARGET: gettext_lazy("No target"),
}

WEIGHT_IN_CLASS = Decimal("0.30")
WEIGHT_AT_VOTE = Decimal("0.70")
WEIGHT_DECISION_PENDING = Decimal("0.90")


@dataclass(frozen=True)
class Pipeline:
    in_class: int = 0
    at_vote: int = 0
    decision_pending: int = 0


def percent(actual: int, target: int | None) -> Decimal | None:
    """Attainment in % with one decimal; None when there is no (or a zero) target."""
    if not target:
        return None
    return (Decimal(100 * actual) / Decimal(target)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def status(actual: int, target: int | None) -> str:
    if target is None:
        return NO_TARGET
    if actual > target:
        return EXCEEDED
    if actual == target:
        return MET
    return BEHIND


def expected_from_pipeline(p: Pipeline) -> int:
    expected = (
        WEIGHT_IN_CLASS * p.in_class
        + WEIGHT_AT_VOTE * p.at_vote
        + WEIGHT_DECISION_PENDING * p.decision_pending
    )
    return int(expected.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def forecast(actual: int, pipeline: Pipeline) -> int:
    return actual + expected_from_pipeline(pipeline)


def check_value(value: int) -> None:
    if value < 0:
        raise DomainError(_("A target cannot be below zero."), field="value")


def check_allocation(
    *, parent_value: int | None, children_values: list[int], new_value: int, parent_name: str
) -> None:
    """The children's allocations together may not exceed the parent's target."""
    check_value(new_value)
    if parent_value is None:
        return
    total = sum(children_values) + new_value
    if total > parent_value:
        raise DomainError(
            _(
                "The allocations to the organizations of %(parent)s would total %(total)s, "
                "more than its own target of %(target)s."
            )
            % {"parent": parent_name, "total": total, "target": parent_value},
            field="value",
            code="allocation_exceeds_parent",
        )


def check_parent_not_below_children(*, new_value: int, children_total: int) -> None:
    check_value(new_value)
    if new_value < children_total:
        raise DomainError(
            _(
                "The target cannot be lower than the %(total)s already allocated to the "
                "child organizations."
            )
            % {"total": children_total},
            field="value",
            code="below_allocations",
        )


def check_unit_valid_for(
    *,
    unit_name: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    period_start: dt.date,
    period_end: dt.date,
    today: dt.date,
) -> None:
    """A target (set or allocated) needs a unit that exists during the period:

    - refused for a period that starts after the unit's end;
    - refused for a period that ends before the unit was founded;
    - refused for a unit already closed when the period reaches past its end (the rest of
      that period belongs to its successors: carry the target over to them).
    """
    fmt = "%d/%m/%Y"
    if valid_to is not None and period_start > valid_to:
        raise DomainError(
            _(
                "%(org)s ended on %(end)s: no target can be given for a period after its "
                "end. Carry its target over to its successors instead."
            )
            % {"org": unit_name, "end": valid_to.strftime(fmt)},
            field="org_unit",
            code="unit_ended",
        )
    if period_end < valid_from:
        raise DomainError(
            _("%(org)s was founded on %(start)s, after the end of this period.")
            % {"org": unit_name, "start": valid_from.strftime(fmt)},
            field="org_unit",
            code="unit_not_founded",
        )
    if valid_to is not None and valid_to < today and period_end > valid_to:
        raise DomainError(
            _(
                "%(org)s is closed (it ended on %(end)s): targets are not allocated to a "
                "closed organization. Carry its target over to its successors instead."
            )
            % {"org": unit_name, "end": valid_to.strftime(fmt)},
            field="org_unit",
            code="unit_closed",
        )
