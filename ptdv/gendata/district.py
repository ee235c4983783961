"""The people of one district and everything around them: its cells filled with members
over the years and the pipeline of today, and its targets."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ptdv.gendata.lives import LivesPart
from ptdv.gendata.shape import (
    DAY,
    END,
    RESTRUCTURE,
    START,
    TARGET_YEARS,
    Unit,
)


class District(LivesPart):
    """The people of one district and everything around them."""

    def run(self) -> None:
        g = self.g
        total_w = sum(c.weight for c in self.cells)
        for cell in self.cells:
            size = g.scale.members * cell.weight / total_w
            self._cell(cell, size)
        self._targets()
        self._classes_flush()

    def _cell(self, cell: Unit, size: float) -> None:
        r = self.rng
        # members at the start, then yearly admissions ~4 % of the cell, losses ~2.5 %
        initial = max(1, round(size * 0.72))
        for _ in range(initial):
            admitted = self._day(dt.date(1972, 1, 1), dt.date(2010, 6, 30))
            self._person(cell, admitted=admitted, history=True)
        for year in range(START.year, END.year + 1):
            n = int(size * 0.042 + r.random())
            for _ in range(n):
                first = dt.date(year, 1, 5)
                last = min(dt.date(year, 12, 28), END - DAY)
                self._person(cell, admitted=self._day(first, last), history=False)
            if r.random() < size * 0.004:  # a transfer in from outside the installation
                self._person(cell, admitted=None, arrived=self._day(dt.date(year, 1, 1),
                             min(dt.date(year, 12, 31), END)))  # fmt: skip
        # the pipeline now: people of the masses on the source list and in open cases
        for _ in range(max(1, round(size * 0.05))):
            self._masses(cell)

    def _targets(self) -> None:
        g = self.g
        sizes: defaultdict[int, float] = defaultdict(float)
        sizes_after: defaultdict[int, float] = defaultdict(float)
        total_w = sum(c.weight for c in self.cells)
        for c in self.cells:
            sizes[c.grassroots_before] += c.weight
            sizes_after[c.grassroots_after] += c.weight
        for year in TARGET_YEARS:
            units = sizes if year < RESTRUCTURE.year else sizes_after
            for unit, w in sorted(units.items()):
                value = max(1, round(g.scale.members * w / total_w * 0.042))
                g.sink.add("target", (g.next_id("target"), unit, year, None, value,
                           f"{self.rng.randint(1, 99)}-KH/HU", dt.date(year - 1, 12, 20), None,
                           ""))  # fmt: skip
