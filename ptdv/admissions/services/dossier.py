"""The dossier's documents and the exceptions for a missing paper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks
from ptdv.admissions.models import (
    AdmissionCase,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    PaperException,
)
from ptdv.admissions.services.base import (
    before_decision,
    check_perm,
    lock_case,
    refuse,
    today_or_local,
    user_or_none,
)
from ptdv.audit.services import record
from ptdv.core.errors import DomainError


@transaction.atomic
def dossier_item_record(
    *,
    actor: Any,
    case: AdmissionCase,
    kind: str,
    status: str,
    issued_on: dt.date | None = None,
    received_on: dt.date | None = None,
    number: str = "",
    returned_reason: str = "",
    scan: Any = None,
    today: dt.date | None = None,
) -> DossierItem:
    """Record a document of the dossier (received, verified, or returned with a reason)."""
    case = lock_case(case)
    check_perm(actor, "dossier", case)
    today = today_or_local(today)
    if kind not in DocumentKind.values:
        raise DomainError(_("Unknown document."), field="kind")
    if status not in DocumentStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    if status == DocumentStatus.RETURNED and not returned_reason.strip():
        raise DomainError(_("Say why the document is returned."), field="returned_reason")
    for day in (issued_on, received_on):
        if day is not None and day > today:
            raise DomainError(_("The date cannot be in the future."), field="issued_on")
    if issued_on and received_on and received_on < issued_on:
        raise DomainError(_("A document cannot be received before it is issued."))
    valid_until = None
    if kind == DocumentKind.AWARENESS_CERTIFICATE and issued_on:
        valid_until = checks.certificate_valid_until(issued_on)
    item = DossierItem(
        case=case,
        kind=kind,
        status=status,
        issued_on=issued_on,
        received_on=received_on,
        number=number,
        returned_reason=returned_reason.strip(),
        valid_until=valid_until,
    )
    if scan:
        item.scan = scan
    item.save()
    record(
        action="admissions.dossier.recorded",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={"kind": kind, "status": status, "issued_on": issued_on, "reason": returned_reason},
    )
    return item


# --- special paths: the village-elder path and the written consents ----------------------
def decision_purpose(case: AdmissionCase) -> str | None:
    """Which decision the case waits for: "admission" before it, "recognition" during
    probation, None when closed or decided and not yet admitted."""
    if not case.is_open:
        return None
    if case.ceremony_on is None:
        return "admission" if before_decision(case) else None
    return "recognition"


@transaction.atomic
def paper_exception_record(
    *,
    actor: Any,
    case: AdmissionCase,
    kind: str,
    reason: str,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> PaperException:
    """Let the competent committee decide without a required paper: the paper, the reason,
    who and when (audited). Only for a paper the coming decision requires."""
    case = lock_case(case)
    today = today_or_local(today)
    on = on or today
    check_perm(actor, "paper_exception", case, min(on, today))
    purpose = decision_purpose(case)
    p = checks.policy_on(on)
    src = p.source(
        "dossier.required_for_recognition_decision"
        if purpose == "recognition"
        else "dossier.required_for_admission_decision"
    )
    if purpose is None:
        raise refuse(
            "stage.out_of_order", _("No decision is awaited at this stage of the case."), src
        )
    if kind not in checks.decision_papers(case, purpose, on):
        raise refuse(
            "papers.not_required",
            _("This paper is not required for the decision."),
            src,
        )
    if not (reason or "").strip():
        raise refuse("reason.missing", _("A reason is required."), src)
    if on > today:
        raise refuse("date.future", _("The date cannot be in the future."), src)
    exc = PaperException.objects.create(
        case=case,
        purpose=purpose,
        kind=kind,
        date=on,
        reason=reason.strip(),
        recorded_by=user_or_none(actor),
    )
    record(
        action="admissions.case.paper_exception",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "purpose": purpose,
            "kind": kind,
            "date": on,
            "reason": exc.reason,
            "legal_basis": src,
        },
    )
    return exc
