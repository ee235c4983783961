"""Public API of the documents app (called by training, admissions and others).

    render_document(code, context, fmt="pdf") -> bytes          # "pdf" | "docx"
    render_many(code, contexts, fmt="pdf") -> bytes             # one file, one document per page
    document_filename(code, context, fmt) -> str                # ASCII-safe file name
    document_response(code, context, fmt="pdf", inline=False)   # an HttpResponse to return

The template is the active override saved in the editor (``DocumentTemplate``) or, when
there is none, the default shipped in ``doc_templates/<code>.html``. Context keys are
listed in README.md and in ``registry.SPECS``; a missing key prints as a dotted blank.
"""

from __future__ import annotations

import atexit
import datetime as dt
import io
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.documents import rules, sandbox
from ptdv.documents.docx_writer import html_to_docx, merge_docx
from ptdv.documents.engine import DOC_TEMPLATES_DIR, compile_template, default_source
from ptdv.documents.registry import SPECS

FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "ptdv" / "fonts"
FONT_FACES = [
    ("Tinos-Regular.ttf", "normal", "normal"),
    ("Tinos-Bold.ttf", "bold", "normal"),
    ("Tinos-Italic.ttf", "normal", "italic"),
    ("Tinos-BoldItalic.ttf", "bold", "italic"),
]
FONT_FAMILY = "PTDV Tinos"
ALIASES = {"issue_date": "date", "issue_place": "place"}
COMMON_DEFAULTS: dict[str, Any] = {
    "issuer_parent": "",
    "number": "",
    "place": "",
    "signer_on_behalf": "",
    "recipients": [],
    "date": None,
}


@dataclass(frozen=True)
class Source:
    code: str
    body_html: str
    docx_path: str = ""  # an uploaded docxtpl template, if any
    version: int = 0  # 0 = shipped default


# --- sources ---------------------------------------------------------------------------


def known_codes() -> list[str]:
    return sorted(SPECS)


def template_source(code: str) -> Source:
    """The template used for ``code``: the active override, else the shipped default."""
    override = _override(code)
    if override is not None:
        return override
    body = default_source(code)
    if body is None:
        raise DomainError(
            _("There is no document template with the code %(code)s.") % {"code": code},
            code="unknown_template",
        )
    return Source(code=code, body_html=body)


def _override(code: str) -> Source | None:
    from django.db import DatabaseError

    from ptdv.documents.models import DocumentTemplate

    try:
        row = (
            DocumentTemplate.objects.filter(code=code, is_active=True)
            .only("code", "body_html", "docx_file", "version")
            .first()
        )
    except (DatabaseError, RuntimeError):  # no table yet / a test without the database
        return None
    if row is None:
        return None
    docx_path = row.docx_file.path if row.docx_file else ""
    return Source(code=code, body_html=row.body_html, docx_path=docx_path, version=row.version)


# --- context and HTML --------------------------------------------------------------------


def _nfc(value: Any) -> Any:
    """Text in composed form (NFC): names typed or imported in decomposed form print and
    search the same as the others."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list | tuple):
        return [_nfc(v) for v in value]
    return value


def build_context(code: str, context: dict[str, Any]) -> dict[str, Any]:
    ctx: dict[str, Any] = dict(COMMON_DEFAULTS)
    for alias, key in ALIASES.items():
        if alias in context and key not in context:
            ctx[key] = context[alias]
    ctx.update({key: _nfc(value) for key, value in context.items()})
    spec = SPECS.get(code)
    if spec is not None and spec.prepare is not None:
        spec.prepare(ctx)
    return ctx


def render_html_source(body_html: str, code: str, context: dict[str, Any]) -> str:
    return compile_template(body_html).render(_template_context(build_context(code, context)))


def render_html(code: str, context: dict[str, Any]) -> str:
    return render_html_source(template_source(code).body_html, code, context)


def _template_context(ctx: dict[str, Any]) -> Any:
    """Only plain read-only values reach an edited template (``sandbox.plain``)."""
    from django.template import Context

    return Context(sandbox.plain_context(ctx), autoescape=True)


# --- PDF ------------------------------------------------------------------------------------

_local = threading.local()


@atexit.register
def _drop_pdf_tools() -> None:
    # WeasyPrint's FontConfiguration cleans up in __del__, which fails at interpreter exit
    _local.__dict__.clear()


def _font_css() -> str:
    rules_ = []
    for filename, weight, style in FONT_FACES:
        url = (FONT_DIR / filename).as_uri()
        rules_.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules_) + f'\n* {{ font-family: "{FONT_FAMILY}"; }}\n'


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher

    allowed_root = str(FONT_DIR) + "/"

    class LocalFontFetcher(URLFetcher):
        """Only the bundled fonts and ``data:`` URLs: a template cannot read files or
        reach the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse

                path = str(Path(unquote(urlparse(url).path)).resolve())
                if path.startswith(allowed_root):
                    return super().fetch(url, headers)
            raise ValueError(f"URL not allowed in documents: {url}")

    return LocalFontFetcher


