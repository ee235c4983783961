"""The durable job queue: the web enqueues long work (imports, exports) as a row of the job
table; ``ptdv worker`` claims it, runs it and records progress, result or error.

    job = start_job("reports.export", request.user, "ptdv.reports.exports.run_export",
                    {"org": "CD"})
    return redirect(job_url(job))          # the status page polls a progress bar

The function named by ``func_path`` takes one argument, a ``JobContext``::

    def run_export(ctx: JobContext) -> None:
        for i, chunk in enumerate(chunks):
            ctx.progress(100 * i // len(chunks), _("Writing rows…"))
        ctx.save_file("export.xlsx", data)     # offered as a download when done
        ctx.set_next(url)                      # optional: where "Continue" leads

Raise ``DomainError`` to fail the job with a message for the user; any other exception fails
it with a generic message (the traceback goes to the log). A job function writes its data in
its own transaction(s), so that a job killed mid-way leaves nothing half-written.

The queue. ``start_job`` only inserts a "queued" row (visible to workers when the request's
transaction commits). A worker claims the oldest queued job — on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED``, elsewhere with ``UPDATE … WHERE status = 'queued'`` whose
row count says who won — and holds it under a lease (``PTDV_JOB_LEASE_SECONDS``) that a
heartbeat thread extends while the job runs. A job still "running" after its lease expired
was left by a dead worker: ``reap_expired`` puts it back in the queue until it has been tried
``PTDV_JOB_MAX_ATTEMPTS`` times, then fails it with a message. Two workers never run the same
job: the claim is one atomic statement and a worker only finishes a job it still holds.

Daily commands. The worker also runs the management commands of ``PTDV_DAILY_COMMANDS`` once
a day: a ``DailyRun`` row (unique per command and day) is the claim, so two workers never run
the same command twice on the same day.

With ``settings.PTDV_JOBS_EAGER = True`` (tests) a job runs inline, in the caller's
transaction, without a worker.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.core.models import DailyRun, Job, JobStatus

log = logging.getLogger(__name__)

# an inline job (eager mode) or one from before the worker has no lease: silent this long = lost
STALE_AFTER = dt.timedelta(minutes=15)
INLINE = "inline"


def lease_seconds() -> int:
    return int(getattr(settings, "PTDV_JOB_LEASE_SECONDS", 120))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "PTDV_JOB_MAX_ATTEMPTS", 2)))


class JobContext:
    """What a job function sees: its job, parameters, user, and progress reporting."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_progress = -1

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    @property
    def user(self) -> Any:
        return self.job.user

    def progress(self, percent: float, message: str = "") -> None:
        value = max(0, min(99, int(percent)))
        if value == self._last_progress and not message:
            return
        self._last_progress = value
        fields: dict[str, Any] = {"progress": value}
        if message:
            fields["message"] = str(message)
        _update_job(self.job.pk, **fields)

    def save_file(self, name: str, content: bytes) -> None:
        self.job.result.save(name, ContentFile(content), save=False)
        _update_job(self.job.pk, result=self.job.result.name, result_name=name)

    def set_next(self, url: str) -> None:
        _update_job(self.job.pk, next_url=url)

    def set_data(self, data: dict[str, Any]) -> None:
        _update_job(self.job.pk, data=data)

    def message(self, text: str) -> None:
        _update_job(self.job.pk, message=str(text))


def _update_job(pk: int, *, only_if: Q | None = None, **fields: Any) -> int:
    """Write the job row, waiting out a table lock: SQLite's shared-cache databases (the
    test suite's in-memory one) answer "database table is locked" at once, without the busy
    timeout, while the status page reads the same row."""
    for attempt in range(50):
        try:
            rows = Job.objects.filter(pk=pk)
            if only_if is not None:
                rows = rows.filter(only_if)
            return rows.update(**fields, updated_at=timezone.now())
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
    return 0  # pragma: no cover — the loop returns or raises


def resolve(func_path: str) -> Callable[[JobContext], Any]:
    module_name, _sep, attr = func_path.rpartition(".")
    if not module_name.startswith("ptdv."):
        raise ValueError(f"job functions live in the ptdv package: {func_path}")
    func = getattr(importlib.import_module(module_name), attr)
    if not callable(func):
        raise ValueError(f"not callable: {func_path}")
    return func


