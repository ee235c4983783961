"""A generic background job runner: long imports and exports run outside the request.

    job = start_job("reports.export", request.user, "ptdv.reports.exports.run_export",
                    {"org": "CD"})
    return redirect(job_url(job))          # the status page polls a progress bar

The function named by ``func_path`` takes one argument, a ``JobContext``::

    def run_export(ctx: JobContext) -> None:
        for i, chunk in enumerate(chunks):
            ctx.progress(100 * i // len(chunks), _("Writing rows…"))
        ctx.save_file("export.xlsx", data)     # offered as a download when done
        ctx.set_next(url)                      # optional: where "Continue" leads

Raise ``DomainError`` to fail the job with a message for the user. The function runs in
a daemon thread started after the surrounding transaction commits; the thread uses its
own database connection and closes it at the end (on SQLite and PostgreSQL alike). With
``settings.PTDV_JOBS_EAGER = True`` (tests) it runs inline, in the caller's transaction.
Closing the browser page loses nothing: the job keeps running and its page can be
reopened from the job list. Every progress report is a heartbeat (``updated_at``). A
process restart while a job runs leaves it "running" with no heartbeat: the job pages
call ``fail_stale_jobs``, which marks failed the jobs silent for ``STALE_AFTER`` whose
thread is not alive in this process, so the user sees "interrupted" instead of a
progress bar that never moves.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.exchange.models import Job, JobStatus

log = logging.getLogger(__name__)


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


def _update_job(pk: int, **fields: Any) -> None:
    """Write the job row, waiting out a table lock: SQLite's shared-cache databases (the
    test suite's in-memory one) answer "database table is locked" at once, without the busy
    timeout, while the status page reads the same row."""
    import time

    from django.db import OperationalError

    for attempt in range(50):
        try:
            Job.objects.filter(pk=pk).update(**fields, updated_at=timezone.now())
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)


def _resolve(func_path: str) -> Callable[[JobContext], Any]:
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
    """Create the job and run ``func_path`` in a background thread once the current
    transaction commits (at once when not in a transaction)."""
    _resolve(func_path)  # fail now, in the request, on a typo
    job = Job.objects.create(
        kind=kind,
        user=user if getattr(user, "is_authenticated", False) else None,
        params=params or {},
        data={"func": func_path},
    )
    if eager is None:
        eager = bool(getattr(settings, "PTDV_JOBS_EAGER", False))
    if eager:
        run_job(job.pk, func_path)
        job.refresh_from_db()
        return job
    transaction.on_commit(lambda: _spawn(job.pk, func_path))
    return job


STALE_AFTER = dt.timedelta(minutes=15)
_THREADS: dict[int, threading.Thread] = {}  # job pk → its thread, in this process


def _spawn(pk: int, func_path: str) -> None:
    thread = threading.Thread(
        target=_thread_main, args=(pk, func_path), name=f"ptdv-job-{pk}", daemon=True
    )
    _THREADS[pk] = thread
    thread.start()


def _thread_main(pk: int, func_path: str) -> None:
    try:
        run_job(pk, func_path)
    finally:
        _THREADS.pop(pk, None)
        connections.close_all()  # this thread's own connections only


def run_job(pk: int, func_path: str) -> None:
    func = _resolve(func_path)
    _update_job(pk, status=JobStatus.RUNNING, started_at=timezone.now())
    job = Job.objects.select_related("user").get(pk=pk)
    ctx = JobContext(job)
    try:
        func(ctx)
    except DomainError as exc:
        _finish(pk, JobStatus.FAILED, exc.message)
    except Exception:
        log.exception("job %s (%s) failed", pk, func_path)
        _finish(pk, JobStatus.FAILED, _("The task failed unexpectedly. Nothing was changed."))
    else:
        _finish(pk, JobStatus.DONE, None)


def _finish(pk: int, status: str, message: str | None) -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now()}
    if status == JobStatus.DONE:
        fields["progress"] = 100
    if message is not None:
        fields["message"] = message
    _update_job(pk, **fields)


def fail_stale_jobs(*, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Jobs left running by a process that stopped: queued or running, no heartbeat for
    ``older_than``, and no live thread for them in this process."""
    cutoff = timezone.now() - older_than
    alive = [pk for pk, thread in list(_THREADS.items()) if thread.is_alive()]
    unfinished = [JobStatus.QUEUED, JobStatus.RUNNING]
    stale = list(
        Job.objects.filter(status__in=unfinished, updated_at__lt=cutoff)
        .exclude(pk__in=alive)
        .values_list("pk", flat=True)
    )
    if not stale:  # a read only: the status page polls this while a job writes
        return 0
    return Job.objects.filter(pk__in=stale, status__in=unfinished).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
        message=_("The task was interrupted (the server restarted). Nothing was changed."),
    )


def job_url(job: Job) -> str:
    return reverse("exchange:job", args=[job.uid])


def jobs_visible_to(user: Any) -> Any:
    if getattr(user, "is_superuser", False):
        return Job.objects.all()
    return (
        Job.objects.filter(user=user)
        if getattr(user, "is_authenticated", False)
        else Job.objects.none()
    )


def job_get_for(*, user: Any, uid: Any) -> Job:
    from django.http import Http404

    job = jobs_visible_to(user).filter(uid=uid).first()
    if job is None:
        raise Http404
    return job
