"""``ptdv serve``: the production WSGI server (gunicorn), static files by whitenoise."""

from __future__ import annotations

import os
import sys
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

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", "--noinput", verbosity=0)
        argv = gunicorn_argv(
            options["bind"], options["workers"], options["threads"], options["timeout"]
        )
        self.stdout.write(f"→ http://{options['bind']}/ (gunicorn, {options['workers']} workers)")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings")
        os.execv(sys.executable, argv)  # noqa: S606 — gunicorn replaces this process
