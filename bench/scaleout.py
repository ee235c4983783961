"""Scale-out on loopback (issue 13, point 5): a PostgreSQL primary and a streaming replica,
and two stateless ``ptdv serve`` app servers reading reports from the replica.

    python -m bench.scaleout [--dir DIR] [--pg-port 55432] [--app-port 8101]

starts, on 127.0.0.1 and without touching the system server on 5432:

- a primary (``initdb`` + ``pg_ctl``, its own data directory and port) and a replica made
  by ``pg_basebackup -R`` (hot standby, streaming) on the next port;
- the schema (``ptdv migrate``) and a small tree with one organization-board account
  (``--user``/``--password``, printed);
- two app servers (``ptdv serve --no-worker``) on two ports, each with ``DATABASE_URL`` =
  primary and ``DATABASE_REPLICA_URL`` = replica, the same ``SECRET_KEY`` and the same
  data directory (files): sessions are in the database, so either serves any client;
- a tiny round-robin proxy in front of them (``--proxy-port``, default app port + 2).

It prints the addresses and waits for Ctrl-C, then stops everything and removes the
directories it made. The test ``tests/test_scaleout.py`` uses the same class. The
PostgreSQL binaries are Debian's (``/usr/lib/postgresql/<v>/bin``, or ``PG_BIN``).
PostgreSQL refuses to run as root: as root, the clusters run as the ``postgres`` user.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import glob
import http.client
import http.server
import itertools
import os
import pwd
import secrets
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

SEED = """
import datetime as dt, os, django
django.setup()
from django.contrib.auth import get_user_model
from ptdv.access.models import Position, Role
from ptdv.organizations.services import org_unit_create
d = dt.date(2000, 1, 1)
p = org_unit_create(actor=None, code="SO", name="Đảng bộ tỉnh Thử nghiệm", kind="province",
                    parent=None, authorised_to_admit=True, valid_from=d)
h = org_unit_create(actor=None, code="SO-A", name="Đảng bộ huyện Nhân bản", kind="district",
                    parent=p, authorised_to_admit=True, valid_from=d)
org_unit_create(actor=None, code="SO-A-1", name="Đảng bộ xã Một", kind="grassroots_committee",
                parent=h, sector="commune_ward", valid_from=d)
u = get_user_model().objects.create_user(username=os.environ["SO_USER"],
                                         password=os.environ["SO_PASSWORD"])
