"""The membership life of one person, simulated forward (admitted → recognized; removed,
expelled, left, died, moved, transferred out or in, readmitted), then written with the
events, the derived periods and the transfers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ptdv.gendata.cases import CasesPart
from ptdv.gendata.shape import (
    CASES_FROM,
    CHECK_DATES,
    DAY,
    END,
    OUTSIDE,
    PROBATION,
    RESTRUCTURE,
    START,
    Unit,
    _add_months,
)
from ptdv.organizations.history import cut_span
from ptdv.people import rules


class LivesPart(CasesPart):
    """People: a life as events, then the rows the services would write."""

    def _person(
        self,
        cell: Unit,
        *,
        admitted: dt.date | None,
        history: bool = False,
        arrived: dt.date | None = None,
    ) -> None:
        r = self.rng
        gender = "male" if r.random() < 0.62 else "female"
        start = admitted or arrived
        assert start is not None
        born = self._day(_add_months(start, -12 * 40), _add_months(start, -12 * 19))
        pk, _name = self._new_person(cell, born, gender, cell.id)
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]] = []
        intervals: list[tuple[dt.date, dt.date | None, str]] = []  # member spans by district
        transfers: list[tuple[Any, ...]] = []
        official: dt.date | None = None
        if admitted is not None:
            official, outcome = self._admission(
                pk, cell, admitted, born, events, intervals, history=history
            )
            if outcome == "removed":
                self._finish(pk, cell, events, intervals, transfers)
                return
            member_from = admitted
        else:
            assert arrived is not None
            self._arrival(pk, cell, arrived, events, transfers)
            member_from = arrived
        # life after: yearly hazards while a member, until the end (from the recognition
        # on, so that nothing precedes the recognition and the card)
        year_day = official if official is not None else member_from
        self._life_after(pk, cell, born, year_day, member_from, events, intervals, transfers)

    def _admission(
        self,
        pk: int,
        cell: Unit,
        admitted: dt.date,
        born: dt.date,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        intervals: list[tuple[dt.date, dt.date | None, str]],
        *,
        history: bool,
    ) -> tuple[dt.date | None, str]:
        """Admitted on ``admitted`` (with the classes around it), then recognized, removed from
        the probationary list or still on probation at the end; the case when it has one.
        Returns the official date (None if not recognized) and the outcome."""
        r = self.rng
        g = self.g
        decision = admitted - dt.timedelta(days=r.randint(7, 30))
        case = not history and admitted.year >= CASES_FROM
        events.append(("admitted", admitted, cell.id, {"decision_date": decision,
                       "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
        g.truth.admitted[admitted.year] += 1
        self._awareness(pk, cell, admitted)
        if admitted >= START:
            self._new_member_class(pk, cell, admitted)
        due = _add_months(decision, PROBATION)  # the end of probation
        official: dt.date | None = due
        fate = r.random()
        if due > END:
            official = None
            outcome = "probation"
        elif fate < 0.03:
            removed_on = self._day(admitted + DAY * 60, due - DAY)
            events.append(("removed_probationary", removed_on, cell.id, {}))
            intervals.append((admitted, removed_on, "member"))
            g.truth.removed[removed_on.year] += 1
            outcome = "removed"
            official = None
        else:
            events.append(("recognized", due, cell.id, {
                "decision_date": due - DAY * 10,
                "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
            g.truth.recognized[due.year] += 1
            events.append(("card_issued", _add_months(due, 3), None,
                           {"card_number": f"{g.province_code}{pk:09d}"}))  # fmt: skip
            outcome = "official"
        if case:
            self._case(pk, cell, admitted, decision, official, outcome, born)
        return official, outcome

    def _arrival(
        self,
        pk: int,
        cell: Unit,
        arrived: dt.date,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        transfers: list[tuple[Any, ...]],
    ) -> None:
        """Transferred in from outside the installation, received on ``arrived``."""
        r = self.rng
        g = self.g
        t_id = g.next_id("transfer")
        self.letter += 1
        issued = arrived - dt.timedelta(days=r.randint(5, 25))
        transfers.append((t_id, pk, "official", "received", None, r.choice(OUTSIDE),
                          cell.id, "", cell.id, f"{self.letter}-GGT", issued, issued, None,
                          arrived, None, None, None, "", "", "", None, None, None))  # fmt: skip
        events.append(("transferred_in", arrived, cell.id, {"arrives_as": "official",
                       "source": f"people.transfer:{t_id}"}))  # fmt: skip

    def _life_after(
        self,
        pk: int,
        cell: Unit,
        born: dt.date,
        year_day: dt.date,
        member_from: dt.date,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        intervals: list[tuple[dt.date, dt.date | None, str]],
        transfers: list[tuple[Any, ...]],
    ) -> None:
        """Yearly hazards while a member (died; removed, expelled or left, maybe readmitted;
        transferred out; moved to another cell), letters still in transit, then the rows."""
        r = self.rng
        here = cell
        status_from = member_from
        while True:
            year_day = year_day + dt.timedelta(days=r.randint(300, 430))
            if year_day >= END:
                break
            x = r.random()
            age = (year_day - born).days / 365.25
            death = 0.004 + (0.03 if age > 70 else 0.0)
            if x < death:
                events.append(("died", year_day, here.id, {}))
                intervals.append((status_from, year_day, "member"))
                self._finish(pk, here, events, intervals, transfers)
                return
            x -= death
            if x < 0.004:  # removal, expulsion or leaving
                back = self._removal(here, year_day, status_from, events, intervals)
                if back is not None:
                    status_from, year_day = back
                    continue
                self._finish(pk, here, events, intervals, transfers)
                return
            x -= 0.004
            if x < 0.006:  # transferred out of the installation (received there)
                self._transfer_out(pk, here, year_day, events, transfers)
                intervals.append((status_from, year_day, "member"))
                self._finish(pk, here, events, intervals, transfers)
                return
            x -= 0.006
            if x < 0.012 and len(self.cells) > 1:  # moved to another cell of the district
                here = self._move(pk, here, year_day, events, transfers)
        intervals.append((status_from, None, "member"))
        # a few letters still in transit at the end
        if r.random() < 0.002:
            self._letter_in_transit(pk, here, transfers)
        self._finish(pk, here, events, intervals, transfers)

    def _removal(
        self,
        here: Unit,
        year_day: dt.date,
        status_from: dt.date,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        intervals: list[tuple[dt.date, dt.date | None, str]],
    ) -> tuple[dt.date, dt.date] | None:
        """Removed, expelled or left on ``year_day``; some come back later (readmitted, then
        recognized): the new start of membership and the day the life goes on from, or
        None when they do not come back."""
        r = self.rng
        g = self.g
        kind = r.choice(["removed", "removed", "expelled", "left"])
        events.append((kind, year_day, here.id, {
            "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
        intervals.append((status_from, year_day, "member"))
        g.truth.removed[year_day.year] += 1
        back = _add_months(year_day, 24 + r.randint(0, 24))
        if not (kind != "expelled" and r.random() < 0.15 and back < END - DAY * 30):
            return None
        events.append(("readmitted", back, here.id, {
            "decision_date": back - DAY * 10,
            "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
        g.truth.admitted[back.year] += 1
        g.truth.readmitted[back.year] += 1
        official = _add_months(back - DAY * 10, PROBATION)
        if official <= END:
            events.append(("recognized", official, here.id, {
                "decision_date": official - DAY * 10}))  # fmt: skip
            g.truth.recognized[official.year] += 1
        return back, max(back, official if official <= END else back)

    def _transfer_out(
        self,
        pk: int,
        here: Unit,
        year_day: dt.date,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        transfers: list[tuple[Any, ...]],
    ) -> None:
        """Transferred out of the installation on ``year_day`` (received there)."""
        r = self.rng
        t_id = self.g.next_id("transfer")
        self.letter += 1
        issued = year_day - dt.timedelta(days=r.randint(5, 25))
        transfers.append((t_id, pk, "official", "received", here.id, "", None,
                          r.choice(OUTSIDE), None, f"{self.letter}-GGT", issued,
                          issued, None, year_day, None, None, None, "", "", "", None,
                          None, None))  # fmt: skip
        events.append(("transferred_out", year_day, here.id, {
            "source": f"people.transfer:{t_id}"}))  # fmt: skip

    def _move(
        self,
        pk: int,
        here: Unit,
        year_day: dt.date,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        transfers: list[tuple[Any, ...]],
    ) -> Unit:
        """Moved to another cell of the district by a transfer of party activity (the cell
        the person is in afterwards: the same one when the draw picks it)."""
        r = self.rng
        to = r.choice(self.cells)
        if to.id == here.id:
            return here
        t_id = self.g.next_id("transfer")
        self.letter += 1
        issued = year_day - dt.timedelta(days=r.randint(3, 20))
        gr = to.grassroots_before if year_day < RESTRUCTURE else to.grassroots_after
        transfers.append((t_id, pk, "official", "received", here.id, "", gr, "", to.id,
                          f"{self.letter}-GGT", issued, issued, None, year_day, None,
                          None, None, "", "", "", None, None, None))  # fmt: skip
        events.append(("moved", year_day, to.id, {
            "decision_number": f"{self.letter}-GGT", "decision_date": issued,
            "source": f"people.transfer:{t_id}"}))  # fmt: skip
        return to

    def _letter_in_transit(self, pk: int, here: Unit, transfers: list[tuple[Any, ...]]) -> None:
        """A letter of transfer issued before the end and not yet received."""
        r = self.rng
        t_id = self.g.next_id("transfer")
        self.letter += 1
        issued = END - dt.timedelta(days=r.randint(1, 20))
        from ptdv.people.transfers.services import due_date

        due, code = due_date("official", issued)
        transfers.append((t_id, pk, "official", "issued", here.id, "", None,
                          r.choice(OUTSIDE), None, f"{self.letter}-GGT", issued, issued, due,
                          None, None, None, None, "", "", code, None, None, None))  # fmt: skip

    def _finish(
        self,
        pk: int,
        cell: Unit,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        intervals: list[tuple[dt.date, dt.date | None, str]],
        transfers: list[tuple[Any, ...]],
    ) -> None:
        """Write the person, their events, the periods derived from them (as the services
        do) and their transfers; count them into the truth."""
        g = self.g
        sink = g.sink
        rows = []
        for kind, day, unit, extra in events:
            eid = g.next_id("event")
            rows.append((eid, kind, day, unit, extra))
        derived = rules.derive(
            rules.Event(kind=k, date=day, org_unit_id=u, decision_date=x.get("decision_date"),
                        card_number=x.get("card_number", ""), order=eid,
                        arrives_as=x.get("arrives_as") or "official")
            for eid, k, day, u, x in rows
        )  # fmt: skip
        row = self._person_row
        row[20] = derived.status
        row[21] = derived.admitted_on
        row[22] = derived.official_on
        row[23] = derived.party_age_from
        row[24] = derived.card_number
        if derived.org_unit_id is not None:
            row[19] = derived.org_unit_id
            row[16] = self._village(derived.org_unit_id)
        sink.add("person", tuple(row))
        for eid, k, day, u, x in rows:
            sink.add("event", (eid, pk, k, day, u, x.get("decision_number", ""),
                     x.get("decision_date"), x.get("card_number", ""), "",
                     x.get("source", "gendata"), x.get("arrives_as", ""), None))  # fmt: skip
        by_id = self._by_id()
        for per in derived.periods:
            slices = by_id[per.org_unit_id].slices if per.org_unit_id in by_id else []
            for s, e, path in cut_span(per.start, per.end, slices):
                sink.add("period", (g.next_id("period"), pk, per.org_unit_id, per.status, s, e,
                         path))  # fmt: skip
        for t in transfers:
            sink.add("transfer", t)
        for day in CHECK_DATES:
            if any(a <= day and (b is None or day < b) for a, b, _k in intervals):
                g.truth.members_on[day][self.dcode] += 1

    def _by_id(self) -> dict[int, Unit]:
        if self._units is None:
            self._units = {c.id: c for c in self.cells}
        return self._units

    def _village(self, unit_id: int) -> int | None:
        u = self._by_id().get(unit_id)
        return u.village if u else None