def _pdf_tools() -> tuple[Any, Any, Any]:
    tools = getattr(_local, "tools", None)
    if tools is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        fetcher = _fetcher_class()()
        css_text = _font_css() + (DOC_TEMPLATES_DIR / "official.css").read_text(encoding="utf-8")
        css = CSS(string=css_text, font_config=font_config, url_fetcher=fetcher)
        tools = (font_config, css, fetcher)
        _local.tools = tools
    return tools


def _pdf_document(html: str) -> Any:
    from weasyprint import HTML

    font_config, css, fetcher = _pdf_tools()
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[css], font_config=font_config
    )


def html_to_pdf(htmls: list[str]) -> bytes:
    docs = [_pdf_document(h) for h in htmls]
    pages = [page for d in docs for page in d.pages]
    return docs[0].copy(pages).write_pdf()


# --- DOCX from an uploaded docxtpl template --------------------------------------------------


def _docxtpl_render(path: str, ctx: dict[str, Any]) -> bytes:
    """Render an uploaded docxtpl template in the sandbox (``sandbox.jinja_env``) with
    plain values only."""
    from docxtpl import DocxTemplate

    env = sandbox.jinja_env()
    tpl = DocxTemplate(path)
    tpl.render(sandbox.plain_context(ctx), jinja_env=env)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


# --- public API -------------------------------------------------------------------------------


def _check_fmt(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown document format {fmt!r}; use 'pdf' or 'docx'")
    return fmt


def _render_source(source: Source, contexts: list[dict[str, Any]], fmt: str) -> bytes:
    if not contexts:
        raise DomainError(_("There is nothing to print."), code="empty")
    if fmt == "docx" and source.docx_path:
        return merge_docx(
            [_docxtpl_render(source.docx_path, build_context(source.code, c)) for c in contexts]
        )
    htmls = [render_html_source(source.body_html, source.code, c) for c in contexts]
    return html_to_pdf(htmls) if fmt == "pdf" else html_to_docx(htmls)


def render_document(code: str, context: dict[str, Any], fmt: str = "pdf") -> bytes:
    """One document as PDF or DOCX bytes."""
    return _render_source(template_source(code), [context], _check_fmt(fmt))


def render_many(code: str, contexts: list[dict[str, Any]], fmt: str = "pdf") -> bytes:
    """Several documents of one template in one file: each starts on a new page."""
    return _render_source(template_source(code), list(contexts), _check_fmt(fmt))


def document_filename(code: str, context: dict[str, Any], fmt: str) -> str:
    """``QD-ket-nap_125-QD-HU_Nguyen-Thi-Ung.pdf``: the kind of paper, its number and the
    person, with Vietnamese letters folded to ASCII."""
    fmt = _check_fmt(fmt)
    spec = SPECS.get(code)
    short = spec.short if spec else code.replace(".", "-")
    fields = spec.filename_parts if spec else ("number", "full_name")
    parts = [short]
    for key in fields:
        value = context.get(key)
        if isinstance(value, dt.date):
            value = value.strftime("%Y%m%d")
        if value:
            parts.append(str(value))
    return rules.filename(parts, fmt)


def document_response(
    code: str,
    context: dict[str, Any] | list[dict[str, Any]],
    fmt: str = "pdf",
    *,
    inline: bool = False,
    filename: str | None = None,
) -> HttpResponse:
    """Render and wrap in an ``HttpResponse`` (a list of contexts gives one file)."""
    fmt = _check_fmt(fmt)
    contexts = context if isinstance(context, list) else [context]
    data = render_many(code, contexts, fmt)
    name = filename or document_filename(code, contexts[0], fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
