"""The steps of ``ptdv loaddemo``, in the order they run. Each materialises a part of the
plan (``ptdv/demo/plan.py``) through the services of the app it fills; the demo is the top
layer, so a step imports the services it needs directly (no registry)."""

from __future__ import annotations

from ptdv.demo.steps import (
    admissions,
    people,
    restructuring,
    special_areas,
    targets,
    training,
    transfers,
)

# the tree and people first; classes before the cases that need their certificates, and
# the special-area lists before the cases whose education exception they decide; the 2025
# restructuring after the history it reshapes; transfers between its new units last
STEPS = (people, training, special_areas, admissions, targets, restructuring, transfers)
