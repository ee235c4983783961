"""Awareness and new-member classes of a district: the class of a quarter (created on first
use) with its sessions, enrolments, results and numbered certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ptdv.gendata.district_state import DistrictState
from ptdv.gendata.shape import (
    DAY,
    END,
    RESTRUCTURE,
    START,
    Unit,
)
from ptdv.training.rules import certificate_valid_until


class ClassesPart(DistrictState):
    """Training: classes, enrolments, results, certificates."""

    def _class(self, code: str, start_hint: dt.date) -> tuple[int, int, dt.date, dt.date]:
        """The district's class of ``code`` for the quarter of ``start_hint`` (created on
        first use): (class id, institution id, start, end)."""
        q = (start_hint.month - 1) // 3
        key = (code, start_hint.year, q)
        if key not in self.classes:
            g = self.g
            start = dt.date(start_hint.year, q * 3 + 1, 10)
            days = 5 if code == "awareness" else 7
            end = start + DAY * (days - 1)
            inst = self.inst if end < RESTRUCTURE else g.province_inst
            cid = g.next_id("class")
            label = "BDNT" if code == "awareness" else "LLCT-ĐVM"
            status = "finished" if end < END else "running"
            g.sink.add("class", (cid, inst, g.course_types[code],
                       f"{self.dcode}-{label}-{start.year}-Q{q + 1}",
                       f"Lớp {label} quý {q + 1}/{start.year}", "Hội trường", start, end, "",
                       80, status, ""))  # fmt: skip
            served = [self.did] if start < RESTRUCTURE else self.grassroots_after
            for u in served:
                g.sink.add("served", (cid, u))
            for i in range(5 if code == "awareness" else 10):
                g.sink.add("session", (g.next_id("session"), cid,
                           min(end, start + DAY * (i // 2)), f"Chuyên đề {i + 1}", ""))  # fmt: skip
            self.classes[key] = (cid, inst, start, end)
        return self.classes[key]

    def _enrol(self, pk: int, cell: Unit, code: str, hint: dt.date) -> tuple[int, dt.date]:
        g = self.g
        cid, inst, start, end = self._class(code, hint)
        eid = g.next_id("enrol")
        g.sink.add("enrol", (eid, cid, pk, "accepted", cell.id, None, None))
        if end < END:
            sessions = 5 if code == "awareness" else 10
            g.sink.add("result", (g.next_id("result"), eid, True,
                       Decimal(self.rng.randint(60, 100)) / 10, "", sessions, sessions, True,
                       None))  # fmt: skip
            key = (inst, end.year)
            g.cert_seq[key] += 1
            seq = g.cert_seq[key]
            g.sink.add("cert", (g.next_id("cert"), inst, cid, eid, pk, g.course_types[code],
                       end.year, seq, f"{seq}/{end.year}/{inst}", end, "",
                       certificate_valid_until(end, g.course_months.get(code))))  # fmt: skip
        return cid, start

    def _awareness(self, pk: int, cell: Unit, admitted: dt.date, *, before: bool = True) -> None:
        if admitted < START + DAY * 200:
            return
        hint = admitted - dt.timedelta(days=self.rng.randint(120, 400)) if before else admitted
        hint = min(hint, END - DAY * 10)
        _cid, start = self._enrol(pk, cell, "awareness", hint)
        self.g.truth.awareness[start.year] += 1

    def _new_member_class(self, pk: int, cell: Unit, admitted: dt.date) -> None:
        hint = admitted + dt.timedelta(days=self.rng.randint(30, 200))
        if hint < END - DAY * 30:
            self._enrol(pk, cell, "new_member", hint)

    def _classes_flush(self) -> None:
        self.classes.clear()
