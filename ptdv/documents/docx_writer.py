"""Write the rendered HTML of an official document into a DOCX with the same layout.

One source (the editable HTML template) gives both the PDF and the DOCX. The writer knows
the small HTML vocabulary of ``doc_templates/official.css``: paragraphs, ``div``, tables
(``layout`` without borders, ``grid`` with borders), ``b/strong``, ``i/em``, ``u``,
``br``, ``ul/ol/li`` and the classes in ``CLASS_STYLES``. Every run gets Times New Roman
for the ASCII, high-ANSI, east-Asian and complex-script slots so that Word shows
Vietnamese in one typeface.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, replace
from typing import Any

import lxml.html
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BASE_SIZE = 14


@dataclass(frozen=True)
class Fmt:
    align: str | None = None
    indent: bool = False
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float = BASE_SIZE
    before: float = 0
    after: float = 3
    nowrap: bool = False  # spaces become no-break spaces: the line never breaks


ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

CLASS_STYLES: dict[str, dict[str, Any]] = {
    "center": {"align": "center", "indent": False},
    "right": {"align": "right", "indent": False},
    "left": {"align": "left", "indent": False},
    "justify": {"align": "justify"},
    "body": {"align": "justify", "indent": True, "after": 5},
    "indent": {"indent": True},
    "noindent": {"indent": False},
    "bold": {"bold": True},
    "italic": {"italic": True},
    "underline": {"underline": True},
    "s11": {"size": 11},
    "s12": {"size": 12},
    "s13": {"size": 13},
    "s14": {"size": 14},
    "s15": {"size": 15},
    "s16": {"size": 16},
    "s18": {"size": 18},
    "title": {
        "align": "center",
        "bold": True,
        "size": 15,
        "indent": False,
        "before": 14,
        "after": 2,
    },
    "subtitle": {"align": "center", "bold": True, "indent": False, "after": 10},
    "space": {"before": 10},
    # "ĐẢNG CỘNG SẢN VIỆT NAM" on one line, as in the PDF (white-space: nowrap)
    "motto": {"after": 10, "nowrap": True},
}
TAG_STYLES: dict[str, dict[str, Any]] = {
    "b": {"bold": True},
    "strong": {"bold": True},
    "i": {"italic": True},
    "em": {"italic": True},
    "u": {"underline": True},
    "th": {"bold": True, "align": "center"},
}
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "li", "table", "ul", "ol", "section"}


def _apply(fmt: Fmt, el: Any) -> Fmt:
    changes: dict[str, Any] = {}
    changes.update(TAG_STYLES.get(el.tag, {}))
    for cls in (el.get("class") or "").split():
        changes.update(CLASS_STYLES.get(cls, {}))
    return replace(fmt, **changes) if changes else fmt


def set_run_font(run: Any, *, size: float | None = None) -> None:
    run.font.name = FONT
    if size is not None:
        run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    if size is not None:
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            # schema order: w:szCs right after w:sz (before w:u, w:lang …)
            sz = rpr.find(qn("w:sz"))
            if sz is not None:
                sz.addnext(szcs)
            else:
                rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(size * 2)))


def new_document() -> Any:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin = Mm(20), Mm(15)
    section.bottom_margin, section.left_margin = Mm(20), Mm(30)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BASE_SIZE)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(0)
    _page_numbers(section)
    return doc


def _page_numbers(section: Any) -> None:
    """Page number centred at the top from page 2 on (none on page 1)."""
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
    set_run_font(run, size=13)


_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")


def _set_borders(table: Any, borders: Any) -> None:
    """Put ``w:tblBorders`` where the schema wants it in ``w:tblPr`` (Word is strict)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    for tag in _TBLPR_AFTER_BORDERS:
        successor = tbl_pr.find(qn(tag))
        if successor is not None:
            successor.addprevious(borders)
            return
    tbl_pr.append(borders)


def _no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _set_borders(table, borders)


def _grid_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    _set_borders(table, borders)


