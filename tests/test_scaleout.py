"""Scale-out, demonstrated (issue 13, point 5): a PostgreSQL primary and a streaming replica
on loopback, two ``ptdv serve`` app servers (bench/scaleout.py). A write through one app
server is read back through the other: at once by the client that wrote (its reads go to
the primary for a few seconds), by another client from the replica — which is shown to be
the replica by pausing its replay: the other client does not see the write until replay
resumes.

Runs in the PostgreSQL pass of CI (``postgres_only``); it needs the PostgreSQL server
binaries (initdb, pg_ctl, pg_basebackup), not the test database. Everything it starts is
stopped and its directory removed even when it fails (``ScaleOut`` as a context manager,
and at the interpreter's exit)."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

pytestmark = pytest.mark.postgres_only

READ_YOUR_WRITES = 4  # seconds (PTDV_READ_YOUR_WRITES_SECONDS of the app servers)
NEW_CODE = "SO-A-NEW"
REPORT = "/reports/people/?key=orgs.grassroots"


@pytest.fixture(scope="module")
def cluster() -> Any:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL pass of CI runs it (the server binaries are there)")
    from bench.scaleout import ScaleOut, pg_bin

    try:
        pg_bin()
    except RuntimeError as exc:
        pytest.fail(str(exc))  # the PostgreSQL pass must be able to run it
    so = ScaleOut(
        extra_env={
            "PTDV_READ_YOUR_WRITES_SECONDS": str(READ_YOUR_WRITES),
            # a paused replay is "lag": allow it here, so that the paused replica is read
            "PTDV_REPLICA_MAX_LAG_SECONDS": "3600",
        },
        log=lambda *a: None,
    )
    with so:
        yield so
    assert not so.dir.exists()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Reply:
    status_code: int
    text: str


class Browser:
    """A client with its own cookies (the standard library's: no extra dependency)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def _open(self, req: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(req, timeout=60) as r:
                return Reply(r.status, r.read().decode())
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
            return Reply(exc.code, exc.read().decode(errors="replace"))

    def get(self, url: str) -> Reply:
        return self._open(urllib.request.Request(url))  # noqa: S310 — loopback

    def post(self, url: str, data: dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body))  # noqa: S310

    def forget_mark(self) -> None:
        for c in list(self.cookies):
            if c.name == "ptdv_rw":
                self.cookies.clear(c.domain, c.path, c.name)


def csrf_of(page: Reply) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return token.group(1)


def login(base: str, user: str, password: str) -> Browser:
    b = Browser()
    token = csrf_of(b.get(f"{base}/login/"))
    r = b.post(
        f"{base}/login/",
        {"username": user, "password": password, "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302, r.text[:500]
    return b


def test_write_through_one_app_server_read_the_report_through_the_other(cluster: Any) -> None:
    a, b = cluster.app_url(0), cluster.app_url(1)
    writer = login(a, cluster.user, cluster.password)
    reader = login(b, cluster.user, cluster.password)
    reader.forget_mark()  # its log-in wrote (last log-in): as if that was long ago
    assert "SO-A-1" in reader.get(f"{b}{REPORT}").text  # from the replica

    cluster.sql("replica", "SELECT pg_wal_replay_pause()")
    try:
        url = f"{a}/orgs/{cluster.district_uid}/children/new/"
        r = writer.post(
            url,
            {
                "code": NEW_CODE,
                "name": "Đảng bộ xã Mới lập",
                "kind": "grassroots_committee",
                "sector": "commune_ward",
                "valid_from": "01/01/2020",
                "csrfmiddlewaretoken": csrf_of(writer.get(url)),
            },
        )
        assert r.status_code == 302, r.text[:2000]
        assert cluster.sql(
            "primary", f"SELECT 1 FROM organizations_orgunit WHERE code = '{NEW_CODE}'"
        )
        assert not cluster.sql(
            "replica", f"SELECT 1 FROM organizations_orgunit WHERE code = '{NEW_CODE}'"
        )
        # the writer, through the other app server (the session lives in the database):
        # its reads go to the primary while its mark lasts — it sees its write at once
        page = writer.get(f"{b}{REPORT}")
        assert page.status_code == 200
        assert NEW_CODE in page.text
        # another client reads the report from the replica, which has not replayed it yet
        page = reader.get(f"{b}{REPORT}")
        assert page.status_code == 200
        assert "SO-A-1" in page.text and NEW_CODE not in page.text
        # the writer's mark ends: its report reads go to the replica too
        time.sleep(READ_YOUR_WRITES + 0.5)
        assert NEW_CODE not in writer.get(f"{b}{REPORT}").text
        # the proxy in front reaches both app servers, each with the same answer
        via_proxy = {NEW_CODE in writer.get(f"{cluster.proxy_url}{REPORT}").text for _ in "ab"}
        assert via_proxy == {False}
    finally:
        cluster.sql("replica", "SELECT pg_wal_replay_resume()")
    # once the replica has replayed the write, every client sees it through either server
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if cluster.sql("replica", f"SELECT 1 FROM organizations_orgunit WHERE code = '{NEW_CODE}'"):
            break
        time.sleep(0.2)
    assert NEW_CODE in reader.get(f"{b}{REPORT}").text
    assert NEW_CODE in reader.get(f"{a}{REPORT}").text
