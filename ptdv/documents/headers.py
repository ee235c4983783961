"""The official header of a paper issued by (or in the name of) an organization unit."""

from __future__ import annotations

from typing import Any

from ptdv.documents import rules


def header_context(unit: Any, *, doc_abbrev: str = "") -> dict[str, str]:
    """``issuer_parent``, ``issuer``, ``place`` (and ``number_symbol`` when ``doc_abbrev``
    is given) for papers issued by ``unit``:

    - a committee (district, commune, grassroots committee, province): the parent party
      organization above, then the committee ("ĐẢNG BỘ TỈNH BẮC KẠN" / "HUYỆN ỦY CHỢ ĐỒN");
    - a cell: the party organization it belongs to, then the cell ("ĐẢNG BỘ XÃ NGỌC PHÁI" /
      "CHI BỘ THÔN NÀ PẬU").

    The place is the nearest place name found in the unit's or its ancestors' names."""
    parent = getattr(unit, "parent", None)
    out = {
        "issuer_parent": parent.name if parent is not None else "",
        "issuer": rules.committee_name(unit.name),
        "place": "",
    }
    node = unit
    while node is not None and not out["place"]:
        out["place"] = rules.place_of(node.name)
        node = getattr(node, "parent", None)
    if doc_abbrev:
        out["number_symbol"] = rules.number_symbol(unit.name, doc_abbrev)
    return out
