from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import TextIOBase
from typing import Any

from ptdv.demo.plan import Plan


@dataclass
class DemoContext:
    plan: Plan
    today: dt.date
    actor: Any  # the user the demo acts as (a superuser "demo")
    out: TextIOBase  # the command's stdout (or a StringIO)
    org_ids: dict[str, int] = field(default_factory=dict)  # org code → pk
    person_ids: dict[int, int] = field(default_factory=dict)  # plan key → Person pk
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, org
    # ``loaddemo --fast``: the admission cases with a ceremony before 2024 in bulk
    fast: bool = False

    def say(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()
