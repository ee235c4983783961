"""The demo's bulk path writes the same rows as the step services.

``ptdv loaddemo --fast`` writes the cases whose ceremony is before ``steps.admissions.BULK_BEFORE``
in bulk (``History``) and runs the later ones through the admission services (the
default runs them all through the services). Here a slice
of the demo plan (whole grassroots organizations, so that introducers and cell counts are
the same as in the full plan; admissions from 2009 to 2026, removals from the
probationary list, cells with and without a grassroots committee vote) is run once as
``loaddemo --fast`` does (bulk before ``BULK_BEFORE``) and once all through the services
(``loaddemo --fresh``), each in its own savepoint that is rolled back, and
the resulting records are compared. The services are the reference.

Compared: per person the membership events and periods and the derived status, dates and
card; per case the stage, dates, policy, stage changes (with legal basis and policy),
votes, decisions, dossier items (status, number, dates), introductions and source entry;
the summary keys admitted / recognized / removed_probationary. Ignored: primary keys,
uids, timestamps, actors, the events' ``source`` text, due dates of open cases (none are
open in the bulk part) and audit granularity (the bulk path writes one audit entry per
batch).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from typing import Any

import pytest
from django.db import transaction

from ptdv.admissions.models import AdmissionCase
from ptdv.core.summary import SummaryContext
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.demo.steps import admissions as admissions_demo
from ptdv.demo.steps import people as people_demo
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person

# CD-LNCD: a grassroots cell with a removal from the probationary list;
# CD-CQD: a grassroots committee with cells (committee votes) and a removal.
SLICE = ("CD-LNCD", "CD-CQD")


class _RollbackError(Exception):
    pass


@pytest.fixture(scope="module")
def plan() -> P.Plan:
    full = P.build(P.TODAY)
    return replace(full, people=[p for p in full.people if p.grassroots in SLICE])


def _sorted(rows: Any) -> list[tuple]:
    return sorted(rows, key=repr)


def _snapshot(ctx: DemoContext) -> dict[str, Any]:
    key_of = {pk: key for key, pk in ctx.person_ids.items()}
    people: dict[int, Any] = {}
    for person in Person.objects.filter(pk__in=key_of):
        events = _sorted(
            (e.kind, e.date, e.org_unit.code if e.org_unit else None, e.decision_date)
            + (e.decision_number, e.card_number, e.arrives_as, e.note)
            for e in MembershipEvent.objects.filter(person=person).select_related("org_unit")
        )
        periods = _sorted(
            (p.org_unit.code if p.org_unit else None, p.status, p.start, p.end)
            for p in MembershipPeriod.objects.filter(person=person).select_related("org_unit")
        )
        people[key_of[person.pk]] = {
            "status": person.status,
            "admitted_on": person.admitted_on,
            "official_on": person.official_on,
            "party_age_from": person.party_age_from,
            "org_unit": person.org_unit_id,
            "card_number": person.card_number,
            "events": events,
            "periods": periods,
        }
    cases: dict[int, Any] = {}
    for case in AdmissionCase.objects.all().select_related(
        "org_unit", "deciding_unit", "source_entry"
    ):
        cases[key_of[case.person_id]] = {
            "stage": case.stage,
            "stage_on": case.stage_on,
            "org_unit": case.org_unit.code,
            "deciding_unit": case.deciding_unit.code if case.deciding_unit else None,
            "dates": (
                case.opened_on,
                case.cell_vote_on,
                case.grassroots_vote_on,
                case.decision_on,
                case.decision_received_on,
                case.ceremony_on,
                case.official_on,
                case.recognition_cell_vote_on,
                case.recognition_decision_on,
                case.member_record_on,
                case.closed_on,
            ),
            "policy_code": case.policy_code,
            "changes": [
                (c.from_stage, c.to_stage, c.on, c.policy_code, c.legal_basis, c.reason)
                for c in case.changes.order_by("on", "id")
            ],
            "votes": _sorted(
                (v.body, v.purpose, v.date, v.expected, v.present, v.in_favour, v.against)
                + (v.policy_code, v.resolution_number, v.attempt, v.passed)
                for v in case.votes.all()
            ),
            "decisions": _sorted(
                (d.kind, d.date, d.deciding_unit.code if d.deciding_unit else None)
                + (d.number, d.received_on, d.signer, d.policy_code, d.legal_basis, d.reason)
                for d in case.decisions.select_related("deciding_unit")
            ),
            "dossier": _sorted(
                (d.kind, d.status, d.number, d.issued_on, d.received_on, d.valid_until)
                for d in case.dossier.all()
            ),
            "source_entry": (case.source_entry.status, case.source_entry.removed_on)
            if case.source_entry
            else None,
            "flags": (case.unit_has_youth_union, case.special_area),
            "introductions": _sorted(
                (key_of.get(i.introducer_id), i.kind, i.cowork_since)
                for i in case.introductions.all()
            ),
        }
    from ptdv.admissions.summary import summary_section

    district = OrgUnit.objects.get(code="CD")
    summary = {}
    for start, end in (
        (dt.date(2009, 1, 1), dt.date(2019, 12, 31)),
        (dt.date(2020, 1, 1), P.TODAY),
    ):
        s = summary_section(SummaryContext(district, start, end))
        summary[start.year] = {k: s[k] for k in ("admitted", "recognized", "removed_probationary")}
    return {"people": people, "cases": cases, "summary": summary}


def _run(plan: P.Plan, org_ids: dict[str, int], actor: Any, boundary: dt.date) -> dict[str, Any]:
    out = io.StringIO()
    ctx = DemoContext(plan=plan, today=P.TODAY, actor=actor, out=out)
    ctx.org_ids = dict(org_ids)
    snap: dict[str, Any] = {}
    try:
        with transaction.atomic():
            people_demo._people(ctx)
            admissions_demo.run(ctx, boundary=boundary)
            snap = _snapshot(ctx)
            snap["said"] = out.getvalue()
            raise _RollbackError
    except _RollbackError:
        pass
    assert not AdmissionCase.objects.exists()  # rolled back
    return snap


@pytest.mark.django_db
def test_bulk_history_writes_the_same_rows_as_the_services(
    plan: P.Plan, django_user_model: Any
) -> None:
    actor = django_user_model.objects.create_superuser("demo", password="x")  # noqa: S106
    ctx = DemoContext(plan=plan, today=P.TODAY, actor=actor, out=io.StringIO())
    people_demo._tree(ctx)
    assert P.CASES_FROM is not None
    bulk = _run(plan, ctx.org_ids, actor, admissions_demo.BULK_BEFORE)
    services = _run(plan, ctx.org_ids, actor, P.CASES_FROM)

    # the slice covers what it should
    assert "ghi theo lô" in bulk["said"]
    stages = [c["stage"] for c in services["cases"].values()]
    assert stages.count("removed") >= 2
    assert stages.count("recognized") >= 30
    assert any(c["dates"][2] for c in services["cases"].values())  # a committee vote
    assert any(not c["dates"][2] for c in services["cases"].values())  # a grassroots cell
    years = {c["dates"][5].year for c in services["cases"].values() if c["dates"][5]}
    assert min(years) <= 2010 and max(years) >= 2024

    assert bulk["summary"] == services["summary"]
    assert bulk["cases"].keys() == services["cases"].keys()
    assert bulk["people"].keys() == services["people"].keys()
    differ = [
        (what, key, field, bulk[what][key][field], expected[field])
        for what in ("cases", "people")
        for key, expected in services[what].items()
        for field in expected
        if bulk[what][key][field] != expected[field]
    ]
    assert not differ, "\n".join(map(repr, differ[:8])) + repr({d[2] for d in differ})
