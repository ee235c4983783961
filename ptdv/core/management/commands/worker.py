"""``ptdv worker``: run the queued background jobs (imports, exports) and the daily commands.

SIGTERM or Ctrl-C stops it after the job in hand (a second signal stops it at once: the job's
lease then expires and another worker takes it again). Run one or more beside the web server;
``ptdv serve`` starts one unless given ``--no-worker``.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from ptdv.core.jobs import Worker


class Command(BaseCommand):
    help = "Run queued background jobs and the daily commands (PTDV_DAILY_COMMANDS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--poll", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--burst", action="store_true", help="stop when the queue is empty (cron, tests)"
        )
        parser.add_argument("--max-jobs", type=int, default=None, help="stop after N jobs")
        parser.add_argument("--no-daily", action="store_true", help="do not run the daily commands")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        unknown = [c for c in settings.PTDV_DAILY_COMMANDS if c not in get_commands()]
        if unknown:
            raise CommandError(f"PTDV_DAILY_COMMANDS: unknown command(s) {', '.join(unknown)}")
        logging.getLogger("ptdv.core.jobs").setLevel(logging.INFO)
        worker = Worker(poll=options["poll"], daily=not options["no_daily"])

        def stop(signum: int, frame: Any) -> None:
            self.stderr.write(f"worker {worker.name}: stopping after the current job")
            worker.stop()
            signal.signal(signum, signal.SIG_DFL)  # a second signal stops at once

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker {worker.name}: waiting for jobs")
        self.stdout.flush()
        try:
            n = worker.run(burst=options["burst"], max_jobs=options["max_jobs"])
        finally:
            connections.close_all()
        self.stdout.write(f"worker {worker.name}: stopped after {n} job(s)")
