"""The state of one district being generated, shared by its parts (``classes`` → ``cases`` →
``lives`` → ``district``, each calling only what is below it)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from ptdv.core.text import fold, name_sort_key
from ptdv.gendata.shape import (
    FAMILY,
    GIVEN_F,
    GIVEN_M,
    MIDDLE_F,
    MIDDLE_M,
    PLACES,
    Unit,
)
from ptdv.people.rules import make_citizen_id

if TYPE_CHECKING:
    from ptdv.gendata.generate import Generator


class DistrictState:
    """One district being generated: the generator it writes through, its random stream, its
    units and what it has created so far; the helpers every part uses (names, days, a new
    person's row)."""

    def __init__(
        self,
        gen: Generator,
        rng: random.Random,
        p: int,
        d: int,
        dcode: str,
        did: int,
        inst: int,
        cells: list[Unit],
        grassroots_after: list[int],
    ) -> None:
        self.g = gen
        self.rng = rng
        self.p, self.d = p, d
        self.dcode = dcode
        self.did = did
        self.inst = inst
        self.cells = cells
        self.grassroots_after = grassroots_after
        self.classes: dict[tuple[str, int, int], tuple[int, int, dt.date, dt.date]] = {}
        self.source_lists: dict[tuple[int, int], int] = {}
        self.letter = 0
        self._person_row: list[Any] = []
        self._units: dict[int, Unit] | None = None

    def _name(self, gender: str) -> str:
        r = self.rng
        mid = r.choice(MIDDLE_M if gender == "male" else MIDDLE_F)
        given = r.choice(GIVEN_M if gender == "male" else GIVEN_F)
        return f"{r.choice(FAMILY)} {mid} {given}"

    def _day(self, a: dt.date, b: dt.date) -> dt.date:
        if b <= a:
            return a
        return a + dt.timedelta(days=self.rng.randrange((b - a).days + 1))

    def _new_person(
        self, cell: Unit, born: dt.date, gender: str, status_unit: int
    ) -> tuple[int, str]:
        g = self.g
        pk = g.next_id("person")
        g.province_serial += 1
        name = self._name(gender)
        self._person_row = [
            pk, name, fold(name)[:120], name_sort_key(name), "", born, gender,
            self.rng.choice(["01", "01", "01", "02", "03", "04", "05", "06"]), "none",
            make_citizen_id(g.province_code, born, gender, g.province_serial),
            f"xã {self.rng.choice(PLACES)}", "upper_secondary", "none", "none", "other", "",
            cell.village, "", False, status_unit, "none", None, None, None, "", None,
        ]  # fmt: skip
        g.truth.people += 1
        return pk, name
