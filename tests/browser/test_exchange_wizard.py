"""Journey: an organization board officer imports a committee's workbook that has
errors, reads every problem, uploads the corrected file and imports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import browser_login
from ptdv.exchange.tests import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rows(fixed: bool) -> list[list[Any]]:
    return [
        corpus.person_row("Nguyễn Văn An", "17/05/1990", "Nam", "001090012345"),
        corpus.person_row(
            "Lê Thị Bình",
            "03/02/1985" if fixed else "31/02/1985",
            "Nữ",
            "001185001111",
            status="Đảng viên chính thức",
            admitted="01/01/2010",
            official="01/01/2011",
        ),
        corpus.person_row(
            "Hà Văn Cường", "09/09/1999", "Nam", None, org="A-X-1" if fixed else "KHONG-CO"
        ),
    ]


def _upload(page: Any, live_server: Any, tree: Any, path: Path) -> None:
    page.goto(f"{live_server.url}/exchange/")
    page.select_option("#id_kind", "people")
    page.select_option("#id_org", str(tree.grassroots.uid))
    page.set_input_files("#id_file", str(path))
    page.click("#upload-submit")
    page.wait_for_selector("#mapping")


def test_import_wizard_with_errors_then_fixed(
    page: Any, live_server: Any, tree: Any, personas: Any, tmp_path: Path, settings: Any
) -> None:
    from ptdv.people.models import Person

    settings.MEDIA_ROOT = tmp_path / "media"
    bad = corpus.write(tmp_path / "danh-sach.xlsx", _rows(fixed=False))
    browser_login(page, live_server, "bantochuc")
    _upload(page, live_server, tree, bad)
    assert page.input_value("select[name=col_1]") == "full_name"
    page.click("#check")
    page.wait_for_selector("#problems", timeout=30_000)
    problems = page.locator("tr.problem")
    assert problems.count() == 2
    text = page.inner_text("#problems")
    assert "31/02/1985" in text and "KHONG-CO" in text
    assert Person.objects.count() == 0

    good = corpus.write(tmp_path / "danh-sach-da-sua.xlsx", _rows(fixed=True))
    page.click("text=Tải lên tệp đã sửa")
    _upload(page, live_server, tree, good)
    assert "lần trước" in page.inner_text("#mapping")  # the matching is remembered
    page.click("#check")
    page.wait_for_selector("#ready", timeout=30_000)
    page.click("#commit")
    page.wait_for_selector("#batch-result", timeout=30_000)
    assert "Thêm mới 3" in page.inner_text("#batch-result")
    assert Person.objects.count() == 3
