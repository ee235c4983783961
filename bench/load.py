"""python -m bench.load [--users 20] [--seconds 15] [--mixed-users 50] [--mixed-seconds 60]
[--data-dir DIR] [--database-url URL] [--user U --password P]

On a generated database (``ptdv gendata --admin-password P``): ``--data-dir`` any directory,
``--database-url`` it, ``--user admin --password P --mixed-users 0`` (the mix writes notes
on the demo's source entries).

Load on the real production server: starts ``ptdv serve`` (gunicorn, DEBUG off, plain HTTP on
loopback) on the Chợ Đồn demo database and measures, with concurrent clients (Python
threads, one keep-alive connection each), the throughput and latency of

- the login page, anonymous: the trivial reference (a form, no query of ours);
- the dashboard (``/``) and a person page, logged in as the district organization board;
- a POST: the language switch (CSRF, session, the gate; it writes a cookie, not a row),
  followed by the dashboard it redirects to;
- then the mix (issue 12 point 11): ``--mixed-users`` (50) users for ``--mixed-seconds`` (60),
  each going round the dashboard, a person page, a search and a real write (a fostering note
  on a source entry: a row and its audit entry, then the list it redirects to), all at once;
  the notes found in the database afterwards are printed beside the POSTs sent.

Prints per view: requests, errors (must be 0), requests/s, p50/p95 in ms, and how many
times slower than the trivial view. The demo database is built in a temporary directory
(``migrate`` + ``loaddemo --fast``, a few minutes) unless ``--data-dir`` names a directory
holding one already (``PTDV_DATA_DIR`` of a ``make demo``). The clients share the machine's
cores with the server: on a small machine the figures are a floor, the ratios are what to read.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

USER, PASSWORD = "bantochuc", "ptdv@2026"  # a demo account (ptdv.demo.demo.DEMO_USERS)


def _set_account(user: str, password: str) -> None:
    """The clients' account (``--user``/``--password``: on a ``ptdv gendata`` database,
    ``admin`` with the password given to ``gendata --admin-password``)."""
    global USER, PASSWORD
    USER, PASSWORD = user, password


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        PTDV_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="ptdv.config.settings",
        SECRET_KEY="bench-only-" + "0123456789abcdefghijklmnopqrstuvwxyz-ptdv-load",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        PTDV_HTTPS="0",
        # the bench logs in once per client from one address
        PTDV_LOGIN_FAILURES_PER_ADDRESS="1000",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "ptdv.manage", *args], env=env, check=True)  # noqa: S603


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One keep-alive connection with its own cookies (session, CSRF)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"  # the page the form is on
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        for attempt in range(2):  # the server may close an idle keep-alive connection
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                text = r.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if r.status in (301, 302, 303) and method == "POST":
            where = urllib.parse.urlsplit(r.getheader("Location") or "/")
            return self.request("GET", where.path + (f"?{where.query}" if where.query else ""))
        return r.status, text

    def login(self) -> None:
        status, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, "no login form"
        status, page = self.request(
            "POST",
            "/login/",
            {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        )
        assert "sessionid" in self.cookies, f"login refused ({status})"


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # what the errors were
    lock: threading.Lock = field(default_factory=threading.Lock)


def _run(
    port: int,
    name: str,
    method: str,
    path: str,
    users: int,
    seconds: float,
    logged_in: bool,
    body: dict[str, str] | None = None,
) -> tuple[str, Result, float]:
    """One view for ``users`` clients: the mixed run with a single operation."""
    results, elapsed = _run_mixed(port, [(name, method, path, body)], users, seconds, logged_in)
    return name, results[name], elapsed


def _run_mixed(
    port: int,
    ops: list[tuple[str, str, str, dict[str, str] | None]],
    users: int,
    seconds: float,
    logged_in: bool = True,
) -> tuple[dict[str, Result], float]:
    """``users`` clients for ``seconds``, each going round ``ops`` (reads and writes
    interleaved, every client starting at a different one)."""
    clients = [Client(port) for _ in range(users)]
    if logged_in:
        for c in clients:
            c.login()
    results = {name: Result() for name, *_rest in ops}
    start = threading.Barrier(users + 1)
    deadline = [0.0]

    def loop(i: int, client: Client) -> None:
        n = i
        start.wait()
        while time.monotonic() < deadline[0]:
            name, method, path, body = ops[n % len(ops)]
            n += 1
            form = dict(body or {})
            if form:
                form["csrfmiddlewaretoken"] = client.cookies.get("csrftoken", "")
            t0 = time.perf_counter()
            kind = ""
            try:
                status, _text = client.request(method, path, form or None)
                if status != 200:
                    kind = str(status)
            except Exception as exc:
                kind = type(exc).__name__
            took = time.perf_counter() - t0
            r = results[name]
            with r.lock:
                r.latencies.append(took)
                if kind:
                    r.errors += 1
                    r.kinds[kind] = r.kinds.get(kind, 0) + 1

    threads = [threading.Thread(target=loop, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + seconds
    t0 = time.monotonic()
    start.wait()
    for t in threads:
        t.join()
    return results, time.monotonic() - t0


def _note_path(port: int) -> str:
    """The fostering-note form of an open source entry (a write: a row and its audit)."""
    c = Client(port)
    c.login()
    _status, page = c.request("GET", "/admissions/sources/")
    for found in re.finditer(r'href="(/admissions/sources/[0-9a-f-]{36}/)"', page):
        _status, lst = c.request("GET", found.group(1))
        note = re.search(r'action="(/admissions/sources/entries/[0-9a-f-]{36}/note/)"', lst)
        if note:
            return note.group(1)
    raise SystemExit("no open source entry with a note form")


def _line(name: str, r: Result, elapsed: float, reference: float) -> str:
    n = len(r.latencies)
    rate = n / elapsed if elapsed else 0.0
    q = statistics.quantiles(r.latencies, n=20) if n > 1 else [0.0] * 19
    median = statistics.median(r.latencies) if n else 0.0
    return (
        f"{name:<24} {n:>8} {r.errors:>6} {rate:>7.1f} {median * 1000:>7.0f} "
        f"{q[18] * 1000:>7.0f} {reference / rate if rate else float('inf'):>8.1f}x"
        + (f"  errors: {r.kinds}" if r.kinds else "")
    )


def _notes_written(env: dict[str, str]) -> int:
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "ptdv.manage",
            "shell",
            "-c",
            "from ptdv.admissions.models import SourceNote;"
            "print(SourceNote.objects.filter(text='bench-load').count())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _person_path(port: int) -> str:
    c = Client(port)
    c.login()
    _status, page = c.request("GET", "/people/")
    found = re.search(r'href="(/people/[0-9a-f-]{36}/)"', page)
    if not found:
        raise SystemExit("no person on the first page of /people/")
    return found.group(1)


def _wait_listening(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 600  # collectstatic first; a busy machine is slow
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("ptdv serve stopped")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/login/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("ptdv serve did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--users", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=15, help="per view")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--mixed-users", type=int, default=50, help="users of the mixed run")
    parser.add_argument("--mixed-seconds", type=float, default=60, help="length of the mixed run")
    parser.add_argument("--data-dir", default="", help="a directory with the demo database")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--user", default=USER, help="the account the clients log in as")
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args()
    _set_account(args.user, args.password)

    with tempfile.TemporaryDirectory(prefix="ptdv-load-") as tmp:
        data_dir = Path(args.data_dir) if args.data_dir else Path(tmp)
        env = _env(data_dir, args.database_url)
        if args.data_dir:  # a demo built by an older checkout: bring its schema up to date
            _manage(env, "migrate", "-v", "0")
        else:
            print("building the demo database (migrate + loaddemo --fast)…", flush=True)
            if args.database_url:
                _manage(env, "migrate", "-v", "0")
                _manage(env, "loaddemo", "--reset", "--fast")
            else:
                _manage(env, "migrate", "-v", "0")
                _manage(env, "loaddemo", "--fast")
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "ptdv.manage",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--no-worker",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_listening(server, port)
            person = _person_path(port)
            scenarios = [
                ("login page (trivial)", "GET", "/login/", False, None),
                ("dashboard /", "GET", "/", True, None),
                (f"person {person[8:16]}…", "GET", person, True, None),
                ("POST setlang → /", "POST", "/i18n/setlang/", True, {"language": "vi"}),
            ]
            print(
                f"{args.users} clients × {args.seconds:.0f} s per view; gunicorn "
                f"{args.workers} workers × {args.threads} threads; {os.cpu_count()} CPU cores",
                flush=True,
            )
            print(
                f"{'view':<24} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
                f"{'p95 ms':>7} {'× trivial':>9}"
            )
            reference = 0.0
            for label, method, path, logged_in, body in scenarios:
                name, r, elapsed = _run(
                    port, label, method, path, args.users, args.seconds, logged_in, body
                )
                reference = reference or (len(r.latencies) / elapsed if elapsed else 0.0)
                print(_line(name, r, elapsed, reference), flush=True)
            if args.mixed_users <= 0:  # e.g. a generated database: no demo source entries
                return
            # the mix the issue asks for: every user reads and writes, all at once
            note = _note_path(port)
            today = time.strftime("%d/%m/%Y")
            ops: list[tuple[str, str, str, dict[str, str] | None]] = [
                ("mix: dashboard", "GET", "/", None),
                ("mix: person page", "GET", person, None),
                ("mix: search", "GET", "/people/?q=nguyen+van", None),
                ("mix: POST note (write)", "POST", note, {"date": today, "text": "bench-load"}),
            ]
            notes_before = _notes_written(env)  # earlier runs on the same database
            results, elapsed = _run_mixed(port, ops, args.mixed_users, args.mixed_seconds)
            total = Result()
            for r in results.values():
                total.latencies += r.latencies
                total.errors += r.errors
                for k, v in r.kinds.items():
                    total.kinds[k] = total.kinds.get(k, 0) + v
            print(
                f"\nmixed: {args.mixed_users} users × {args.mixed_seconds:.0f} s, reads and "
                "writes interleaved (× trivial: the login page's rate above ÷ this rate)",
                flush=True,
            )
            for name, r in results.items():
                print(_line(name, r, elapsed, reference), flush=True)
            print(_line("mix: all", total, elapsed, reference), flush=True)
            written = _notes_written(env) - notes_before
            posts = len(results["mix: POST note (write)"].latencies)
            print(f"notes written: {written} of {posts} POSTs; errors: {total.errors}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
