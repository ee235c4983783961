"""python -m bench [--scale district|province|nation] [--database-url URL] [--generate]
                [--district-url URL] [--import-rows 50000] [--export-rows 100000]

The figures of issue 13, each beside a floor measured in the same run on the same
database (this machine is shared and noisy: absolute times mean little, ratios are what
to compare). One line per figure as it is measured, then a summary table
``figure | scale | value | target | met`` (Markdown, for bench/RESULTS.md).

- ``--database-url``: the database holding ``ptdv gendata --scale SCALE`` data (with
  ``--generate`` it is flushed and generated first). Without it: a temporary SQLite file
  generated at district scale.
- ``--district-url``: a database holding ``ptdv gendata --scale district`` (same seed),
  for "one district's report on this database ÷ on a district-only database".
- ``--import-rows``: the import of N people ÷ a bulk insert of the same rows
  (``bench.importer``'s measurement, in a temporary SQLite database; 0 skips it).
- ``--export-rows``: peak memory of a worker exporting N rows, beside N/10 rows.
- ``--demo shipped|full|fast|skip``: ``ptdv migrate`` then ``ptdv loaddemo`` on an empty
  SQLite file, timed: what ``make demo`` does before its first page (target 90 s).
  ``shipped`` (the default) is ``make demo``'s way: loaddemo restores the demo built by
  ``ptdv builddemo`` when it fits this checkout; ``full`` runs the loader (``--fresh``),
  ``fast`` with the bulk path (``--fast``).
- ``bench/load.py`` (HTTP throughput under ``ptdv serve``), when present, is run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

Row = tuple[str, str, str, str, str]


def _env(url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PTDV_DATA_DIR"] = str(data_dir)
    env["DEBUG"] = "1"
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    return env


def _run(args: list[str], env: dict[str, str], *, echo: bool = False) -> str:
    """Run a child; its stderr (progress lines, errors) goes straight to ours."""
    out = subprocess.run(
        [sys.executable, *args], env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if out.returncode != 0:
        print(out.stdout[-4000:], file=sys.stderr)
        raise SystemExit(out.returncode)
    if echo:
        print(out.stdout.rstrip(), flush=True)
    return out.stdout


def _json(text: str) -> dict[str, Any]:
    return dict(json.loads(text.strip().splitlines()[-1]))


def _yes(ok: bool) -> str:
    return "yes" if ok else "no"


class Table:
    def __init__(self, scale: str) -> None:
        self.scale = scale
        self.rows: list[Row] = []

    def add(self, figure: str, value: str, target: str, met: str, note: str = "") -> None:
        self.rows.append((figure, self.scale, value, target, met))
        print(f"{figure}: {value} (target {target}, met {met}){' — ' + note if note else ''}",
              flush=True)  # fmt: skip

    def markdown(self) -> str:
        lines = ["| figure | scale | value | target | met |", "|---|---|---|---|---|"]
        lines += [f"| {' | '.join(r)} |" for r in self.rows]
        return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", choices=["district", "province", "nation"], default="district")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--district-url", default="")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--demo", choices=["shipped", "full", "fast", "skip"], default="shipped",
                        help="time `ptdv loaddemo` beside `ptdv migrate` (shipped: as make demo; "
                        "full: --fresh; fast: --fast)")  # fmt: skip
    args = parser.parse_args()
    table = Table(args.scale)
    with tempfile.TemporaryDirectory(prefix="ptdv-bench-") as tmp:
        tmpdir = Path(tmp)
        env = _env(args.database_url, tmpdir / "data")
        (tmpdir / "data").mkdir()
        if not args.database_url or args.generate:
            if not args.database_url and args.scale != "district":
                raise SystemExit("--scale province/nation need --database-url (PostgreSQL)")
            _run(["-m", "ptdv.manage", "migrate", "-v", "0"], env)
            t0 = time.perf_counter()
            _run(["-m", "ptdv.manage", "gendata", "--reset", "--scale", args.scale,
                  "--seed", str(args.seed)], env, echo=True)  # fmt: skip
            table.add("gendata (s)", f"{time.perf_counter() - t0:.0f}", "prints its time", "yes")
        else:  # the schema of this checkout (a database generated before a migration)
            _run(["-m", "ptdv.manage", "migrate", "-v", "0"], env)
        big = _json(_run(["-m", "bench.pages"], env))
        small: dict[str, Any] | None = None
        if args.district_url and args.scale != "district":
            env_small = _env(args.district_url, tmpdir / "data")
            _run(["-m", "ptdv.manage", "migrate", "-v", "0"], env_small)
            small = _json(_run(["-m", "bench.pages"], env_small))
        _reports(table, big, small)
        _pages(table, big, small)
        if args.export_rows:
            _export(table, env, args.export_rows)
        if args.import_rows:
            _import(table, tmpdir, args.import_rows)
        if args.demo != "skip":
            _demo(table, tmpdir, args.demo)
    if not (Path(__file__).parent / "load.py").exists():
        print("bench/load.py (HTTP throughput) is not there: not measured", flush=True)
    print()
    print(table.markdown())


def _reports(table: Table, big: dict[str, Any], small: dict[str, Any] | None) -> None:
    for key, r in big["reports"].items():
        page, org = key.split(":")
        ratio = r["s"] / r["floor_s"]
        table.add(f"{page} ({org}) time ÷ SQL aggregate", f"{ratio:.1f}", "≤ 1.5",
                  _yes(ratio <= 1.5), f"{r['s']:.2f} s vs {r['floor_s']:.3f} s")  # fmt: skip
    if small is None:
        return
    for page in ("overview", "statistics", "article"):
        a = big["reports"][f"{page}:district"]["s"]
        b = small["reports"][f"{page}:district"]["s"]
        table.add(f"one district's {page}: this DB ÷ district-only DB", f"{a / b:.2f}",
                  "≤ 1.3", _yes(a / b <= 1.3), f"{a:.2f} s vs {b:.2f} s")  # fmt: skip


def _pages(table: Table, big: dict[str, Any], small: dict[str, Any] | None) -> None:
    trivial = big["trivial_s"]
    for key, p in big["pages"].items():
        if small is not None:
            n_small = small["pages"][key]["queries"]
            table.add(f"{key} page: queries", f"{p['queries']} (district DB {n_small})",
                      "same at every scale", _yes(p["queries"] == n_small))  # fmt: skip
        else:
            table.add(f"{key} page: queries", str(p["queries"]), "constant", "—")
        kb = p["bytes"] / 1024
        table.add(f"{key} page: KB", f"{kb:.0f}", "≤ 200", _yes(kb <= 200))
        ratio = p["s"] / trivial
        table.add(f"{key} page: time ÷ trivial view", f"{ratio:.0f}", "≤ 20 (ours)",
                  _yes(ratio <= 20), f"{p['s']:.2f} s vs {trivial * 1000:.1f} ms")  # fmt: skip


def _export(table: Table, env: dict[str, str], rows: int) -> None:
    small = _json(_run(["-m", "bench.pages", "--export-rows", str(rows // 10)], env))
    big = _json(_run(["-m", "bench.pages", "--export-rows", str(rows)], env))
    grow_small = small["peak_rss_mb"] - small["rss_before_mb"]
    grow = big["peak_rss_mb"] - big["rss_before_mb"]
    ok = grow <= max(2 * grow_small, 32)
    table.add(f"export {big['rows']} rows: peak RSS MB (growth)",
              f"{big['peak_rss_mb']:.0f} (+{grow:.0f}; {small['rows']} rows: +{grow_small:.0f})",
              "bounded: growth ≤ 2 × growth at a tenth", _yes(ok),
              f"{big['s']:.0f} s, {big['bytes'] / 1048576:.1f} MB file")  # fmt: skip


def _import(table: Table, tmpdir: Path, n: int) -> None:
    from bench.importer import _child
    from bench.workbook import write_people

    path = tmpdir / f"people-{n}.xlsx"
    write_people(path, n)
    env = _env("", tmpdir / f"import-{n}")
    r = _child(path, n, env)
    ratio = r["import_s"] / r["bulk_s"]
    table.add(f"import {n} people ÷ bulk insert", f"{ratio:.1f}", "≤ 3", _yes(ratio <= 3),
              f"{r['import_s']:.1f} s vs {r['bulk_s']:.2f} s, {r['vendor']}")  # fmt: skip


DEMO_FLAGS = {"shipped": [], "full": ["--fresh"], "fast": ["--fast"]}


def _demo(table: Table, tmpdir: Path, mode: str) -> None:
    """A newcomer's first minutes: ``ptdv migrate`` on an empty SQLite file, then
    ``ptdv loaddemo`` (what ``make demo`` runs before serving), each timed (target: the
    first page within 90 s of ``make demo``, CPU time printed beside the wall clock)."""
    db = tmpdir / "demo.sqlite3"
    env = _env(f"sqlite:///{db}", tmpdir / "demo-data")
    (tmpdir / "demo-data").mkdir(exist_ok=True)

    def timed(args: list[str]) -> tuple[float, float, str]:
        before = os.times()
        t0 = time.perf_counter()
        printed = _run(args, env)
        after = os.times()
        cpu = (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        return time.perf_counter() - t0, cpu, printed

    migrate, migrate_cpu, _ = timed(["-m", "ptdv.manage", "migrate", "-v", "0"])
    load, load_cpu, printed = timed(["-m", "ptdv.manage", "loaddemo", *DEMO_FLAGS[mode]])
    if mode == "shipped" and "Không dùng bản dựng sẵn" in printed:
        mode = "shipped one stale: loaded"  # ptdv builddemo was not run after a change
    total = migrate + load
    table.add(f"make demo: migrate + loaddemo ({mode}) (s)",
              f"{total:.0f} (migrate {migrate:.0f}, loaddemo {load:.0f}; "
              f"CPU {migrate_cpu:.0f} + {load_cpu:.0f})", "≤ 90", _yes(total <= 90),
              f"loaddemo ÷ migrate = {load / migrate:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