def start_job(
    kind: str,
    user: Any,
    func_path: str,
    params: dict[str, Any] | None = None,
    *,
    eager: bool | None = None,
) -> Job:
    """Queue ``func_path`` for a worker (the row is visible to workers when the current
    transaction commits); in eager mode run it at once, inline."""
    resolve(func_path)  # fail now, in the request, on a typo
    job = Job.objects.create(
        kind=kind,
        func=func_path,
        user=user if getattr(user, "is_authenticated", False) else None,
        params=params or {},
    )
    if eager is None:
        eager = bool(getattr(settings, "PTDV_JOBS_EAGER", False))
    if eager:
        run_inline(job.pk)
        job.refresh_from_db()
    return job


def run_inline(pk: int) -> None:
    """Run a job in this process and thread, without a claim (eager mode, tests)."""
    now = timezone.now()
    _update_job(
        pk, status=JobStatus.RUNNING, worker=INLINE, attempts=F("attempts") + 1, started_at=now
    )
    execute(Job.objects.select_related("user").get(pk=pk))


def execute(job: Job) -> str:
    """Run a job this worker holds; record its outcome (only while it still holds it)."""
    held = Q(status=JobStatus.RUNNING, worker=job.worker)
    try:
        func = resolve(job.func)
        func(JobContext(job))
    except DomainError as exc:
        return _finish(job.pk, JobStatus.FAILED, exc.message, held)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.func)
        message = _("The task failed unexpectedly. Nothing was changed.")
        return _finish(job.pk, JobStatus.FAILED, message, held)
    return _finish(job.pk, JobStatus.DONE, None, held)


def _finish(pk: int, status: str, message: str | None, held: Q) -> str:
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "lease_expires_at": None,
    }
    if status == JobStatus.DONE:
        fields["progress"] = 100
    if message is not None:
        fields["message"] = message
    if not _update_job(pk, only_if=held, **fields):
        log.warning("job %s: finished after its lease was lost; outcome not recorded", pk)
    return status


# --- the queue --------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def claim_next(worker: str) -> Job | None:
    """Claim the oldest queued job for ``worker``, or None when the queue is empty."""
    now = timezone.now()
    claimed = {
        "status": JobStatus.RUNNING,
        "worker": worker,
        "lease_expires_at": now + dt.timedelta(seconds=lease_seconds()),
        "attempts": F("attempts") + 1,
        "started_at": now,
        "updated_at": now,
        "message": "",
    }
    queued = Job.objects.filter(status=JobStatus.QUEUED).order_by("id")
    pk: int | None = None
    if connection.vendor == "postgresql":
        with transaction.atomic():
            pk = queued.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
            if pk is None:
                return None
            Job.objects.filter(pk=pk).update(**claimed)
    else:  # one UPDATE … WHERE status = 'queued': its row count says who won the job
        for candidate in list(queued.values_list("pk", flat=True)[:10]):
            if Job.objects.filter(pk=candidate, status=JobStatus.QUEUED).update(**claimed):
                pk = candidate
                break
        if pk is None:
            return None
    return Job.objects.select_related("user").get(pk=pk)


def reap_expired() -> tuple[int, int]:
    """Jobs left "running" by a dead worker (lease expired; without a lease: silent for
    ``STALE_AFTER``): back to the queue while attempts remain, else failed with a message.
    Returns (requeued, failed). Reads first: the status page calls this on every poll."""
    now = timezone.now()
    expired = Q(status=JobStatus.RUNNING) & (
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, updated_at__lt=now - STALE_AFTER)
    )
    if not Job.objects.filter(expired).exists():
        return 0, 0
    requeued = Job.objects.filter(expired, attempts__lt=max_attempts()).update(
        status=JobStatus.QUEUED,
        worker="",
        lease_expires_at=None,
        progress=0,
        message=_("Interrupted; the task will start again."),
        updated_at=now,
    )
    failed = Job.objects.filter(expired).update(
        status=JobStatus.FAILED,
        lease_expires_at=None,
        finished_at=now,
        updated_at=now,
        message=_("The task was interrupted (the server restarted). Nothing was changed."),
    )
    if requeued or failed:
        log.warning("jobs left by a stopped worker: %s queued again, %s failed", requeued, failed)
    return requeued, failed


