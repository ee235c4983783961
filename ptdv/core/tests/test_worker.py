"""The durable job queue and ``ptdv worker``: the web only enqueues; a worker claims, runs
and records; a job left by a dead worker is taken again after its lease (or failed after the
last attempt); two workers never run the same job; the daily commands run once a day."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from ptdv.core import jobs
from ptdv.core.models import DailyRun, Job, JobStatus
from ptdv.core.tests import jobfuncs

FUNCS = "ptdv.core.tests.jobfuncs"


@pytest.fixture
def queue(settings: Any, tmp_path: Path) -> None:
    settings.PTDV_JOBS_EAGER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    jobfuncs.RUNS.clear()


@pytest.mark.django_db
def test_the_web_only_enqueues_and_the_worker_runs(queue: None, personas: Any) -> None:
    job = jobs.start_job("t", personas.district_officer, f"{FUNCS}.record")
    job.refresh_from_db()
    assert (job.status, job.attempts, jobfuncs.RUNS) == (JobStatus.QUEUED, 0, [])
    worker = jobs.Worker(name="w1", daily=False)
    assert worker.run(burst=True) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.attempts, job.worker, job.progress, job.data) == (1, "w1", 100, {"ran": True})
    assert job.lease_expires_at is None and job.finished_at is not None
    assert [job.pk] == jobfuncs.RUNS
    assert worker.run(burst=True) == 1  # nothing more to do: the count stays


@pytest.mark.django_db
def test_jobs_run_oldest_first_and_failures_are_recorded(queue: None, personas: Any) -> None:
    user = personas.district_officer
    refused = jobs.start_job("t", user, f"{FUNCS}.refuse")
    crashed = jobs.start_job("t", user, f"{FUNCS}.crash")
    ok = jobs.start_job("t", user, f"{FUNCS}.record")
    jobs.Worker(name="w1", daily=False).run(burst=True)
    got = {j.pk: (j.status, j.message) for j in Job.objects.all()}
    assert got[refused.pk] == (JobStatus.FAILED, "Không được.")
    assert got[crashed.pk][0] == JobStatus.FAILED
    assert "boom" not in got[crashed.pk][1] and got[crashed.pk][1]
    assert got[ok.pk][0] == JobStatus.DONE


@pytest.mark.django_db
def test_a_claim_is_taken_once(queue: None, personas: Any) -> None:
    job = jobs.start_job("t", personas.district_officer, f"{FUNCS}.record")
    first = jobs.claim_next("w1")
    assert first is not None and first.pk == job.pk
    assert (first.status, first.worker, first.attempts) == (JobStatus.RUNNING, "w1", 1)
    assert first.lease_expires_at is not None and first.lease_expires_at > timezone.now()
    assert jobs.claim_next("w2") is None


@pytest.mark.django_db
def test_a_dead_workers_job_is_retried_after_its_lease(
    queue: None, personas: Any, settings: Any
) -> None:
    settings.PTDV_JOB_MAX_ATTEMPTS = 2
    job = jobs.start_job("t", personas.district_officer, f"{FUNCS}.record")
    assert jobs.claim_next("dead") is not None  # … and the worker dies
    worker = jobs.Worker(name="alive", daily=False)
    assert worker.run_once() is None  # the lease still runs: nobody else takes the job
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert worker.run_once() is not None
    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts) == (JobStatus.DONE, "alive", 2)
    assert [job.pk] == jobfuncs.RUNS


@pytest.mark.django_db
def test_after_the_last_attempt_the_job_fails_with_a_message(
    queue: None, personas: Any, settings: Any
) -> None:
    settings.PTDV_JOB_MAX_ATTEMPTS = 2
    job = jobs.start_job("t", personas.district_officer, f"{FUNCS}.record")
    past = timezone.now() - dt.timedelta(seconds=1)
    for _attempt in range(2):
        assert jobs.claim_next("dead") is not None
        Job.objects.filter(pk=job.pk).update(lease_expires_at=past)
        jobs.reap_expired()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert "gián đoạn" in job.message
    assert jobs.Worker(name="w", daily=False).run(burst=True) == 0
    assert jobfuncs.RUNS == []


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_records_nothing(queue: None, personas: Any) -> None:
    job = jobs.start_job("t", personas.district_officer, f"{FUNCS}.record")
    slow = jobs.claim_next("slow")
    assert slow is not None
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    jobs.reap_expired()
    fresh = jobs.claim_next("fresh")
    assert fresh is not None
    jobs.execute(slow)  # the slow worker comes back: its outcome is not recorded
    job.refresh_from_db()
    assert (job.status, job.worker) == (JobStatus.RUNNING, "fresh")
    jobs.execute(fresh)
    job.refresh_from_db()
    assert (job.status, job.worker) == (JobStatus.DONE, "fresh")


@pytest.mark.django_db
def test_daily_commands_run_once_a_day_whatever_the_workers(settings: Any) -> None:
    settings.PTDV_DAILY_COMMANDS = ["clearsessions", "no_such_command"]
    day = dt.date(2026, 12, 6)
    assert jobs.run_daily_commands("w1", today=day) == ["clearsessions", "no_such_command"]
    assert jobs.run_daily_commands("w2", today=day) == []
    assert jobs.run_daily_commands("w1", today=day) == []
    runs = {r.command: r for r in DailyRun.objects.filter(day=day)}
    assert runs["clearsessions"].ok is True and runs["clearsessions"].worker == "w1"
    assert runs["no_such_command"].ok is False  # recorded, not tried again that day
    assert "no_such_command" in runs["no_such_command"].output
    assert jobs.run_daily_commands("w2", today=day + dt.timedelta(days=1)) == [
        "clearsessions",
        "no_such_command",
    ]
    assert DailyRun.objects.count() == 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_job_postgres(queue: None, personas: Any) -> None:
    """Four workers in threads, each with its own connection, drain 40 jobs: each job runs
    exactly once (SELECT … FOR UPDATE SKIP LOCKED)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.db import connections

    user = personas.district_officer
    created = [jobs.start_job("t", user, f"{FUNCS}.record", {"sleep": 0.01}).pk for _ in range(40)]
    errors: list[BaseException] = []

    def drain(name: str) -> None:
        try:
            jobs.Worker(name=name, daily=False).run(burst=True)
        except BaseException as exc:  # pragma: no cover — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(jobfuncs.RUNS) == sorted(created)  # every job once, none twice
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    assert set(Job.objects.values_list("attempts", flat=True)) == {1}


