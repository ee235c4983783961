"""Job functions used by the job runner tests."""

from __future__ import annotations

from ptdv.core.errors import DomainError
from ptdv.core.jobs import JobContext


def count_to(ctx: JobContext) -> None:
    n = int(ctx.params.get("n", 3))
    for i in range(n):
        ctx.progress(100 * i / n, f"{i}/{n}")
    ctx.save_file("result.txt", b"done")
    ctx.set_next("/exchange/jobs/")


def refuse(ctx: JobContext) -> None:
    raise DomainError("Không được.")


def crash(ctx: JobContext) -> None:
    raise RuntimeError("boom")
