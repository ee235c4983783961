"""Discovery of per-app contributions without editing a shared list.

An app may define, in a module of its own:
- ``summary.py`` with ``def summary_section(ctx: SummaryContext) -> dict``: keys added to
  ``ptdv report summary``;
- ``nav.py`` with ``NAV: list[NavItem]``: entries of the main menu;
- ``panels.py``: panels of other apps' pages (``core.http.render_panels``);
- ``triggers.py`` with ``suspended(using)``, a context manager: the app's database
  triggers off while ``flush`` wipes the database (``audit``'s flush command).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def app_modules(module_name: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("ptdv."):
            continue
        full = f"{config.name}.{module_name}"
        try:
            spec = importlib.util.find_spec(full)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        yield importlib.import_module(full)
