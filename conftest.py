"""Shared fixtures: the persona tree (CONVENTIONS §7.9), a browser, database guards."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "demo: loads the whole Chợ Đồn demo (about ten seconds on SQLite)"
    )


_BROWSER_RESULTS = {"passed": 0, "skipped": 0}


def pytest_runtest_logreport(report: Any) -> None:
    if "browser" not in report.keywords:
        return
    if report.skipped:
        _BROWSER_RESULTS["skipped"] += 1
    elif report.when == "call" and report.passed:
        _BROWSER_RESULTS["passed"] += 1


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """With PTDV_REQUIRE_BROWSER (CI), skipped or absent browser journeys fail the run."""
    if not os.environ.get("PTDV_REQUIRE_BROWSER") or exitstatus != 0:
        return
    if _BROWSER_RESULTS["skipped"] or not _BROWSER_RESULTS["passed"]:
        print(
            f"\nPTDV_REQUIRE_BROWSER: browser journeys passed={_BROWSER_RESULTS['passed']} "
            f"skipped={_BROWSER_RESULTS['skipped']} — they must run in CI."
        )
        session.exitstatus = 1


@pytest.fixture(scope="session", autouse=True)
def _require_postgres(django_db_setup: Any, django_db_blocker: Any) -> None:
    if os.environ.get("PTDV_REQUIRE_POSTGRES"):
        from django.db import connection

        assert connection.vendor == "postgresql", "PTDV_REQUIRE_POSTGRES set but not on PostgreSQL"


@dataclass
class Tree:
    province: Any
    district: Any  # "district A": the personas' own subtree
    sibling: Any  # "district B": another subtree
    grassroots: Any  # a grassroots committee in A
    cell: Any  # a cell of that grassroots committee
    other_cell: Any  # another cell of the same grassroots committee
    grassroots_cell: Any  # a grassroots cell (chi bộ cơ sở) in A
    sibling_grassroots: Any
    sibling_cell: Any
    village: Any


@pytest.fixture
def tree(db: Any) -> Tree:
    from ptdv.organizations.services import org_unit_create, residential_unit_create

    d = dt.date(2000, 1, 1)
    mk = org_unit_create
    province = mk(
        actor=None,
        code="P",
        name="Đảng bộ tỉnh Thử",
        kind="province",
        parent=None,
        authorised_to_admit=True,
        valid_from=d,
    )
    district = mk(
        actor=None,
        code="A",
        name="Đảng bộ huyện An",
        kind="district",
        parent=province,
        authorised_to_admit=True,
        valid_from=d,
    )
    sibling = mk(
        actor=None,
        code="B",
        name="Đảng bộ huyện Bình",
        kind="district",
        parent=province,
        authorised_to_admit=True,
        valid_from=d,
    )
    grassroots = mk(
        actor=None,
        code="A-X",
        name="Đảng bộ xã Xuân",
        kind="grassroots_committee",
        parent=district,
        sector="commune_ward",
        valid_from=d,
        mountainous=True,
    )
    cell = mk(
        actor=None,
        code="A-X-1",
        name="Chi bộ thôn Nà Pậu",
        kind="cell",
        parent=grassroots,
        sector="residential",
        valid_from=d,
    )
    other_cell = mk(
        actor=None,
        code="A-X-2",
        name="Chi bộ Trường Tiểu học",
        kind="cell",
        parent=grassroots,
        sector="public_service",
        valid_from=d,
    )
    grassroots_cell = mk(
        actor=None,
        code="A-T",
        name="Chi bộ Trường THPT An",
        kind="grassroots_cell",
        parent=district,
        sector="public_service",
        valid_from=d,
    )
    sibling_grassroots = mk(
        actor=None,
        code="B-Y",
        name="Đảng bộ xã Yên",
        kind="grassroots_committee",
        parent=sibling,
        valid_from=d,
    )
    sibling_cell = mk(
        actor=None,
        code="B-Y-1",
        name="Chi bộ thôn Bản Mới",
        kind="cell",
        parent=sibling_grassroots,
        valid_from=d,
    )
    village = residential_unit_create(
        actor=None,
        code="A-X-T1",
        name="Thôn Nà Pậu",
        kind="village",
        org_unit=grassroots,
        own_cell=cell,
    )
    return Tree(
        province,
        district,
        sibling,
        grassroots,
        cell,
        other_cell,
        grassroots_cell,
        sibling_grassroots,
        sibling_cell,
        village,
    )


@dataclass
class Personas:
    cell_secretary: Any  # committee of tree.cell
    district_officer: Any  # organization board of district A
    sibling_officer: Any  # organization board of district B
    viewer: Any  # leader (read-only) of district A
    centre_staff: Any  # political centre attached to district A

    def all(self) -> dict[str, Any]:
        return {
            "cell_secretary": self.cell_secretary,
            "district_officer": self.district_officer,
            "sibling_officer": self.sibling_officer,
            "viewer": self.viewer,
            "centre_staff": self.centre_staff,
        }


PASSWORD = "mat-khau-thu-nghiem"  # noqa: S105


@pytest.fixture
def personas(tree: Tree) -> Personas:
    from django.contrib.auth import get_user_model

    from ptdv.access.models import Position, Role

    User = get_user_model()

    def user(name: str, role: str, unit: Any) -> Any:
        u = User.objects.create_user(username=name, password=PASSWORD)
        Position.objects.create(user=u, org_unit=unit, role=role, term_start=dt.date(2020, 1, 1))
        return u

    return Personas(
        cell_secretary=user("bithu", Role.COMMITTEE, tree.cell),
        district_officer=user("bantochuc", Role.ORG_BOARD, tree.district),
        sibling_officer=user("huyenkhac", Role.ORG_BOARD, tree.sibling),
        viewer=user("lanhdao", Role.LEADER, tree.district),
        centre_staff=user("ttct", Role.TRAINING_CENTRE, tree.district),
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # Argon2 is the production hasher (settings); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: Any, request: Any) -> None:
    """Tests must not reach the network (loopback is allowed: live_server, Chromium)."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise RuntimeError(f"network access in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


# --- browser -----------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        if os.environ.get("PTDV_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (PTDV_REQUIRE_BROWSER) but not installed")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def browser_login(page: Any, live_server: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in Vietnamese: a request through LocaleMiddleware (e.g. a test of the
    language switcher) leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
