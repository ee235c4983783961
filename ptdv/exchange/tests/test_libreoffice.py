"""A workbook saved by a real spreadsheet program: LibreOffice headless re-saves the
messy corpus file (recomputing its formulas, writing its own XML). scripts/system-deps.sh
installs LibreOffice Calc; outside CI the test is skipped when it is missing, in CI
(PTDV_REQUIRE_LIBREOFFICE) it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ptdv.exchange import services
from ptdv.exchange.tests import corpus
from ptdv.people.models import Person

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None and not os.environ.get("PTDV_REQUIRE_LIBREOFFICE"),
        reason="LibreOffice is not installed",
    ),
]


def test_workbook_saved_by_libreoffice_imports(tree: Any, personas: Any, tmp_path: Path) -> None:
    import openpyxl

    assert SOFFICE, "LibreOffice is required (PTDV_REQUIRE_LIBREOFFICE) but not installed"

    src = tmp_path / "in"
    src.mkdir()
    path = corpus.messy(src / "danh-sach.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append([5, '=CONCATENATE("Lê ","Văn Tám")', "01/01/1990", "Nam", None, "Kinh", "A-X-1"])
    wb.save(path)
    out = tmp_path / "out"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / "danh-sach.xlsx"
    assert saved.exists()
    user = personas.district_officer
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=saved, file_name=saved.name
    )
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.problems == [], outcome.problems
    assert outcome.created == 5
    assert Person.objects.filter(full_name="Lê Văn Tám").exists()
    assert Person.objects.get(citizen_id="001090012345").full_name == "Nguyễn Văn Đức"