class _Writer:
    """Walks the HTML tree; ``container`` is the document or a table cell."""

    def __init__(self, doc: Any, text_width_cm: float) -> None:
        self.doc = doc
        self.text_width_cm = text_width_cm

    # paragraphs -----------------------------------------------------------------
    def _paragraph(self, container: Any, fmt: Fmt, *, in_table: bool) -> Any:
        para = container.add_paragraph()
        pf = para.paragraph_format
        if fmt.align:
            para.alignment = ALIGN[fmt.align]
        if fmt.indent and fmt.align not in ("center", "right"):
            pf.first_line_indent = Cm(1)
        pf.space_before = Pt(fmt.before)
        pf.space_after = Pt(0 if in_table and fmt.after == 3 else fmt.after)
        return para

    def _run(self, para: Any, text: str, fmt: Fmt) -> None:
        if not text:
            return
        if fmt.nowrap:
            text = text.replace(" ", "\u00a0")
        run = para.add_run(text)
        run.bold = fmt.bold or None
        run.italic = fmt.italic or None
        run.underline = fmt.underline or None
        set_run_font(run, size=fmt.size)

    def _inline(self, para: Any, el: Any, fmt: Fmt) -> None:
        """Text and inline children of ``el`` (already styled with ``fmt``)."""
        self._run(para, _norm(el.text, first=True), fmt)
        for child in el:
            if not isinstance(child.tag, str):  # comment
                self._run(para, _norm(child.tail), fmt)
                continue
            if child.tag == "br":
                para.add_run().add_break(WD_BREAK.LINE)
            else:
                self._inline(para, child, _apply(fmt, child))
            self._run(para, _norm(child.tail), fmt)

    # blocks ---------------------------------------------------------------------
    def block(self, container: Any, el: Any, fmt: Fmt, *, in_table: bool = False) -> None:
        fmt = _apply(fmt, el)
        classes = set((el.get("class") or "").split())
        tag = el.tag
        if "page-break" in classes:
            self.page_break(container)
        if "sign-space" in classes:
            for _ in range(3):
                self._paragraph(container, replace(fmt, after=0), in_table=in_table)
            return
        if tag == "table":
            self.table(container, el, fmt, classes)
            return
        if tag in ("p", "h1", "h2", "h3", "h4", "li"):
            para = self._paragraph(container, fmt, in_table=in_table)
            if tag == "li":
                self._run(para, "- ", fmt)
            self._inline(para, el, fmt)
            _strip_trailing(para)
            return
        if "body" in classes:
            self._div(container, el, fmt, in_table=in_table)
            # keep the last paragraph of the text with the signature block
            paragraphs = container.paragraphs
            if paragraphs:
                paragraphs[-1].paragraph_format.keep_with_next = True
            return
        self._div(container, el, fmt, in_table=in_table)

    def _div(self, container: Any, el: Any, fmt: Fmt, *, in_table: bool) -> None:
        # div-like: text directly inside becomes a paragraph, block children recurse
        pending: list[Any] = []
        text = _norm(el.text, first=True)
        if text.strip():
            para = self._paragraph(container, fmt, in_table=in_table)
            self._run(para, text, fmt)
            pending.append(para)
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag in BLOCK_TAGS:
                self.block(container, child, fmt, in_table=in_table)
                pending = []
            else:
                if not pending:
                    pending.append(self._paragraph(container, fmt, in_table=in_table))
                if child.tag == "br":
                    pending[-1].add_run().add_break(WD_BREAK.LINE)
                else:
                    self._inline(pending[-1], child, _apply(fmt, child))
            tail = _norm(child.tail)
            if tail.strip():
                if not pending:
                    pending.append(self._paragraph(container, fmt, in_table=in_table))
                self._run(pending[-1], tail, fmt)

    def table(self, container: Any, el: Any, fmt: Fmt, classes: set[str]) -> None:
        rows = list(el.iter("tr"))
        if not rows:
            return
        ncols = max(len([c for c in r if c.tag in ("td", "th")]) for r in rows)
        table = container.add_table(rows=len(rows), cols=ncols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if "grid" in classes:
            _grid_borders(table)
        else:
            _no_borders(table)
        widths = _widths(rows[0], ncols, self.text_width_cm)
        for r_idx, tr in enumerate(rows):
            cells = [c for c in tr if c.tag in ("td", "th")]
            for c_idx, td in enumerate(cells):
                cell = table.cell(r_idx, c_idx)
                cell.width = Cm(widths[c_idx])
                # the cell starts with one empty paragraph: remove it after filling
                first = cell.paragraphs[0]
                self.block(cell, td, fmt, in_table=True)
                if len(cell.paragraphs) > 1:
                    first._element.getparent().remove(first._element)
        for c_idx, w in enumerate(widths):
            table.columns[c_idx].width = Cm(w)
        if not isinstance(container, type(self.doc)):
            # python-docx needs a paragraph after a nested table in a cell
            container.add_paragraph()

    def page_break(self, container: Any) -> None:
        para = container.add_paragraph()
        para.add_run().add_break(WD_BREAK.PAGE)


def _widths(tr: Any, ncols: int, total: float) -> list[float]:
    cells = [c for c in tr if c.tag in ("td", "th")]
    given: list[float | None] = []
    for c in cells:
        w = (c.get("width") or "").strip().rstrip("%")
        try:
            given.append(float(w) / 100 * total)
        except ValueError:
            given.append(None)
    given += [None] * (ncols - len(given))
    known = sum(w for w in given if w is not None)
    unknown = [i for i, w in enumerate(given) if w is None]
    rest = max(total - known, 1.0)
    return [w if w is not None else rest / len(unknown) for w in given]


def _norm(text: str | None, *, first: bool = False) -> str:
    if not text:
        return ""
    # collapse HTML whitespace only: a no-break space (&nbsp;) is kept, as in the PDF
    collapsed = _HTML_SPACE.sub(" ", text).strip(" ")
    if text[:1] in _HTML_SPACE_CHARS and not first and collapsed:
        collapsed = " " + collapsed
    if text[-1:] in _HTML_SPACE_CHARS and collapsed:
        collapsed += " "
    return collapsed


_HTML_SPACE_CHARS = " \t\n\r\f"
_HTML_SPACE = re.compile(f"[{_HTML_SPACE_CHARS}]+")


def _strip_trailing(para: Any) -> None:
    runs = para.runs
    if runs and runs[-1].text.endswith(" "):
        runs[-1].text = runs[-1].text.rstrip()


def _body(html: str) -> Any:
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    return body if body is not None else root


def add_html(doc: Any, html: str) -> None:
    """Append the body of ``html`` to ``doc``."""
    section = doc.sections[0]
    width_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    _Writer(doc, width_cm).block(doc, _body(html), Fmt())


def add_page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def html_to_docx(htmls: list[str]) -> bytes:
    """One DOCX with the documents one after another, each from a new page."""
    doc = new_document()
    # drop the empty first paragraph of the default template
    for i, html in enumerate(htmls):
        if i:
            add_page_break(doc)
        add_html(doc, html)
    _drop_leading_empty(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _drop_leading_empty(doc: Any) -> None:
    body = doc.element.body
    first = body[0] if len(body) else None
    if (
        first is not None
        and first.tag == qn("w:p")
        and not "".join(first.itertext()).strip()
        and first.find(".//" + qn("w:br")) is None
    ):
        body.remove(first)


def merge_docx(parts: list[bytes]) -> bytes:
    """Concatenate simple DOCX files (as docxtpl renders them), one per page."""
    if len(parts) == 1:
        return parts[0]
    master = Document(io.BytesIO(parts[0]))
    body = master.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for data in parts[1:]:
        para = OxmlElement("w:p")
        run = OxmlElement("w:r")
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        run.append(br)
        para.append(run)
        sect_pr.addprevious(para)
        other = Document(io.BytesIO(data))
        for el in other.element.body:
            if el.tag == qn("w:sectPr"):
                continue
            sect_pr.addprevious(copy.deepcopy(el))
    buf = io.BytesIO()
    master.save(buf)
    return buf.getvalue()
