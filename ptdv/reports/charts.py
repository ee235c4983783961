"""Charts as inline SVG, rendered by the server: they work offline, print, and scale to a
phone (``viewBox`` + ``width=100%``; labels sit above horizontal bars so nothing is cut
at 390px). Every bar may carry a link (the drill-down of its number)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

RED = "#b3191e"
GREY = "#8c959f"
GREEN = "#1a7f37"
INK = "#1f2328"
FONT = "font-family=\"'PTDV Sans', Arimo, Arial, sans-serif\""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str = ""
    note: str = ""  # shown after the value, e.g. "48,5%"
    highlight: bool = False


def _num(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _link(inner: str, href: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 360) -> SafeString:
    """Horizontal bars, one per row, label above the bar, value at its end."""
    row = 34
    height = max(row * len(bars) + 8, 30)
    top = max((b.value for b in bars), default=0) or 1
    usable = width - 70
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" {FONT} font-size="11" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, b in enumerate(bars):
        y = 4 + i * row
        w = max(usable * (b.value / top), 1 if b.value else 0)
        colour = RED if b.highlight else GREY
        value = _num(b.value) + (f" ({escape(b.note)})" if b.note else "")
        inner = (
            f'<text x="0" y="{y + 10}" fill="{INK}">{escape(b.label)}</text>'
            f'<rect x="0" y="{y + 14}" width="{w:.1f}" height="14" rx="2" fill="{colour}"/>'
            f'<text x="{w + 4:.1f}" y="{y + 25}" fill="{INK}" font-weight="700">{value}</text>'
        )
        parts.append(f"<g>{_link(inner, b.href)}</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass(frozen=True)
class Stage:
    label: str
    value: int | None  # None: not available
    href: str = ""
    note: str = ""


def funnel_chart(stages: Sequence[Stage], *, title: str, width: int = 360) -> SafeString:
    """Centered bars narrowing stage by stage; unavailable stages drawn dashed."""
    row = 40
    height = row * len(stages) + 6
    top = max((s.value or 0 for s in stages), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" {FONT} font-size="11" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, s in enumerate(stages):
        y = 3 + i * row
        if s.value is None:
            rect = (
                f'<rect x="{width * 0.3:.1f}" y="{y + 14}" width="{width * 0.4:.1f}" height="20" '
                f'fill="none" stroke="{GREY}" stroke-dasharray="4 3"/>'
            )
            shown = "—"
        else:
            w = max((width - 8) * s.value / top, 2)
            rect = (
                f'<rect x="{(width - w) / 2:.1f}" y="{y + 14}" width="{w:.1f}" height="20" '
                f'rx="2" fill="{RED}" opacity="{1 - i * 0.08:.2f}"/>'
            )
            shown = _num(s.value)
        note = f" · {escape(s.note)}" if s.note else ""
        inner = (
            f'<text x="0" y="{y + 10}" fill="{INK}">{escape(s.label)}{note}</text>{rect}'
            f'<text x="{width / 2:.1f}" y="{y + 28}" text-anchor="middle" fill="#fff" '
            f'stroke="{INK}" stroke-width="2.5" paint-order="stroke" font-weight="700">'
            f"{shown}</text>"
        )
        parts.append(f"<g>{_link(inner, s.href)}</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass(frozen=True)
class YearPoint:
    year: int
    actual: int
    target: int | None
    href: str = ""


def year_chart(points: Sequence[YearPoint], *, title: str, width: int = 360) -> SafeString:
    """Columns of admissions per year with the target as a line of dots."""
    height = 170
    base = height - 22
    n = max(len(points), 1)
    slot = (width - 10) / n
    top = max([p.actual for p in points] + [p.target or 0 for p in points] + [1])
    scale = (base - 18) / top
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" {FONT} font-size="10" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{GREY}"/>',
    ]
    line: list[str] = []
    for i, p in enumerate(points):
        x = 5 + i * slot
        h = p.actual * scale
        colour = GREEN if p.target is not None and p.actual >= p.target else RED
        inner = (
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{colour}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" '
            f'fill="{INK}">{_num(p.actual)}</text>'
        )
        parts.append(f"<g>{_link(inner, p.href)}</g>")
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - 8}" text-anchor="middle" '
            f'fill="{INK}">{"’" + str(p.year)[2:] if n > 6 else p.year}</text>'
        )
        if p.target is not None:
            line.append(f"{x + slot / 2:.1f},{base - p.target * scale:.1f}")
    if line:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{INK}" '
            f'stroke-width="1.5" stroke-dasharray="3 2"/>'
        )
        for pt in line:
            cx, cy = pt.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{INK}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
