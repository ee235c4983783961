from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str  # a lazy translation
    perm: str | None = None  # named permission needed somewhere in the user's scope
    order: int = 100
