"""Report reads on a streaming replica, writes on the primary (issue 13, point 5).

Only active when ``DATABASE_REPLICA_URL`` is set (settings add the ``replica`` alias, this
router and the middleware); without it nothing here runs and every query goes to
``default`` as before.

Rules, in order (``ReplicaRouter.db_for_read``):

1. Only code run inside ``replica_reads()`` (the report, statistics and dashboard views)
   may read from the replica; everything else reads the primary.
2. Inside a transaction on the primary (``atomic``) reads stay on the primary: what the
   transaction is about to write must be read from where it writes.
3. Read-your-writes: a request that wrote to the database marks the client (a cookie, so
   that it holds on every app server) for ``PTDV_READ_YOUR_WRITES_SECONDS``; while the
   mark lasts, its reads go to the primary.
4. Replica lag: when the replica's last replayed transaction is older than
   ``PTDV_REPLICA_MAX_LAG_SECONDS`` while the primary has written since, reads go to the
   primary (checked at most every ``PTDV_REPLICA_LAG_CHECK_SECONDS`` per process).
5. Sessions are read from the primary always (a log-in must hold at once).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "ptdv_rw"
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")
_NEVER_REPLICA = frozenset({"sessions"})

_replica_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("ptdv_replica", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("ptdv_pinned", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside may go to the replica (subject to the rules above)."""
    token = _replica_ok.set(True)
    try:
        yield
    finally:
        _replica_ok.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose reads may go to the replica (a report: reads only)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


@contextlib.contextmanager
def pinned_to_primary(pinned: bool = True) -> Iterator[None]:
    """Reads inside go to the primary (the client wrote a moment ago)."""
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


class _LagProbe:
    """Whether the replica is too far behind, asked at most every few seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked = 0.0
        self._behind = False

    def behind(self) -> bool:
        every = getattr(settings, "PTDV_REPLICA_LAG_CHECK_SECONDS", 5)
        now = time.monotonic()
        if now - self._checked < every:
            return self._behind
        with self._lock:
            if now - self._checked >= every:
                self._behind = self._measure()
                self._checked = now
        return self._behind

    def reset(self) -> None:
        self._checked = 0.0
        self._behind = False

    @staticmethod
    def _measure() -> bool:
        limit = getattr(settings, "PTDV_REPLICA_MAX_LAG_SECONDS", 30)
        try:
            conn = connections[REPLICA]
            if conn.vendor != "postgresql":
                return False
            with conn.cursor() as cur:
                # on a replica: seconds since the last replayed commit, 0 when it has
                # replayed everything it received (an idle primary is not "lag")
                cur.execute(
                    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
                    "THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) "
                    "END"
                )
                row = cur.fetchone()
        except Exception:  # the replica is down: read the primary
            return True
        lag = row[0] if row else None
        return lag is not None and float(lag) > limit


lag_probe = _LagProbe()


class ReplicaRouter:
    """``replica`` for report reads (see the module's rules), ``default`` otherwise."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if not _replica_ok.get() or _pinned.get():
            return PRIMARY
        if model._meta.app_label in _NEVER_REPLICA or not replica_configured():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if lag_probe.behind():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def wrote(sql: str) -> bool:
    """Whether a statement changes rows the client may read back (not the session row,
    which every request may touch)."""
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in _WRITES and "django_session" not in sql


class ReadYourWritesMiddleware:
    """After a request that wrote, the client's reads go to the primary for
    ``PTDV_READ_YOUR_WRITES_SECONDS`` (a cookie holding the time the mark ends, so that any
    app server honours it)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        now = time.time()
        try:
            until = float(request.COOKIES.get(COOKIE, "0"))
        except ValueError:
            until = 0.0
        seen = {"wrote": False}

        def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if not seen["wrote"] and wrote(sql):
                seen["wrote"] = True
            return execute(sql, params, many, context)

        with pinned_to_primary(until > now), connections[PRIMARY].execute_wrapper(watch):
            response = self.get_response(request)
        if seen["wrote"]:
            seconds = int(getattr(settings, "PTDV_READ_YOUR_WRITES_SECONDS", 10))
            response.set_cookie(
                COOKIE,
                f"{now + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