class _Heartbeat(threading.Thread):
    """Extends the lease of the job being run, from its own database connection."""

    def __init__(self, pk: int, worker: str) -> None:
        super().__init__(name=f"ptdv-job-{pk}-heartbeat", daemon=True)
        self.pk, self.worker = pk, worker
        self.done = threading.Event()

    def run(self) -> None:
        interval = max(0.2, lease_seconds() / 3)
        try:
            while not self.done.wait(interval):
                until = timezone.now() + dt.timedelta(seconds=lease_seconds())
                try:
                    Job.objects.filter(
                        pk=self.pk, status=JobStatus.RUNNING, worker=self.worker
                    ).update(lease_expires_at=until)
                except OperationalError:  # a busy database: the next beat tries again
                    log.warning("job %s: heartbeat failed", self.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections only


def run_daily_commands(worker: str, *, today: dt.date | None = None) -> list[str]:
    """Run each command of ``PTDV_DAILY_COMMANDS`` not yet run today (by any worker)."""
    today = today or timezone.localdate()
    ran: list[str] = []
    for name in getattr(settings, "PTDV_DAILY_COMMANDS", []):
        if DailyRun.objects.filter(command=name, day=today).exists():
            continue
        try:
            with transaction.atomic():
                run = DailyRun.objects.create(command=name, day=today, worker=worker)
        except IntegrityError:  # another worker claimed it first
            continue
        out = io.StringIO()
        ok = True
        try:
            call_command(name, stdout=out, stderr=out)
        except Exception as exc:
            log.exception("daily command %s failed", name)
            out.write(f"\n{type(exc).__name__}: {exc}")
            ok = False
        DailyRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), ok=ok, output=out.getvalue()[-10_000:]
        )
        ran.append(name)
    return ran


class Worker:
    """The loop of ``ptdv worker``: reap, run the daily commands, claim and run one job."""

    DAILY_CHECK = dt.timedelta(minutes=1)

    def __init__(self, *, name: str | None = None, poll: float = 1.0, daily: bool = True) -> None:
        self.name = name or worker_name()
        self.poll = poll
        self.daily = daily
        self.stopping = threading.Event()
        self.jobs_run = 0
        self._daily_checked: dt.datetime | None = None

    def stop(self) -> None:
        """Stop after the job in hand (graceful SIGTERM)."""
        self.stopping.set()

    def run_once(self) -> Job | None:
        reap_expired()
        now = timezone.now()
        if self.daily and (
            self._daily_checked is None or now - self._daily_checked >= self.DAILY_CHECK
        ):
            self._daily_checked = now
            run_daily_commands(self.name)
        job = claim_next(self.name)
        if job is None:
            return None
        heartbeat = _Heartbeat(job.pk, self.name)
        heartbeat.start()
        try:
            log.info("job %s (%s) claimed by %s", job.pk, job.func, self.name)
            execute(job)
        finally:
            heartbeat.done.set()
            heartbeat.join()
        self.jobs_run += 1
        return job

    def run(self, *, burst: bool = False, max_jobs: int | None = None) -> int:
        """Loop until stopped (``burst``: until the queue is empty). Returns jobs run."""
        while not self.stopping.is_set():
            try:
                job = self.run_once()
            except OperationalError:  # the database went away for a moment
                log.exception("worker %s: database error; trying again", self.name)
                for conn in connections.all():
                    conn.close_if_unusable_or_obsolete()
                job = None
            if max_jobs is not None and self.jobs_run >= max_jobs:
                break
            if job is None:
                if burst:
                    break
                self.stopping.wait(self.poll)
        return self.jobs_run


# The job pages' reads (the pages are served by ``ptdv.exchange.job_views``): a user sees
# their own jobs, a superuser every job; another's job is "not found".


def job_url(job: Job) -> str:
    return reverse("exchange:job", args=[job.uid])


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    if getattr(user, "is_superuser", False):
        return Job.objects.all()
    return (
        Job.objects.filter(user=user)
        if getattr(user, "is_authenticated", False)
        else Job.objects.none()
    )


def job_get_for(*, user: Any, uid: Any) -> Job:
    job = jobs_visible_to(user).filter(uid=uid).first()
    if job is None:
        raise Http404
    return job
