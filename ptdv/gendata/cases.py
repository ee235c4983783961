"""The admission pipeline of a district: people of the masses on the source lists, admission
cases in every stage and their stage changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ptdv.admissions.models import Stage
from ptdv.gendata.classes import ClassesPart
from ptdv.gendata.shape import (
    DAY,
    END,
    OPEN_STAGES,
    RESTRUCTURE,
    Unit,
)


class CasesPart(ClassesPart):
    """The pipeline: source lists, cases, stage changes."""

    def _masses(self, cell: Unit) -> None:
        r = self.rng
        born = self._day(dt.date(1975, 1, 1), dt.date(2005, 1, 1))
        gender = "male" if r.random() < 0.55 else "female"
        pk, _n = self._new_person(cell, born, gender, cell.id)
        self.g.sink.add("person", tuple(self._person_row))
        added = self._day(dt.date(END.year - 1, 1, 10), END - DAY * 60)
        entry = self._entry(pk, cell, added, "in_procedure")
        stage = r.choice(OPEN_STAGES + [Stage.REJECTED])
        self.g.truth.open_cases[stage] += 1
        case_id = self.g.next_id("case")
        opened = added + DAY * 15
        stages = OPEN_STAGES[: OPEN_STAGES.index(stage) + 1] if stage in OPEN_STAGES else [
            Stage.SOURCE_LIST, Stage.APPLICATION, Stage.CELL_VOTED, Stage.REJECTED]  # fmt: skip
        days = self._stage_days(opened, END - DAY, len(stages))
        if stage != Stage.SOURCE_LIST:  # past the awareness class
            self._awareness(pk, cell, days[1] + DAY * 30, before=False)
        dates = dict(zip(stages, days, strict=True))
        closed = dates.get(Stage.REJECTED)
        self._case_row(case_id, pk, cell, entry, stage, days[-1], opened,
                       cell_vote=dates.get(Stage.CELL_VOTED),
                       grassroots_vote=dates.get(Stage.GRASSROOTS_VOTED),
                       decision=dates.get(Stage.DECIDED), closed=closed)  # fmt: skip
        self._changes(case_id, stages, days)

    def _stage_days(self, first: dt.date, last: dt.date, n: int) -> list[dt.date]:
        span = max(n, (last - first).days)
        picks = sorted(self.rng.sample(range(span), n)) if span >= n else list(range(n))
        return [min(last, first + DAY * k) for k in picks]

    def _entry(self, pk: int, cell: Unit, added: dt.date, status: str) -> int:
        gr = cell.grassroots_before if added < RESTRUCTURE else cell.grassroots_after
        key = (gr, added.year)
        if key not in self.source_lists:
            sid = self.g.next_id("slist")
            self.source_lists[key] = sid
            self.g.sink.add("slist", (sid, gr, "yearly", added.year, "",
                            f"{self.rng.randint(1, 99)}-NQ/ĐU"))  # fmt: skip
        eid = self.g.next_id("sentry")
        self.g.sink.add("sentry", (eid, self.source_lists[key], pk, added, status, None, ""))
        return eid

    def _case(
        self,
        pk: int,
        cell: Unit,
        ceremony: dt.date,
        decision: dt.date,
        official: dt.date | None,
        outcome: str,
        born: dt.date,
    ) -> None:
        added = ceremony - dt.timedelta(days=self.rng.randint(300, 500))
        entry = self._entry(pk, cell, added, "admitted")
        case_id = self.g.next_id("case")
        opened = added + DAY * 20
        before = [Stage.SOURCE_LIST, Stage.AWARENESS_CLASS, Stage.APPLICATION,
                  Stage.BACKGROUND_DECLARED, Stage.VETTING, Stage.INTRODUCTIONS_COLLECTED,
                  Stage.CELL_VOTED, Stage.GRASSROOTS_VOTED]  # fmt: skip
        days = self._stage_days(opened, decision - DAY, len(before))
        stages = [*before, Stage.DECIDED, Stage.PROBATION]
        days += [decision, ceremony]
        closed = None
        if outcome == "official" and official is not None:
            stages += [Stage.RECOGNITION_CELL_VOTED, Stage.RECOGNITION_GRASSROOTS_VOTED,
                       Stage.RECOGNIZED]  # fmt: skip
            days += [official - DAY * 25, official - DAY * 15, official]
            closed = official
        elif outcome == "removed":
            stages.append(Stage.REMOVED)
            days.append(ceremony + DAY * 60)
            closed = days[-1]
        dates = dict(zip(stages, days, strict=True))
        self._case_row(case_id, pk, cell, entry, stages[-1], days[-1], opened,
                       cell_vote=dates[Stage.CELL_VOTED],
                       grassroots_vote=dates[Stage.GRASSROOTS_VOTED], decision=decision,
                       ceremony=ceremony, official=official if closed == official else None,
                       closed=closed)  # fmt: skip
        self._changes(case_id, stages, days)

    def _case_row(
        self,
        case_id: int,
        pk: int,
        cell: Unit,
        entry: int,
        stage: str,
        stage_on: dt.date,
        opened: dt.date,
        *,
        cell_vote: dt.date | None = None,
        grassroots_vote: dt.date | None = None,
        decision: dt.date | None = None,
        ceremony: dt.date | None = None,
        official: dt.date | None = None,
        closed: dt.date | None = None,
    ) -> None:
        after = opened >= RESTRUCTURE
        self.g.sink.add("case", (
            case_id, pk, cell.id, cell.decides_after if after else cell.decides_before,
            cell.grassroots_after if after else cell.grassroots_before, entry, stage, stage_on,
            opened, "", False, False, False, True, False, cell_vote, grassroots_vote,
            decision, decision + DAY * 3 if decision else None, ceremony, official, None,
            None, None, closed, 0, None, "",
        ))  # fmt: skip

    def _changes(self, case_id: int, stages: Sequence[str], days: list[dt.date]) -> None:
        prev = ""
        for st, day in zip(stages, days, strict=True):
            at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            self.g.sink.add("change", (self.g.next_id("change"), case_id, prev, st, day, at,
                            None, "", "", ""))  # fmt: skip
            prev = st
