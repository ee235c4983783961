"""The shipped demo (``ptdv/demo/shipped.py``): built from this checkout, used by
``loaddemo`` only when it fits, and giving the same reports as a fresh load."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from ptdv.demo import shipped
from ptdv.demo.management.commands.loaddemo import Command
from ptdv.demo.tests import report_figures

REPO = Path(__file__).resolve().parents[3]


def test_the_shipped_demo_is_built_from_this_checkout() -> None:
    info = shipped.info()
    assert info is not None, f"{shipped.ARCHIVE} is missing: run `ptdv builddemo`"
    assert info["key"] == shipped.build_key(), (
        "The shipped demo is stale (the demo's code or a policy file changed since it was "
        "built): run `ptdv builddemo` and commit ptdv/demo/data/demo.*"
    )
    here = shipped.migrations()
    changed = [m for m, h in info["migrations"].items() if here.get(m) != h]
    assert not changed, f"migrations changed since the shipped demo was built: {changed}"


def test_the_build_key_covers_the_demo_code_and_the_policies() -> None:
    names = {p.relative_to(shipped.PTDV_DIR).as_posix() for p in shipped.key_files()}
    assert {"demo/plan.py", "demo/steps/admissions/history.py"} <= names
    assert {"demo/data/sap-xep-2025.csv", "demo/management/commands/loaddemo.py"} <= names
    assert any(n.startswith("policy/policies/") and n.endswith(".toml") for n in names)
    assert not any("/tests/" in n or n.startswith("demo/data/demo.") for n in names)
    assert "people/migrations/0001_initial.py" in shipped.migrations()


def test_newer_migrations_do_not_make_it_stale_a_changed_one_does(monkeypatch: Any) -> None:
    here = shipped.migrations()
    older = dict(list(here.items())[:-1])  # built before the last migration
    base = {"key": shipped.build_key(), "migrations": older}
    monkeypatch.setattr(shipped, "info", lambda: base)
    monkeypatch.setattr(shipped, "connection", SimpleNamespace(vendor="sqlite"))
    assert shipped.why_not_shipped() is None
    assert shipped.newer_migrations() == [list(here)[-1]]
    first = next(iter(older))
    monkeypatch.setattr(shipped, "info", lambda: {**base, "migrations": {**older, first: "x"}})
    assert "migration" in (shipped.why_not_shipped() or "")


@pytest.fixture
def build_instead(monkeypatch: Any) -> list[bool]:
    built: list[bool] = []
    monkeypatch.setattr(Command, "_build", lambda self, fast=False: built.append(fast) or [])
    monkeypatch.setattr(Command, "_print_logins", lambda self, logins=None: None)
    return built


@pytest.mark.django_db
def test_a_stale_shipped_demo_is_not_used(build_instead: list[bool], monkeypatch: Any) -> None:
    monkeypatch.setattr(shipped, "build_key", lambda: "another checkout")
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    assert "Không dùng bản dựng sẵn" in out.getvalue()
    assert build_instead == [False]  # the loader ran


@pytest.mark.django_db
def test_fresh_and_fast_skip_the_shipped_demo(build_instead: list[bool], monkeypatch: Any) -> None:
    def refuse() -> int:
        raise AssertionError("restored")

    monkeypatch.setattr(shipped, "restore_shipped", refuse)
    call_command("loaddemo", "--fresh", stdout=io.StringIO())
    call_command("loaddemo", "--fast", stdout=io.StringIO())
    assert build_instead == [False, True]


def _shipped_figures(tmp: Path) -> dict[str, Any]:
    """``make demo``'s way in a child process on an empty SQLite file: migrate, then
    loaddemo (which restores the shipped demo), then the figures."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
        "PTDV_DATA_DIR": str(tmp / "data"),
        "DEBUG": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "ptdv.manage", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v", "0")
    printed = manage("loaddemo")
    assert "dựng sẵn" in printed and "Không dùng" not in printed, printed
    code = "from ptdv.demo.tests.report_figures import main; main()"
    result: dict[str, Any] = json.loads(manage("shell", "-v", "0", "-c", code).splitlines()[-1])
    return result


# A fresh load (``--fast``: the bulk path for the cases before 2024, proven equal to the
# services' rows by test_demo_equivalence.py; the shipped one runs every case through the
# services) and the shipped database give the same report figures. Minutes: marked demo.
@pytest.mark.demo
@pytest.mark.django_db(transaction=False)
def test_a_fresh_load_and_the_shipped_demo_give_the_same_reports(tmp_path: Path) -> None:
    if shipped.why_not_shipped() not in (None, "CSDL không phải SQLite"):
        pytest.fail(f"the shipped demo cannot be used: {shipped.why_not_shipped()}")
    from_shipped = _shipped_figures(tmp_path)
    call_command("loaddemo", "--fast", stdout=io.StringIO())
    fresh = report_figures.figures()
    assert fresh.keys() == from_shipped.keys()
    differ = {k: (fresh[k], from_shipped[k]) for k in fresh if fresh[k] != from_shipped[k]}
    assert not differ, json.dumps(differ, ensure_ascii=False, indent=1)[:4000]
    assert fresh["CD 2010-01-01…2020-12-31"]["admitted"] == 1574  # real figures compared
