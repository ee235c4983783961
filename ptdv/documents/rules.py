"""Pure helpers of the documents app: Vietnamese dates and file names (no ORM)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
            except ValueError:
                continue
    return None


def vn_day_month(day: int, month: int) -> tuple[str, str]:
    """Day below 10 gets a leading zero; months 1 and 2 too (so "tháng 1" cannot be
    turned into "tháng 11"); other months stay as they are: "05", "3"."""
    d = f"{day:02d}"
    m = f"{month:02d}" if month <= 2 else str(month)
    return d, m


def vn_date(value: object, place: str = "") -> str:
    """``ngày 05 tháng 3 năm 2019``, or ``Chợ Đồn, ngày 05 tháng 3 năm 2019`` with a
    place. A missing date gives the blank form ``ngày … tháng … năm …``."""
    day = _as_date(value)
    if day is None:
        text = "ngày …… tháng …… năm ……"
    else:
        d, m = vn_day_month(day.day, day.month)
        text = f"ngày {d} tháng {m} năm {day.year}"
    return f"{place}, {text}" if place else text


def dmy(value: object) -> str:
    """``05/03/2019``; the blank ``…/…/……`` for a missing date."""
    day = _as_date(value)
    if day is None:
        return "……/……/………"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


_ASCII_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def ascii_fold(text: str) -> str:
    """``Nguyễn Thị Ưng`` → ``Nguyen Thi Ung``."""
    text = unicodedata.normalize("NFD", str(text).translate(_ASCII_MAP))
    return (
        "".join(c for c in text if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode("ascii")
    )


def slug_part(text: str, *, limit: int = 60) -> str:
    """A file-name part: ASCII letters/digits, words joined by ``-``."""
    words = re.findall(r"[A-Za-z0-9]+", ascii_fold(text))
    return "-".join(words)[:limit].strip("-")


def filename(parts: list[str], ext: str) -> str:
    """``GCN-Nguyen-Thi-Ung-12-2019.pdf``: non-empty slugged parts joined by ``_``."""
    slugs = [s for s in (slug_part(p) for p in parts if p) if s]
    stem = "_".join(slugs) or "van-ban"
    return f"{stem[:150]}.{ext.lower().lstrip('.')}"
