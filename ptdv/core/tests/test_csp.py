"""The strict Content-Security-Policy needs pages without inline script or style: every
template is scanned (other helpers add templates all the time, so this test is the net),
and the security headers and cookie flags are checked on real responses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]  # the ptdv package

# Templates that never reach a browser: rendered to PDF by WeasyPrint.
NOT_FOR_BROWSERS = {"reports/templates/reports/article_pdf.html"}

FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> (use static/ptdv/js)"),
    (re.compile(r"<style\b", re.I), "<style> element (use static/ptdv/css)"),
    (re.compile(r"""\sstyle\s*=\s*["'{]""", re.I), 'style="" attribute (use a class)'),
    (re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I), "on…= handler (use data- + app.js)"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I), "javascript: URL"),
]


def _templates() -> list[Path]:
    return sorted(p for p in ROOT.glob("*/templates/**/*.html"))


def test_no_inline_script_or_style_in_templates() -> None:
    found = []
    files = _templates()
    assert len(files) > 50  # the scan really sees the templates
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        if rel in NOT_FOR_BROWSERS:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in FORBIDDEN:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{rel}:{line}: {what}: {m.group(0)[:60]}")
    assert not found, "Inline script/style breaks the CSP:\n" + "\n".join(found)


def test_no_inline_style_or_script_built_in_python() -> None:
    """HTML built in Python (format_html, SVG charts) follows the same rule; the documents
    app renders paper for WeasyPrint, not for the browser."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or rel.startswith(("documents/", "config/")):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in FORBIDDEN[:3]:
            for m in pattern.finditer(text.replace('\\"', '"')):
                found.append(f"{rel}: {what}: {m.group(0)[:60]}")
    assert not found, "\n".join(found)


def test_policy_is_strict() -> None:
    csp = settings.PTDV_CSP
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in csp and "*" not in csp and "http" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_headers_on_pages(client: Any, personas: Any) -> None:
    login = client.get(reverse("login"))
    for r in (login, _logged_in(client, personas).get(reverse("home"))):
        assert r.status_code == 200
        assert r["Content-Security-Policy"] == settings.PTDV_CSP
        assert r["X-Frame-Options"] == "DENY"
        assert r["Referrer-Policy"] == "same-origin"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_policy_on_files(client: Any, personas: Any) -> None:
    """PDF and spreadsheets are not pages: Chromium's PDF viewer must not be blocked."""
    from ptdv.documents.registry import SPECS

    code = sorted(SPECS)[0]
    r = _logged_in(client, personas).get(reverse("documents:template_sample", args=[code, "docx"]))
    assert r.status_code == 200
    assert "Content-Security-Policy" not in r


@pytest.mark.django_db
def test_cookies_httponly_and_samesite(client: Any, personas: Any) -> None:
    from conftest import PASSWORD

    r = client.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD})
    assert r.status_code == 302
    session = r.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    client.cookies.clear()
    r = client.get(reverse("login"))
    csrf = r.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    # the token still reaches HTMX: it is in the page, not read from the cookie
    home = client.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD})
    page = client.get(home["Location"]).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def _logged_in(client: Any, personas: Any) -> Any:
    client.force_login(personas.district_officer)
    return client
