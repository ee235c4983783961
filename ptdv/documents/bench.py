"""Rendering time per PDF page and per DOCX: ``python -m ptdv.documents.bench [n]``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time


def _pages(pdf: bytes) -> int:
    """Page count by poppler's pdfinfo (the PDF uses compressed object streams)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", out.stdout, re.M)
    if found is None:  # pdfinfo prints the page count of every PDF
        raise RuntimeError(out.stdout)
    return int(found.group(1))


def main(n: int = 10) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings")
    # production settings (DEBUG off) on loopback over plain HTTP, with a throwaway key
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "0123456789abcdefghijklmnopqrstuvwxyz-ptdv")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
    os.environ.setdefault("PTDV_HTTPS", "0")
    import django

    django.setup()
    from ptdv.documents.registry import SPECS
    from ptdv.documents.render import render_document, render_many

    render_document("training.certificate", SPECS["training.certificate"].sample())  # warm up
    for code, spec in sorted(SPECS.items()):
        ctx = spec.sample()
        t = time.perf_counter()
        for _ in range(n):
            pdf = render_document(code, ctx, "pdf")
        per_doc = (time.perf_counter() - t) / n
        t = time.perf_counter()
        for _ in range(n):
            render_document(code, ctx, "docx")
        per_docx = (time.perf_counter() - t) / n
        pages = _pages(pdf)
        print(
            f"{code:34s} {pages} page(s)  PDF {per_doc * 1000:4.0f} ms/doc "
            f"{per_doc / pages * 1000:4.0f} ms/page   DOCX {per_docx * 1000:4.0f} ms/doc"
        )
    contexts = [
        dict(SPECS["training.certificate"].sample(), full_name=f"Nguyễn Thị Ưng {i}")
        for i in range(50)
    ]
    t, cpu = time.perf_counter(), time.process_time()
    pdf = render_many("training.certificate", contexts, "pdf")
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    pages = _pages(pdf)
    print(f"render_many CPU time: {cpu / pages * 1000:.0f} ms/page (wall time depends on load)")
    print(
        f"render_many: 50 certificates, {pages} pages, {elapsed:.2f} s = {elapsed / pages * 1000:.0f} ms/page"
    )
    t, cpu = time.perf_counter(), time.process_time()
    render_many("training.certificate", contexts, "docx")
    print(
        f"render_many DOCX: 50 certificates, {time.perf_counter() - t:.2f} s, "
        f"CPU {(time.process_time() - cpu) / 50 * 1000:.0f} ms/doc"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
