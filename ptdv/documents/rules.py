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


# --- names in the official header ---------------------------------------------------------

# (prefix of the party organization's name, committee word, symbol in "Số …-QĐ/<symbol>")
# The symbols follow the usual practice (HU = Huyện ủy, TU = Tỉnh ủy / Thành ủy / Thị ủy,
# QU = Quận ủy, ĐU = Đảng ủy, CB = Chi bộ); a unit whose name fits none keeps its name.
_ORG_PREFIXES: list[tuple[str, str, str]] = [
    ("Đảng bộ tỉnh ", "Tỉnh ủy ", "TU"),
    ("Đảng bộ thành phố ", "Thành ủy ", "TU"),
    ("Đảng bộ thị xã ", "Thị ủy ", "TU"),
    ("Đảng bộ huyện ", "Huyện ủy ", "HU"),
    ("Đảng bộ quận ", "Quận ủy ", "QU"),
    ("Đảng bộ xã ", "Đảng ủy xã ", "ĐU"),
    ("Đảng bộ phường ", "Đảng ủy phường ", "ĐU"),
    ("Đảng bộ thị trấn ", "Đảng ủy thị trấn ", "ĐU"),
    ("Đảng bộ đặc khu ", "Đảng ủy đặc khu ", "ĐU"),
    ("Đảng bộ ", "Đảng ủy ", "ĐU"),
    ("Chi bộ ", "Chi bộ ", "CB"),
]
# prefixes whose remainder is a place name (địa danh)
_PLACE_PREFIXES = tuple(p for p, _, _ in _ORG_PREFIXES[:9])


def _match(org_name: str) -> tuple[str, str, str] | None:
    folded = org_name.strip()
    for prefix, committee, symbol in _ORG_PREFIXES:
        if folded.lower().startswith(prefix.lower()):
            return prefix, committee, symbol
    return None


def committee_name(org_name: str) -> str:
    """The body that issues papers for a party organization: "Đảng bộ huyện Chợ Đồn" →
    "Huyện ủy Chợ Đồn", "Đảng bộ xã Ngọc Phái" → "Đảng ủy xã Ngọc Phái"; a cell issues
    in its own name ("Chi bộ thôn Nà Pậu")."""
    found = _match(org_name)
    if found is None:
        return org_name.strip()
    prefix, committee, _ = found
    return committee + org_name.strip()[len(prefix) :]


def number_symbol(org_name: str, doc_abbrev: str) -> str:
    """``QĐ/HU`` for a decision of a district committee, ``NQ/CB`` for a cell's resolution."""
    found = _match(org_name)
    return f"{doc_abbrev}/{found[2]}" if found else doc_abbrev


def place_of(org_name: str) -> str:
    """The place name in a party organization's name ("Đảng bộ huyện Chợ Đồn" → "Chợ Đồn");
    empty when the name carries none (cells, agencies)."""
    name = org_name.strip()
    for prefix in _PLACE_PREFIXES:
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix) :]
    return ""


# --- legal bases cited by decisions ---------------------------------------------------------

CHARTER = "Điều lệ Đảng Cộng sản Việt Nam;"
# (in force from, implementing regulation, Secretariat guidance); same periods as the
# policy files (ptdv/policy/policies), plus 232-QĐ/TW which replaced 24-QĐ/TW on signing.
_REGULATIONS: list[tuple[dt.date, str, str]] = [
    (
        dt.date(2016, 7, 25),
        "Quy định số 29-QĐ/TW ngày 25/7/2016 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "Hướng dẫn số 01-HD/TW ngày 20/9/2016 của Ban Bí thư về một số vấn đề cụ thể thi hành Điều lệ Đảng;",
    ),
    (
        dt.date(2021, 7, 30),
        "Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "Hướng dẫn số 01-HD/TW ngày 20/9/2016 của Ban Bí thư về một số vấn đề cụ thể thi hành Điều lệ Đảng;",
    ),
    (
        dt.date(2021, 9, 28),
        "Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "Hướng dẫn số 01-HD/TW ngày 28/9/2021 của Ban Bí thư về một số vấn đề cụ thể thi hành Điều lệ Đảng;",
    ),
    (
        dt.date(2025, 1, 20),
        "Quy định số 232-QĐ/TW ngày 20/01/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "Hướng dẫn số 01-HD/TW ngày 28/9/2021 của Ban Bí thư về một số vấn đề cụ thể thi hành Điều lệ Đảng;",
    ),
    (
        dt.date(2025, 7, 1),
        "Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "Hướng dẫn số 06-HD/TW ngày 09/6/2025 của Ban Bí thư về một số vấn đề cụ thể thi hành Điều lệ Đảng;",
    ),
]


def legal_bases_on(value: object) -> list[str]:
    """The Charter and the implementing regulation and guidance in force on the date of
    the decision (the latest ones when the date is unknown; only the Charter before
    25/7/2016, whose regulations were not researched)."""
    day = _as_date(value)
    chosen = _REGULATIONS[-1] if day is None else None
    if day is not None:
        for entry in _REGULATIONS:
            if entry[0] <= day:
                chosen = entry
    if chosen is None:
        return [CHARTER]
    return [CHARTER, chosen[1], chosen[2]]