Position.objects.create(user=u, org_unit=h, role=Role.ORG_BOARD, term_start=dt.date(2020, 1, 1))
print(h.uid)
"""


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Any, what: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.3)
    raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")


class _Proxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def make_proxy(port: int, backends: list[int]) -> _Proxy:
    """A round-robin HTTP proxy (loopback only; enough to show that any app server serves
    any request; in production this is nginx or a load balancer)."""
    turn = itertools.cycle(backends)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            conn = http.client.HTTPConnection("127.0.0.1", next(turn), timeout=120)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            headers["X-Forwarded-For"] = self.client_address[0]
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in {"connection", "transfer-encoding", "content-length"}:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = do_HEAD = _forward  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    return _Proxy(("127.0.0.1", port), Handler)


class ScaleOut:
    """The primary, the replica, two app servers and the proxy; ``stop()`` (or leaving the
    ``with`` block, or the interpreter's exit) stops them all and removes the directory."""

    def __init__(
        self,
        base: str | None = None,
        *,
        pg_ports: tuple[int, int] | None = None,
        app_ports: tuple[int, int] | None = None,
        proxy_port: int | None = None,
        user: str = "scaleout",
        password: str | None = None,
        extra_env: dict[str, str] | None = None,
        log: Any = print,
    ) -> None:
        self.own_dir = base is None
        self.dir = Path(base or tempfile.mkdtemp(prefix="ptdv-scaleout-"))
        self.pg_ports = pg_ports or (free_port(), free_port())
        self.app_ports = app_ports or (free_port(), free_port())
        self.proxy_port = proxy_port if proxy_port is not None else free_port()
        self.user = user
        self.password = password or secrets.token_urlsafe(12)
        self.extra_env = extra_env or {}
        self.log = log
        self.bin = pg_bin()
        self.as_postgres = os.geteuid() == 0
        self.started_pg: list[Path] = []
        self.servers: list[subprocess.Popen[bytes]] = []
        self.proxy: _Proxy | None = None
        self.district_uid = ""
        self._stopped = False

    # --- addresses -----------------------------------------------------------------
    def db_url(self, which: str) -> str:
        port = self.pg_ports[0 if which == "primary" else 1]
        return f"postgres://postgres@127.0.0.1:{port}/ptdv"

    def app_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[i]}"

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    # --- processes -----------------------------------------------------------------
    def _pg(self, *argv: str) -> None:
        cmd = [str(self.bin / argv[0]), *argv[1:]]
        kw: dict[str, Any] = {"check": True, "capture_output": True, "cwd": "/"}
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            kw.update(user=pw.pw_uid, group=pw.pw_gid, extra_groups=[])
        try:
            subprocess.run(cmd, **kw)  # noqa: S603
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(
                f"{' '.join(cmd)} failed: {exc.stderr.decode(errors='replace')}"
            ) from exc

    def sql(self, which: str, statement: str, dbname: str = "ptdv") -> Any:
        import psycopg

        port = self.pg_ports[0 if which == "primary" else 1]
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
        ) as conn:
            cur = conn.execute(statement)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else None

    def _app_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for k in ("DJANGO_SETTINGS_MODULE", "DEBUG", "PYTEST_CURRENT_TEST"):
            env.pop(k, None)
        env.update(
            DJANGO_SETTINGS_MODULE="ptdv.config.settings",
            DATABASE_URL=self.db_url("primary"),
            DATABASE_REPLICA_URL=self.db_url("replica"),
            PTDV_DATA_DIR=str(self.dir / "shared"),  # files: shared storage
            SECRET_KEY=self._secret,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PTDV_HTTPS="0",
            PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        )
        env.update(self.extra_env)
        return env

    def start(self) -> ScaleOut:
        atexit.register(self.stop)
        self._secret = secrets.token_urlsafe(40)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "shared").mkdir(exist_ok=True)
        pgdir = self.dir / "pg"
        pgdir.mkdir(exist_ok=True)
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(pgdir, pw.pw_uid, pw.pw_gid)
            os.chmod(self.dir, 0o755)
        primary, replica = pgdir / "primary", pgdir / "replica"
        p1, p2 = self.pg_ports
        self.log(f"primary: initdb {primary}")
        self._pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        conf = (
            f"\nport = {p1}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{pgdir}'\nwal_level = replica\n"
            "max_wal_senders = 4\nhot_standby = on\nfsync = off\n"
            "full_page_writes = off\n"
        )
        with open(primary / "postgresql.conf", "a") as fh:
            fh.write(conf)
        self._pg("pg_ctl", "-D", str(primary), "-l", str(pgdir / "primary.log"), "-w", "start")
        self.started_pg.append(primary)
        self.sql("primary", "CREATE DATABASE ptdv", dbname="postgres")
        self.log(f"replica: pg_basebackup -R from 127.0.0.1:{p1}")
        self._pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "-D",
                 str(replica), "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        with open(replica / "postgresql.auto.conf", "a") as fh:
            fh.write(f"\nport = {p2}\n")
        self._pg("pg_ctl", "-D", str(replica), "-l", str(pgdir / "replica.log"), "-w", "start")
        self.started_pg.append(replica)
        wait_for(
            lambda: self.sql("replica", "SELECT pg_is_in_recovery()")[0][0] is True,
            "replica in recovery",
        )
        env = self._app_env()
        self.log("schema: ptdv migrate (primary)")
        manage = [sys.executable, "-m", "ptdv.manage"]
        for argv, extra in (
            ([*manage, "migrate", "--verbosity", "0"], {}),
            ([sys.executable, "-c", SEED], {"SO_USER": self.user, "SO_PASSWORD": self.password}),
        ):
            done = subprocess.run(  # noqa: S603
                argv, env=env | extra, capture_output=True, cwd=str(REPO), check=False
            )
            if done.returncode:
                raise RuntimeError(f"{argv[-1]} failed: {done.stderr.decode(errors='replace')}")
        seeded = done
        self.district_uid = seeded.stdout.decode().strip().splitlines()[-1]
        for port in self.app_ports:
            self.log(f"app server: ptdv serve on 127.0.0.1:{port}")
            log = open(self.dir / f"app-{port}.log", "wb")  # noqa: SIM115
            self.servers.append(
                subprocess.Popen(  # noqa: S603
                    [
                        *manage,
                        "serve",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--threads",
                        "2",
                        "--no-worker",
                        "--no-collectstatic",
                    ],  # fmt: skip
                    env=env,
                    cwd=str(REPO),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for i in range(2):
            wait_for(lambda i=i: self._healthy(i), f"app server {i + 1}", timeout=90)
        self.proxy = make_proxy(self.proxy_port, list(self.app_ports))
        threading.Thread(target=self.proxy.serve_forever, daemon=True).start()
        return self

    def _healthy(self, i: int) -> bool:
        if self.servers[i].poll() is not None:
            raise RuntimeError(f"app server {i + 1} exited: see {self.dir}/app-*.log")
        conn = http.client.HTTPConnection("127.0.0.1", self.app_ports[i], timeout=5)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.proxy is not None:
            self.proxy.shutdown()
            self.proxy.server_close()
        for proc in self.servers:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.servers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for data in reversed(self.started_pg):
            with contextlib.suppress(Exception):
                self._pg("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            shutil.rmtree(self.dir / "pg", ignore_errors=True)

    def __enter__(self) -> ScaleOut:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def replica_lag(so: ScaleOut, writes: int) -> list[float]:
    """Milliseconds from a committed insert on the primary to the row being readable on
    the replica, ``writes`` times (the replica polled every millisecond)."""
    import psycopg

    so.sql("primary", "CREATE TABLE IF NOT EXISTS bench_lag (i int PRIMARY KEY)")
    wait_for(lambda: so.sql("replica", "SELECT to_regclass('bench_lag')")[0][0], "lag table")
    out = []
    p1, p2 = so.pg_ports
    kw: dict[str, Any] = {"host": "127.0.0.1", "user": "postgres", "dbname": "ptdv"}
    with (
        psycopg.connect(port=p1, autocommit=True, **kw) as primary,
        psycopg.connect(port=p2, autocommit=True, **kw) as replica,
    ):
        for i in range(writes):
            t0 = time.perf_counter()
            primary.execute("INSERT INTO bench_lag VALUES (%s)", [i])
            while not replica.execute("SELECT 1 FROM bench_lag WHERE i = %s", [i]).fetchone():
                time.sleep(0.001)
            out.append((time.perf_counter() - t0) * 1000)
    so.sql("primary", "DROP TABLE bench_lag")
    return sorted(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", help="working directory (default: a new temporary one)")
    ap.add_argument("--pg-port", type=int, default=55432, help="primary; the replica is +1")
    ap.add_argument("--app-port", type=int, default=8101, help="first app server; second +1")
    ap.add_argument("--proxy-port", type=int, default=None, help="default: app port + 2")
    ap.add_argument("--user", default="scaleout")
    ap.add_argument("--password", default=None, help="default: a random one, printed")
    ap.add_argument(
        "--measure-lag",
        type=int,
        default=0,
        metavar="N",
        help="time N writes from the primary to the replica, print the figures and stop",
    )
    args = ap.parse_args(argv)
    so = ScaleOut(
        args.dir,
        pg_ports=(args.pg_port, args.pg_port + 1),
        app_ports=(args.app_port, args.app_port + 1),
        proxy_port=args.proxy_port or args.app_port + 2,
        user=args.user,
        password=args.password,
    )
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    with so:
        print(f"primary  {so.db_url('primary')}")
        print(f"replica  {so.db_url('replica')}  (streaming, hot standby)")
        print(f"app 1    {so.app_url(0)}/")
        print(f"app 2    {so.app_url(1)}/")
        print(f"proxy    {so.proxy_url}/  (round robin over both)")
        if args.measure_lag:
            lag = replica_lag(so, args.measure_lag)
            p50, p95 = lag[len(lag) // 2], lag[int(len(lag) * 0.95)]
            print(
                f"replica lag over {len(lag)} writes: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                f"max {lag[-1]:.1f} ms (commit on the primary → row readable on the replica)"
            )
            return
        print(f"log in as {so.user} / {so.password}; Ctrl-C stops everything")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
