from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from PIL import Image

NAME_A = "Nguyễn Thị Ưng"
NAME_B = "Đặng Văn Ẩn"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdf_text(pdf: bytes, tmp_path: Any) -> str:
    f = tmp_path / "doc.pdf"
    f.write_bytes(pdf)
    return subprocess.run(
        [need("pdftotext"), "-layout", str(f), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path: Any) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF."""
    f = tmp_path / "fonts.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(
        [need("pdffonts"), str(f)], check=True, capture_output=True, text=True
    ).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... emb sub uni object ID: emb is the 5th field from the end
        rows.append((parts[0], parts[-5] == "yes"))
    return rows


def pdf_page_png(pdf: bytes, tmp_path: Any, *, dpi: int = 60) -> Image.Image:
    f = tmp_path / "page.pdf"
    f.write_bytes(pdf)
    png = subprocess.run(
        [need("pdftoppm"), "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(f)],
        check=True,
        capture_output=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("L")


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    """Messages are checked in Vietnamese whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("vi"):
        yield
