from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TextIO

from ptdv.demo.plan import Plan


@dataclass
class DemoContext:
    plan: Plan
    today: dt.date
    actor: Any  # the user the demo acts as (a superuser "demo")
    out: TextIO
    org_ids: dict[str, int] = field(default_factory=dict)  # org code → pk
    person_ids: dict[int, int] = field(default_factory=dict)  # plan key → Person pk
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, org

    def say(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()
