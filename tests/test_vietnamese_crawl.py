"""Issue 16 point 3: no internal key, enum value or English on any page of the Vietnamese
interface. Every page reachable by links from the home page of a small tree (the conftest
personas, a case at each kind of stage, a class, a reminder) is read as each role; the
visible text must not hold an identifier-like token (``probation.not_ended``,
``exchange.export``, ``org_board``), a year-month code (``(2025-07)``), an ISO date, or
common English words."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ptdv.access.models import Position, Role
from ptdv.policy.loader import all_policies

pytestmark = pytest.mark.django_db
D = dt.date

IDENTIFIER = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w/@-])")
ISO = re.compile(r"(?<![\d/-])\d{4}-\d{2}(?:-\d{2})?(?![\d-])")
ENGLISH = {
    "the", "and", "of", "for", "with", "from", "not", "none", "true", "false", "save",
    "cancel", "delete", "edit", "search", "name", "date", "status", "open", "closed", "back",
    "next", "previous", "page", "total", "add", "remove", "submit", "select", "all", "filter",
    "export", "import", "download", "upload", "view", "list", "new", "create", "update",
    "details", "error", "warning", "required", "field", "this", "is", "are", "your", "you",
    "yes", "by", "or", "at", "unknown", "other", "members", "member", "cell", "case",
    "class", "report", "reports", "people", "person", "organization", "stage", "due",
}  # fmt: skip
ALLOWED = {
    "PTĐV", "English", "CCCD", "PDF", "DOCX", "XLSX", "Excel", "CSV", "API", "HTMX", "SMTP",
    "OpenAPI", "TOTP", "QR",
}  # fmt: skip
FILE = re.compile(r"\.(xlsx|docx|pdf|csv|json|tar|txt|png|svg)$")
DOMAIN = re.compile(r"\.(vn|com|org|net|gov)$")
# Pages that show a file's own words on purpose, with the reason:
EXEMPT = {
    # the template editor: the source of a document template, with its variable names
    # ({{ full_name }}), which are the template language the user edits
    re.compile(r"^/documents/templates/[\w.]+/$"),
}
SKIP = ("/logout/", "/i18n/", "/api/", "/admin/", "/static/", "/healthz", "/login/")
MAX_PER_PATTERN = 2
MAX_PAGES = 250


class _Text(HTMLParser):
    """The visible text of a page (no script, style, or element marked lang="en")."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"}:
            for key in ("placeholder", "title", "aria-label", "alt"):
                if a.get(key):
                    self.chunks.append(a[key] or "")
            return
        skip = tag in {"script", "style", "template", "code", "pre"} or a.get("lang") == "en"
        self._stack.append(skip)
        self._skip += skip
        for key in ("title", "aria-label"):
            if a.get(key) and not self._skip:
                self.chunks.append(a[key] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"}:
            return
        if self._stack:
            self._skip -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def problems_in(text: str) -> list[str]:
    out = []
    for m in IDENTIFIER.finditer(text):
        if not FILE.search(m.group()) and not DOMAIN.search(m.group()):
            out.append(f"identifier {m.group()!r}")
    for m in ISO.finditer(text):
        out.append(f"ISO date {m.group()!r}")
    words = re.findall(r"[A-Za-z]+", text)
    english = [w for w in words if w.lower() in ENGLISH and w not in ALLOWED]
    if english:
        out.append(f"English {english[:4]!r}")
    return out


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Chưa hết thời gian dự bị · probation.not_ended", True),
        ("Quy định 2025 (2025-07)", True),
        ("Xuất Excel exchange.export", True),
        ("Organization board", True),
        ("Ngày 01/07/2025, nhiệm kỳ 2025-2030", False),
        ("Chi bộ Tổ 1 — Đảng bộ xã Ngọc Phái", False),
        ("Tải tệp bao-cao.xlsx", False),
        ("In danh sách", False),
        ("dẫn thuvienphapluat.vn", False),
    ],
)
def test_the_detector(text: str, bad: bool) -> None:
    assert bool(problems_in(text)) is bad, problems_in(text)


def _pattern(path: str) -> str:
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", path)
    return re.sub(r"\d+", "<n>", path)


def crawl(client: Client, start: str = "/") -> tuple[dict[str, list[str]], int]:
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    queue: deque[str] = deque([start])
    found: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        key = _pattern(parts.path) + (
            "?" + ",".join(sorted(k.split("=")[0] for k in parts.query.split("&")))
            if parts.query
            else ""
        )
        if per_pattern[key] >= MAX_PER_PATTERN:
            continue
        per_pattern[key] += 1
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        if any(p.match(parts.path) for p in EXEMPT):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        issues = sorted(
            {f"{p} in {chunk[:70]!r}" for chunk in parser.chunks for p in problems_in(chunk)}
        )
        if issues:
            found[url] = issues
        for href in parser.links:
            h = urlsplit(href)
            if h.scheme or h.netloc or not h.path.startswith("/"):
                continue
            if h.path.startswith(SKIP) or FILE.search(h.path):
                continue
            queue.append(h.path + (f"?{h.query}" if h.query else ""))
    return found, pages


@pytest.fixture
def small_world(tree: Any, personas: Any) -> dict[str, Any]:
    from ptdv.admissions.tests.conftest import World, drive, make_member
    from ptdv.people.services import person_create
    from ptdv.reminders.services import remind

    w = World(tree, personas, [make_member(tree, f"Đảng Viên {i}") for i in range(6)], None)
    cases = []
    for name, stage in [("Hoàng Văn Quyết", "cell_voted"), ("Lò Văn Lễ", "probation")]:
        w.applicant = person_create(
            actor=None,
            org_unit=tree.cell,
            full_name=name,
            date_of_birth=D(2000, 1, 15),
            gender="male",
            education_general="upper_secondary",
            audit=False,
        )
        cases.append(drive(w, stage))
    u = get_user_model().objects.create_user(username="dangbo", password="x")  # noqa: S106
    Position.objects.create(user=u, org_unit=tree.grassroots, role=Role.COMMITTEE)
    remind(D(2024, 10, 1))
    return {"grassroots_secretary": u, "cases": cases}


ROLES = ["cell_secretary", "grassroots_secretary", "district_officer", "viewer", "centre_staff"]


def test_every_page_speaks_vietnamese(small_world: Any, personas: Any) -> None:
    report = []
    total = 0
    for role in ROLES:
        user = small_world.get(role) or getattr(personas, role)
        client = Client()
        client.force_login(user)
        found, pages = crawl(client)
        total += pages
        for url, issues in sorted(found.items()):
            report.append(f"{role} {url}: {'; '.join(issues)}")
    assert total > 100
    assert not report, "\n" + "\n".join(report)


@pytest.mark.parametrize("code", [p.code for p in all_policies()])
def test_every_rule_set_page_speaks_vietnamese(code: str, personas: Any) -> None:
    """The rule-set pages (once shown as the raw file) say every key and value in words."""
    client = Client()
    client.force_login(personas.viewer)
    response = client.get(f"/policy/{code}/")
    assert response.status_code == 200
    parser = _Text()
    parser.feed(response.content.decode())
    issues = sorted({f"{p} in {c[:70]!r}" for c in parser.chunks for p in problems_in(c)})
    assert not issues, issues
