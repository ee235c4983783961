"""The introducers of the applicant and the summary of comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks
from ptdv.admissions.models import (
    AdmissionCase,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    Introduction,
    Stage,
)
from ptdv.admissions.services.base import (
    StepRefusedError,
    advance,
    guard,
    refuse,
    today_or_local,
)
from ptdv.people.models import Person
from ptdv.policy.types import Finding


@dataclass(frozen=True)
class IntroducerInput:
    person: Person | None
    kind: str = Introduction.Kind.MEMBER
    cowork_since: dt.date | None = None
    replacement: bool = False


@transaction.atomic
def introductions_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    introducers: Sequence[IntroducerInput],
    comments_on: dt.date | None = None,
    today: dt.date | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """Introducers (3-KNĐ/3A-KNĐ, or the union's resolution 4-KNĐ/4A-KNĐ + one member)
    and the summary of comments (5-KNĐ). Checked at once on this date; again at the vote."""
    case = guard(case, "introductions", actor, on, today_or_local(today))
    if comments_on is not None and (comments_on < case.stage_on or comments_on > on):
        raise refuse("date.comments", _("The date of the comments is not plausible."), on=on)
    findings = _input_findings(case, introducers, on)
    if findings:
        raise StepRefusedError(findings)
    rows = [
        Introduction(
            case=case,
            introducer=i.person,
            kind=i.kind,
            cowork_since=i.cowork_since,
            replacement=i.replacement,
            issued_on=on,
        )
        for i in introducers
    ]
    Introduction.objects.filter(case=case, active=True).update(active=False)
    Introduction.objects.bulk_create(rows)
    errors = checks.errors(checks.introducer_findings(case, on))
    if errors:
        raise StepRefusedError(errors)
    _file_papers(case, introducers, on, comments_on)
    return advance(
        case,
        step="introductions",
        to=Stage.INTRODUCTIONS_COLLECTED,
        on=on,
        actor=actor,
        data={"introducers": [str(i.person or i.kind) for i in introducers]},
        certificate_on=certificate_on or checks.awareness_certificate_issued_on(case, on),
    )


def _input_findings(
    case: AdmissionCase, introducers: Sequence[IntroducerInput], on: dt.date
) -> list[Finding]:
    """What is wrong with the introducers as given, before any rule of the Charter."""
    findings: list[Finding] = []
    members = [i for i in introducers if i.kind == Introduction.Kind.MEMBER]
    if any(i.person is None for i in members):
        findings.append(
            Finding(
                "introducers.unknown",
                _("An introducer is not given."),
                checks.policy_on(on).source("introducers.default_count"),
            )
        )
    if any(i.person is not None and i.person.pk == case.person_id for i in members):
        findings.append(
            Finding(
                "introducers.self",
                _("The applicant cannot introduce themself."),
                checks.policy_on(on).source("introducers.default_count"),
            )
        )
    return findings


def _file_papers(
    case: AdmissionCase,
    introducers: Sequence[IntroducerInput],
    on: dt.date,
    comments_on: dt.date | None,
) -> None:
    """The introductions' papers in the dossier (one per kind) and the summary of comments."""
    doc_kind: dict[str, str] = {
        Introduction.Kind.MEMBER: DocumentKind.INTRODUCTION,
        Introduction.Kind.YOUTH_UNION: DocumentKind.YOUTH_UNION_RESOLUTION,
        Introduction.Kind.TRADE_UNION: DocumentKind.TRADE_UNION_RESOLUTION,
    }
    items = [
        DossierItem(case=case, kind=k, status=DocumentStatus.RECEIVED, issued_on=on, received_on=on)
        for k in sorted({doc_kind[i.kind] for i in introducers})
    ]
    if comments_on is not None:
        items.append(
            DossierItem(
                case=case,
                kind=DocumentKind.COMMENTS,
                status=DocumentStatus.RECEIVED,
                issued_on=comments_on,
                received_on=comments_on,
            )
        )
    DossierItem.objects.bulk_create(items)