# --- real processes on a file database (SQLite) ------------------------------------------

sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite file database"
)

MIGRATE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings_test")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
"""

ENQUEUE = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings_test")
django.setup()
from ptdv.core.jobs import start_job
for i in range(int(sys.argv[1])):
    start_job("t", None, "ptdv.core.tests.jobfuncs.wait_for_go",
              {"started": sys.argv[2] + f"-{i}", "go": sys.argv[3]}, eager=False)
"""

STATUS = """
import os, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings_test")
django.setup()
from ptdv.core.models import Job
print(json.dumps([[j.status, j.attempts, j.result_name, j.message]
                  for j in Job.objects.order_by("id")]))
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PTDV_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="ptdv.config.settings_test",
        PTDV_DAILY_COMMANDS="",
        **extra,
    )
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: Any) -> Path:
    """A migrated file database, made once and copied by each test."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("SQLite file database")
    base = tmp_path_factory.mktemp("migrated")
    (base / "data").mkdir()
    _python(MIGRATE, _env(base))
    return base / "data" / "ptdv.sqlite3"


def _fresh(migrated: Path, tmp_path: Path) -> None:
    import shutil

    (tmp_path / "data").mkdir()
    shutil.copy(migrated, tmp_path / "data" / "ptdv.sqlite3")


def _python(code: str, env: dict[str, str], *args: str) -> str:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "ptdv.manage", "worker", "--poll", "0.1", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    for _ in range(1200):
        if path.exists():
            return
        if proc.poll() is not None:
            pytest.fail(f"worker ended: {proc.communicate()[0]}")
        time.sleep(0.05)
    pytest.fail(f"{path} never appeared")


@sqlite_only
def test_a_killed_worker_s_job_is_taken_again_by_another(migrated: Path, tmp_path: Path) -> None:
    import json

    env = _env(tmp_path, PTDV_JOB_LEASE_SECONDS="2", PTDV_JOB_MAX_ATTEMPTS="2")
    _fresh(migrated, tmp_path)
    started, go = tmp_path / "started", tmp_path / "go"
    _python(ENQUEUE, env, "1", str(started), str(go))
    first = _worker(env)
    try:
        _wait_for(Path(f"{started}-0"), first)
        first.send_signal(signal.SIGKILL)  # killed mid-job: no chance to record anything
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        if first.stdout:
            first.stdout.close()
    status = json.loads(_python(STATUS, env))
    assert status[0][:2] == ["running", 1]
    go.touch()
    time.sleep(2.5)  # the dead worker's lease (2 s) runs out
    second = _worker(env, "--burst")  # reaps the job, runs it, stops: the queue is empty
    out, _err = second.communicate(timeout=120)
    status = json.loads(_python(STATUS, env))
    assert second.returncode == 0, out
    assert status == [["done", 2, "result.txt", ""]], out


@sqlite_only
def test_sigterm_finishes_the_job_in_hand_then_stops(migrated: Path, tmp_path: Path) -> None:
    import json

    env = _env(tmp_path)
    _fresh(migrated, tmp_path)
    started, go = tmp_path / "started", tmp_path / "go"
    _python(ENQUEUE, env, "2", str(started), str(go))
    worker = _worker(env)
    try:
        _wait_for(Path(f"{started}-0"), worker)
        worker.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        go.touch()
        out, _err = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, out
    assert "stopped after 1 job" in out
    status = json.loads(_python(STATUS, env))
    assert [s[0] for s in status] == ["done", "queued"]  # the second waits for a worker
    assert not Path(f"{started}-1").exists()


@sqlite_only
def test_serve_starts_a_worker_that_runs_queued_jobs(migrated: Path, tmp_path: Path) -> None:
    """``ptdv serve`` (what ``make demo`` runs) takes the queued jobs without a second command,
    and SIGTERM stops gunicorn and its worker together."""
    import json
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = _env(tmp_path)
    _fresh(migrated, tmp_path)
    started, go = tmp_path / "started", tmp_path / "go"
    go.touch()
    _python(ENQUEUE, env, "1", str(started), str(go))
    serve = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "ptdv.manage", "serve", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--no-collectstatic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(Path(f"{started}-0"), serve)
        for _ in range(600):
            status = json.loads(_python(STATUS, env))
            if status[0][0] != "running":
                break
            time.sleep(0.1)
        assert status == [["done", 1, "result.txt", ""]]
        serve.send_signal(signal.SIGTERM)
        out, _err = serve.communicate(timeout=120)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    assert "waiting for jobs" in out and "stopped after 1 job" in out, out
