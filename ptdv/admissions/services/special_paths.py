"""Special paths: the village-elder path and the written consents they need."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks
from ptdv.admissions.models import (
    AdmissionCase,
    Consent,
    DocumentKind,
)
from ptdv.admissions.services.base import (
    StepRefusedError,
    before_decision,
    check_perm,
    file_document,
    lock_case,
    refuse,
    today_or_local,
    user_or_none,
)
from ptdv.audit.services import record
from ptdv.policy.types import Finding


@transaction.atomic
def special_path_set(
    *, actor: Any, case: AdmissionCase, role: str, today: dt.date | None = None
) -> AdmissionCase:
    """Record that the applicant is a village elder, hamlet head or prestigious person
    (``role`` one of the policy's ``education.village_elder_roles``), or clear it (``""``).
    Only before the decision; audited."""
    case = lock_case(case)
    today = today_or_local(today)
    check_perm(actor, "special_path", case, today)
    p = checks.policy_on(case.cell_vote_on or today)
    if not before_decision(case):
        raise refuse(
            "stage.out_of_order",
            _("The path can only be changed before the admission decision."),
            p.source("education.village_elder_requires"),
        )
    role = (role or "").strip()
    roles = checks.village_elder_roles(case.cell_vote_on or today)
    if role and role not in roles:
        raise refuse(
            "special_path.unknown_role",
            _("Unknown role in the community."),
            p.source("education.village_elder_roles"),
        )
    old = {"village_elder": case.village_elder, "role": case.village_elder_role}
    case.village_elder = bool(role)
    case.village_elder_role = role
    case.save(update_fields=["village_elder", "village_elder_role", "updated_at"])
    record(
        action="admissions.case.special_path",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={"old": old, "new": {"village_elder": case.village_elder, "role": role}},
    )
    return case


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    case: AdmissionCase,
    kind: str,
    number: str,
    on: dt.date,
    body: str,
    note: str = "",
    today: dt.date | None = None,
) -> Consent:
    """The provincial standing committee's written consent a special path needs (over 60:
    ``age.over_max_requires``; village elder: ``education.village_elder_requires``), with
    its number, date and issuing body; before the decision (the decision checks its date)."""
    case = lock_case(case)
    today = today_or_local(today)
    check_perm(actor, "consent", case, on if on <= today else today)
    p = checks.policy_on(case.cell_vote_on or on)
    source = (
        p.source("education.village_elder_requires")
        if kind == Consent.Kind.VILLAGE_ELDER
        else p.source("age.over_max_requires")
    )
    if kind not in Consent.Kind.values:
        raise refuse("consent.unknown_kind", _("Unknown kind of consent."), source)
    problems = _consent_problems(
        case, kind=kind, number=number, body=body, on=on, today=today, source=source
    )
    if problems:
        raise StepRefusedError(problems)
    consent = Consent.objects.create(
        case=case,
        kind=kind,
        number=number.strip(),
        date=on,
        body=body.strip(),
        note=(note or "").strip(),
        recorded_by=user_or_none(actor),
    )
    if kind == Consent.Kind.OVER_MAX_AGE and not case.over_max_age_consent:
        case.over_max_age_consent = True
        case.save(update_fields=["over_max_age_consent", "updated_at"])
    file_document(case, DocumentKind.PROVINCIAL_CONSENT, on, number=consent.number)
    record(
        action="admissions.case.consent",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "kind": kind,
            "number": consent.number,
            "date": on,
            "body": consent.body,
            "note": consent.note,
            "legal_basis": source,
        },
    )
    return consent


def _consent_problems(
    case: AdmissionCase,
    *,
    kind: str,
    number: str,
    body: str,
    on: dt.date,
    today: dt.date,
    source: str,
) -> list[Finding]:
    """Every reason to refuse the consent, together: missing number or body, a future date,
    too late (after the decision), a village-elder consent without the path recorded."""
    problems: list[Finding] = []
    if not (number or "").strip():
        problems.append(
            Finding("consent.number_missing", _("The document number is required."), source)
        )
    if not (body or "").strip():
        problems.append(Finding("consent.body_missing", _("The issuing body is required."), source))
    if on > today:
        problems.append(Finding("date.future", _("The date cannot be in the future."), source))
    if not before_decision(case):
        problems.append(
            Finding(
                "stage.out_of_order",
                _("A consent can only be recorded before the admission decision."),
                source,
            )
        )
    if kind == Consent.Kind.VILLAGE_ELDER and not case.village_elder:
        problems.append(
            Finding(
                "consent.not_village_elder",
                _(
                    "Record first that the applicant is a village elder, hamlet head or "
                    "prestigious person."
                ),
                source,
            )
        )
    return problems
