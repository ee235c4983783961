from __future__ import annotations

from typing import Any

from ptdv.access.models import Position
from ptdv.access.permissions import active_positions


def positions_for(user: Any) -> list[Position]:
    return active_positions(user)
