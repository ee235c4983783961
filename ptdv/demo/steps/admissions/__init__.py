"""Demo step: sources and admission cases run through the admission services in
simulated time, from the plan's dates (``ptdv/demo/plan.py``, ``CASES_FROM``).

Every admission of the plan from ``CASES_FROM`` on (except the transferred-in
probationary members, whose history the people step writes) is taken from the source
list to official member — or removal — by the same services a user calls; today's
cases are left in every stage, some overdue, and a few past cases are rejected.
Source lists and their entries are bulk-inserted (they carry no rule).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ptdv.admissions import checks
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.demo.steps.admissions.history import History
from ptdv.demo.steps.admissions.runner import BULK_BEFORE, Runner, services_from
from ptdv.demo.steps.admissions.sources import source_lists
from ptdv.demo.steps.admissions.today import OPEN_TARGETS, open_case_today, rejected_case
from ptdv.people.rules import age_in_months

__all__ = ["BULK_BEFORE", "run", "services_from"]


@transaction.atomic
def run(ctx: DemoContext, *, boundary: dt.date | None = None) -> None:
    """``boundary``: cases with a ceremony before it are written in bulk (default
    ``services_from(ctx)``); the equivalence test passes it explicitly."""
    with checks.calendar_snapshot():
        _run(ctx, boundary)


def _run(ctx: DemoContext, boundary: dt.date | None = None) -> None:
    boundary = boundary or services_from(ctx)
    r = Runner(ctx)
    plan = ctx.plan
    cases_from = P.CASES_FROM
    if cases_from is None:
        ctx.say("  (CASES_FROM = None: không chạy hồ sơ kết nạp)")
        return
    admitted = sorted(
        (
            p
            for p in plan.people
            if p.admitted_on
            and cases_from <= p.admitted_on <= ctx.today
            and p.transferred_in_on is None
        ),
        key=lambda p: (p.admitted_on, p.key),
    )
    masses = [p for p in plan.people if p.admitted_on is None and p.candidate_since]
    recent = [p for p in masses if p.candidate_since >= dt.date(2025, 1, 1)]  # type: ignore[operator]
    older = [
        p
        for p in masses
        if dt.date(2012, 1, 1) <= p.candidate_since <= dt.date(2023, 12, 31)  # type: ignore[operator]
        and age_in_months(p.date_of_birth, p.candidate_since) >= 216  # type: ignore[arg-type]
    ]
    rejected = r.rng.sample(older, min(30, len(older)))
    case_keys = {p.key for p in recent} | {p.key for p in rejected}
    source_lists(r, [*admitted, *masses], case_keys)
    history = History(r)
    older_cases = [p for p in admitted if p.admitted_on < boundary]  # type: ignore[operator]
    for p in older_cases:
        history.add(p)
    history.flush()
    ctx.say(
        f"  {len(older_cases)} hồ sơ có lễ kết nạp trước {boundary:%d/%m/%Y} ghi theo lô; "
        f"từ {boundary:%d/%m/%Y} qua từng bước dịch vụ"
    )
    r.stats["admitted"] += len(older_cases)
    r.stats["removed"] += sum(1 for p in older_cases if p.removed_probationary_on)
    r.stats["recognized"] += sum(1 for p in older_cases if not p.removed_probationary_on)
    for i, p in enumerate(a for a in admitted if a.admitted_on >= boundary):  # type: ignore[operator]
        r.run_admission(p)
        if i and i % 200 == 0:
            ctx.say(f"  … {i} hồ sơ qua từng bước")
    for i, p in enumerate(rejected):
        rejected_case(r, p, by_committee=i % 3 == 0)
    r.stats["rejected"] = len(rejected)
    for i, p in enumerate(sorted(recent, key=lambda p: p.key)):
        target = OPEN_TARGETS[i % len(OPEN_TARGETS)]
        open_case_today(r, p, target, overdue=i % 5 == 0 and target in {"cell_voted", "decided"})
    r.stats["open"] = len(recent)
    ctx.say(
        "  hồ sơ kết nạp: {admitted} kết nạp, {recognized} công nhận chính thức, "
        "{removed} xóa tên dự bị, {rejected} không kết nạp, {open} đang mở".format(**r.stats)
    )
