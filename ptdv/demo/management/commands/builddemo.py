"""``ptdv builddemo``: build the shipped demo database (``ptdv/demo/shipped.py``)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ptdv.demo import shipped


class Command(BaseCommand):
    help = (
        "Build the shipped demo (ptdv/demo/data/demo.tar.xz): migrate and loaddemo --fresh on "
        "an empty SQLite file, back it up, compress it and record its build key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fast",
            action="store_true",
            help="build with loaddemo --fast (the history before 2024 in bulk: the same rows, "
            "ptdv/demo/tests/test_demo_equivalence.py) instead of --fresh",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        how = "--fast" if options["fast"] else "--fresh"
        key = shipped.build_key()
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="ptdv-builddemo-") as tmp:
            work = Path(tmp)
            db = work / "demo.sqlite3"
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{db}",
                "PTDV_DATA_DIR": str(work / "data"),
                "DEBUG": "1",
            }
            (work / "data").mkdir()
            self._manage(env, "migrate", "--noinput", "-v", "0")
            self._manage(env, "loaddemo", how)
            with sqlite3.connect(db) as con:  # compact: no free pages in the shipped file
                con.execute("VACUUM")
            con.close()
            self._manage(env, "backup", str(work / "demo.tar"))
            if shipped.build_key() != key:
                raise CommandError("The demo's code changed during the build: run it again.")
            data = shipped.write_shipped(
                work / "demo.tar", key, f"ptdv migrate && ptdv loaddemo {how}"
            )
        self.stdout.write(
            f"{shipped.ARCHIVE} ({data['archive_bytes'] / 1e6:.1f} MB, from "
            f"{data['backup_bytes'] / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s; "
            f"key {key[:12]}"
        )

    def _manage(self, env: dict[str, str], *args: str) -> None:
        self.stdout.write(f"→ ptdv {' '.join(args)}")
        done = subprocess.run([sys.executable, "-m", "ptdv.manage", *args], env=env, check=False)  # noqa: S603
        if done.returncode:
            raise CommandError(f"ptdv {args[0]} failed ({done.returncode}).")
