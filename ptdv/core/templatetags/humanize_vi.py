"""Numbers the Vietnamese way: ``4763|vn_int`` → ``4.763``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def vn_int(value: Any) -> str:
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "" if value is None else str(value)
