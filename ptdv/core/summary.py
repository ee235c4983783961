from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: core imports no app above it
    from ptdv.organizations.models import OrgUnit


@dataclass(frozen=True)
class SummaryContext:
    """The subtree and period of ``ptdv report summary`` (both dates inclusive)."""

    org: OrgUnit
    date_from: dt.date
    date_to: dt.date
    # "restated to today's units": predecessors' history attributed to their successors
    restated: bool = False
