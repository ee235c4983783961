"""Filters available in every document template (loaded as builtins by the documents
engine; other templates may ``{% load official %}``)."""

from __future__ import annotations

from django import template

from ptdv.documents import rules

register = template.Library()


@register.filter
def vn_date(value: object, place: str = "") -> str:
    """``{{ date|vn_date:place }}`` → ``Chợ Đồn, ngày 05 tháng 3 năm 2019``."""
    return rules.vn_date(value, place or "")


@register.filter
def dmy(value: object) -> str:
    """``{{ date|dmy }}`` → ``05/03/2019``."""
    return rules.dmy(value)


@register.filter
def blank(value: object, width: int = 10) -> object:
    """The value, or a dotted blank to fill by hand when it is empty."""
    if value in (None, ""):
        return "…" * int(width)
    return value
