"""python -m bench.importer [--sizes 5000,50000] [--database-url URL]

Imports generated people workbooks through the real import (every row validated like the
person services do, new people written in bulk with their events, periods and audit
entries, one transaction) and compares with a plain ``bulk_create`` of the same rows into
the same database, measured in the same run. Each size runs in a
fresh database and a child process, so that the peak memory (ru_maxrss) is that run's.
SQLite by default (a temporary file); PostgreSQL with ``--database-url`` (the database
is dropped and recreated: give a dedicated one).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

MEMORY_ROWS = 50_000  # from this size on, the import's own peak memory is measured apart


def _child(path: Path, n: int, env: dict[str, str]) -> dict[str, Any]:
    """One run of ``bench.run_one`` in its own process; its JSON result."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.run_one", str(path), str(n)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        print(out.stdout, out.stderr, file=sys.stderr)
        raise SystemExit(out.returncode)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.importer")
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="ptdv-bench-") as tmp:
        from bench.workbook import write_people

        print(
            f"{'rows':>7} {'import s':>9} {'rows/s':>8} {'bulk s':>7} {'bulk rows/s':>11} "
            f"{'ratio':>6} {'peak RSS MB':>11} {'db':>10}"
        )
        for n in sizes:
            path = Path(tmp) / f"people-{n}.xlsx"
            write_people(path, n)
            env = dict(os.environ)
            env["PTDV_DATA_DIR"] = str(Path(tmp) / f"data-{n}")
            if args.database_url:
                env["DATABASE_URL"] = args.database_url
            else:
                env.pop("DATABASE_URL", None)
            r = _child(path, n, env)
            print(
                f"{n:>7} {r['import_s']:>9.1f} {n / r['import_s']:>8.0f} {r['bulk_s']:>7.2f} "
                f"{n / r['bulk_s']:>11.0f} {r['import_s'] / r['bulk_s']:>6.0f}x "
                f"{r['peak_rss_mb']:>11.0f} {r['vendor']:>10}"
            )
            extra = ""
            if r["preview_s"] >= 0:
                extra = (
                    f"; preview (check only) {r['preview_s']:.1f} s; second import of the "
                    f"same file: {r['second_changes']} changes in {r['second_s']:.1f} s"
                )
            if n >= MEMORY_ROWS:  # the import alone in a fresh process: its own peak memory
                env["PTDV_DATA_DIR"] = str(Path(tmp) / f"data-{n}-mem")
                m = _child(path, n, env | {"BENCH_SKIP_BULK": "1"})
                print(
                    f"        import alone in its own process: peak RSS {m['peak_rss_mb']:.0f} MB "
                    f"(RSS {m['rss_before_mb']:.0f} MB before the import: +"
                    f"{m['peak_rss_mb'] - m['rss_before_mb']:.0f} MB for {n} rows), "
                    f"{n / m['import_s']:.0f} rows/s",
                    flush=True,
                )
            print(
                f"        file {path.stat().st_size / 1048576:.1f} MB; reading+parsing the file "
                f"alone {r['parse_s']:.1f} s (ratio import/(parse+bulk) "
                f"{r['import_s'] / (r['parse_s'] + r['bulk_s']):.0f}x); created {r['created']}, "
                f"problems {r['problems']}; RSS before import {r['rss_before_mb']:.0f} MB" + extra,
                flush=True,
            )


if __name__ == "__main__":
    main()
