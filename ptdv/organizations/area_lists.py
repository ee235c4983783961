"""Lists of special areas by decision (issue 15 point 2): reading a list file, loading it
(audited, all or nothing), and the reads the admission check and the board's page use.

A list file (CSV or XLSX) has one row per listed place, with the columns
``Loại`` (xã / thôn — also bản, tổ dân phố), ``Tên`` (the name as the decision writes it),
``Xã`` (for a village: its commune, needed when names repeat) and optionally ``Mã`` (the
code of the party organization of the commune, or of the village, in this system).
The decision itself (number, issuer, date, category, validity) is given beside the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ptdv.core.errors import DomainError, RowError
from ptdv.core.text import fold, normalize_spaces
from ptdv.organizations.models import (
    GRASSROOTS_KINDS,
    AreaDecision,
    AreaListing,
    OrgUnit,
    ResidentialUnit,
    ResidentialUnitLink,
    villages_on_q,
)

_KIND_WORDS = {
    "xa": AreaListing.Kind.COMMUNE,
    "phuong": AreaListing.Kind.COMMUNE,
    "thi tran": AreaListing.Kind.COMMUNE,
    "thon": AreaListing.Kind.VILLAGE,
    "ban": AreaListing.Kind.VILLAGE,
    "to dan pho": AreaListing.Kind.VILLAGE,
    "lang": AreaListing.Kind.VILLAGE,
    "ap": AreaListing.Kind.VILLAGE,
}
_HEADERS = {"loai": "kind", "ten": "name", "xa": "commune", "ma": "code"}


@dataclass(frozen=True)
class ListRow:
    line: int
    kind: str
    name: str
    commune: str = ""
    code: str = ""


# --- reading a file ---------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> list[ListRow]:
    """The rows of a CSV (UTF-8) or XLSX list; a bad file is refused in Vietnamese."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_table(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("Tệp CSV phải được lưu với bảng mã UTF-8.") from None
        table = list(csv.reader(io.StringIO(text)))
    table = [[normalize_spaces(str(c or "")) for c in row] for row in table]
    table = [row for row in table if any(row)]
    if not table:
        raise DomainError("Tệp không có dòng nào.")
    columns = {i: _HEADERS.get(fold(h)) for i, h in enumerate(table[0])}
    if "kind" not in columns.values() or "name" not in columns.values():
        raise DomainError(
            "Dòng đầu phải có các cột “Loại” và “Tên” (và “Xã”, “Mã” nếu có); "
            f"tệp có: {', '.join(table[0])}."
        )
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        cells = {columns[i]: v for i, v in enumerate(raw) if columns.get(i)}
        rows.append(
            ListRow(
                n,
                cells.get("kind", ""),
                cells.get("name", ""),
                cells.get("commune", ""),
                cells.get("code", ""),
            )
        )
    return rows


def _xlsx_table(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is one Vietnamese refusal
        raise DomainError("Không đọc được tệp Excel (.xlsx).") from None
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# --- matching the rows to the registry ---------------------------------------------------


def _communes() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind__in=GRASSROOTS_KINDS))


def _commune_named(name: str, communes: list[OrgUnit]) -> list[OrgUnit]:
    """Party organizations of a commune named ``name`` ("xã Bản Thi" → "Đảng bộ xã Bản
    Thi"), folded (no diacritics, no case)."""
    key = fold(name)
    return [c for c in communes if fold(c.name) == key or fold(c.name).endswith(" " + key)]


def _village_key(name: str) -> str:
    folded = fold(name)
    for word in ("thon ", "ban ", "to dan pho ", "lang ", "ap "):
        if folded.startswith(word):
            return folded[len(word) :]
    return folded


def match_rows(rows: Iterable[ListRow]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Each row matched to a commune's party organization or a village, or an error that
    says why (Vietnamese)."""
    communes = _communes()
    villages = list(ResidentialUnit.objects.select_related("org_unit"))
    out: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for row in rows:
        kind = _KIND_WORDS.get(fold(row.kind))
        if kind is None:
            errors.append(RowError(row.line, f"Loại “{row.kind}” không rõ (xã hoặc thôn).", "kind"))
            continue
        if not row.name:
            errors.append(RowError(row.line, "Thiếu tên địa bàn.", "name"))
            continue
        if kind == AreaListing.Kind.COMMUNE:
            found = [c for c in communes if c.code == row.code] if row.code else []
            found = found or _commune_named(row.name, communes)
            if len(found) != 1:
                errors.append(RowError(row.line, _not_one("xã", row.name, len(found)), "name"))
                continue
            out.append({"kind": kind, "listed_name": row.name, "commune": found[0]})
            continue
        found_v = [v for v in villages if v.code == row.code] if row.code else []
        if not found_v:
            key = _village_key(row.name)
            found_v = [v for v in villages if _village_key(v.name) == key]
            if row.commune:
                scope = {c.pk for c in _commune_named(row.commune, communes)}
                found_v = [v for v in found_v if v.org_unit_id in scope]
        if len(found_v) != 1:
            hint = " Ghi thêm cột “Xã” để phân biệt." if len(found_v) > 1 else ""
            errors.append(
                RowError(row.line, _not_one("thôn", row.name, len(found_v)) + hint, "name")
            )
            continue
        out.append({"kind": kind, "listed_name": row.name, "village": found_v[0]})
    return out, errors


def _not_one(what: str, name: str, n: int) -> str:
    if n == 0:
        return f"Không tìm thấy {what} “{name}” trong hệ thống."
    return f"Có {n} {what} tên “{name}” trong hệ thống."


# --- reads -------------------------------------------------------------------------------------


def decisions() -> list[AreaDecision]:
    """Every decision with its listed places (the lists are public decisions: no scope)."""
    return list(
        AreaDecision.objects.prefetch_related("listings__commune", "listings__village__org_unit")
    )


def covered_villages(listing: AreaListing) -> set[int]:
    """The villages a listed place covers: the village itself, or the villages of the
    listed commune on the decision's date (they stay covered after a merge moves them)."""
    if listing.village_id is not None:
        return {listing.village_id}
    if listing.commune_id is None:
        return set()
    day = listing.decision.signed_on
    return set(
        ResidentialUnit.objects.filter(villages_on_q(day, [listing.commune_id])).values_list(
            "pk", flat=True
        )
    )


def listings_covering(village_id: int) -> list[AreaListing]:
    """Every listed place (of any decision, in force or not) covering ``village_id``: the
    village named, or a commune it belonged to on that decision's date."""
    village = ResidentialUnit.objects.filter(pk=village_id).first()
    if village is None:
        return []
    ever = {village.org_unit_id} | set(
        ResidentialUnitLink.objects.filter(village_id=village_id).values_list(
            "org_unit_id", flat=True
        )
    )
    out = list(AreaListing.objects.filter(village_id=village_id).select_related("decision"))
    for listing in AreaListing.objects.filter(commune_id__in=ever).select_related("decision"):
        day = listing.decision.signed_on
        here = ResidentialUnit.objects.filter(pk=village_id)
        commune = [listing.commune_id] if listing.commune_id is not None else []
        if here.filter(villages_on_q(day, commune)).exists():
            out.append(listing)
    return out
