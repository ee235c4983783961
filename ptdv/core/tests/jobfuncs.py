"""Job functions used by the worker tests."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ptdv.core.errors import DomainError
from ptdv.core.jobs import JobContext

RUNS: list[int] = []  # job pks, in the order run (threads of one process)
_LOCK = threading.Lock()


def record(ctx: JobContext) -> None:
    with _LOCK:
        RUNS.append(ctx.job.pk)
    time.sleep(float(ctx.params.get("sleep", 0)))
    ctx.set_data({"ran": True})


def refuse(ctx: JobContext) -> None:
    raise DomainError("Không được.")


def crash(ctx: JobContext) -> None:
    raise RuntimeError("boom")


def wait_for_go(ctx: JobContext) -> None:
    """Says it started (a file), waits for the test's "go" file, then writes its result."""
    Path(ctx.params["started"]).write_text(str(ctx.job.attempts))
    go = Path(ctx.params["go"])
    for _ in range(600):
        if go.exists():
            break
        time.sleep(0.05)
    ctx.save_file("result.txt", f"attempt {ctx.job.attempts}".encode())
