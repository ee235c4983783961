from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise  # a lazy translation
    perm: str | None = None  # named permission needed somewhere in the user's scope
    order: int = 100
