"""``ptdv serve``: the production WSGI server (gunicorn), static files by whitenoise, and one
background worker (``ptdv worker``) beside it unless ``--no-worker`` (when workers run as
their own service)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def gunicorn_argv(bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "ptdv.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


class Command(BaseCommand):
    help = "Serve PTĐV with gunicorn (static files by whitenoise); collects static files first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("PTDV_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="address:port (default 127.0.0.1:$PORT, PORT defaulting to 8000)",
        )
        parser.add_argument("--workers", type=int, default=int(os.environ.get("PTDV_WORKERS", "3")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("PTDV_THREADS", "4")))
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("PTDV_TIMEOUT", "120")),
            help="seconds before a silent worker is restarted (long exports)",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="static files are collected already"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a background worker (run `ptdv worker` as its own service)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", "--noinput", verbosity=0)
        argv = gunicorn_argv(
            options["bind"], options["workers"], options["threads"], options["timeout"]
        )
        self.stdout.write(f"→ http://{options['bind']}/ (gunicorn, {options['workers']} workers)")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings")
        if options["no_worker"]:
            os.execv(sys.executable, argv)  # noqa: S606 — gunicorn replaces this process
        raise SystemExit(supervise(argv, worker_argv()))


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "ptdv.manage", "worker"]


def supervise(server_argv: list[str], worker: list[str]) -> int:
    """Run gunicorn and one worker; restart the worker if it dies; on SIGTERM/SIGINT stop
    both (the worker finishes its job in hand). Returns gunicorn's exit code."""
    server = subprocess.Popen(server_argv)  # noqa: S603
    jobs = subprocess.Popen(worker)  # noqa: S603
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for proc in (server, jobs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while server.poll() is None:
        if jobs.poll() is not None and not stopping:
            print(f"ptdv worker stopped (code {jobs.returncode}); starting it again", flush=True)
            time.sleep(2)
            jobs = subprocess.Popen(worker)  # noqa: S603
        time.sleep(0.5)
    if jobs.poll() is None:
        jobs.send_signal(signal.SIGTERM)
    try:
        jobs.wait(timeout=int(os.environ.get("PTDV_WORKER_STOP_SECONDS", "60")))
    except subprocess.TimeoutExpired:
        jobs.kill()
        jobs.wait()
    return server.returncode or 0
