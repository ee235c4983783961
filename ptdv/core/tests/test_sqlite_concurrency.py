"""SQLite in WAL mode with a busy timeout: writers in several processes, an export and a backup
running at the same time all succeed — no "database is locked" (real processes on a file
database) — and the backup taken meanwhile restores into a fresh installation."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite only"
)

SETUP = """
import os, sys, datetime as dt, pathlib
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings")
django.setup()
from django.db import connection
from ptdv.organizations.models import OrgUnit
from ptdv.people.services import person_create
data = pathlib.Path(os.environ["PTDV_DATA_DIR"])
"""

SEED = """
from django.contrib.auth.models import User
from ptdv.organizations.services import org_unit_create
User.objects.create_superuser("admin", password="x")
org_unit_create(actor=None, code="P", name="Tỉnh", kind="province", parent=None,
                authorised_to_admit=True, valid_from=dt.date(2000, 1, 1))
unit = org_unit_create(actor=None, code="P-1", name="Đảng bộ xã Một", kind="grassroots_committee",
                       parent=OrgUnit.objects.get(code="P"), valid_from=dt.date(2000, 1, 1))
for i in range(150):
    person_create(actor=None, org_unit=unit, full_name=f"Người Thứ {i}",
                  date_of_birth=dt.date(1990, 1, 1), gender="male", ethnicity="01")
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode")
    print(c.fetchone()[0])
    c.execute("PRAGMA busy_timeout")
    print(c.fetchone()[0])
"""

WRITER = """
who = sys.argv[1]
unit = OrgUnit.objects.get(code="P-1")
import time
while not (data / "export-started").exists():
    time.sleep(0.01)
for i in range(40):
    person_create(actor=None, org_unit=unit, full_name=f"Người Viết {who} {i}",
                  date_of_birth=dt.date(1991, 1, 1), gender="female", ethnicity="01")
(data / f"writer-{who}-done").touch()
"""

EXPORTER = """
from django.core.management import call_command
exports = 0
(data / "export-started").touch()
while True:
    done = len(list(data.glob("writer-*-done")))
    call_command("export", str(data / f"export-{exports}.xlsx"), kind="people", org="P")
    exports += 1
    if done == 3:
        break
print(exports)
"""

BACKUP = """
import time
from django.core.management import call_command
while not (data / "export-started").exists():
    time.sleep(0.01)
call_command("backup", sys.argv[1])
"""


def _run(env: dict[str, str], code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", textwrap.dedent(SETUP) + textwrap.dedent(code), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writers_while_an_export_runs(tmp_path: Path) -> None:
    assert connection.vendor == "sqlite"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PTDV_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ptdv.config.settings")
    migrate = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "ptdv.manage", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    seed = _run(env, SEED)
    out, err = seed.communicate(timeout=300)
    assert seed.returncode == 0, err
    journal, busy = out.split()
    assert journal == "wal"
    assert int(busy) >= 5000  # milliseconds a writer waits for another before failing

    exporter = _run(env, EXPORTER)
    writers = [_run(env, WRITER, str(n)) for n in range(3)]
    # and a backup taken while they write (the online backup API)
    backup = _run(env, BACKUP, str(tmp_path / "during.tar"))
    results = [(p, *p.communicate(timeout=600)) for p in [*writers, backup, exporter]]
    for proc, _out, err in results:
        assert "database is locked" not in err
        assert proc.returncode == 0, err
    exports = int(results[-1][1].split()[-1])
    assert exports >= 2  # at least one export ran while the writers were writing
    check = _run(
        env,
        "from ptdv.people.models import Person\n"
        "print(Person.objects.filter(org_unit__code='P-1').count())",
    )
    out, err = check.communicate(timeout=120)
    assert check.returncode == 0, err
    assert int(out) == 150 + 3 * 40

    # the backup made during the writes restores into a fresh installation and checks out
    # (every table's row count as in its manifest, SQLite integrity_check)
    fresh = {**env, "PTDV_DATA_DIR": str(tmp_path / "fresh")}
    restore = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "ptdv.manage", "restore", str(tmp_path / "during.tar")],
        env=fresh,
        capture_output=True,
        text=True,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr
    check = _run(
        fresh,
        "from ptdv.people.models import Person\n"
        "print(Person.objects.filter(org_unit__code='P-1').count())",
    )
    out, err = check.communicate(timeout=120)
    assert check.returncode == 0, err
    assert 150 <= int(out) <= 150 + 3 * 40  # a consistent moment of the writes
