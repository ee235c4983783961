"""The machinery every step shares: the refusal, the role at the competent committee,
the case row locked, the order of steps and dates, the deadlines, and ``advance`` (the
stage change and its audit entry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.admissions import checks, rules
from ptdv.admissions.models import (
    AdmissionCase,
    DocumentStatus,
    DossierItem,
    SourceEntry,
    Stage,
    StageChange,
)
from ptdv.admissions.selectors import committees_on
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgKind, OrgUnit
from ptdv.policy.types import Finding

register(
    {
        "admissions.source_list.created": gettext_lazy("Source list created"),
        "admissions.source.added": gettext_lazy("Added to the source list"),
        "admissions.source.note_added": gettext_lazy("Fostering note added"),
        "admissions.source.removed": gettext_lazy("Removed from the source list"),
        "admissions.source.withdrawn": gettext_lazy("Entry withdrawn (recorded by mistake)"),
        "admissions.case.opened": gettext_lazy("Admission case opened"),
        "admissions.case.certificate": gettext_lazy("Awareness certificate recorded"),
        "admissions.case.application": gettext_lazy("Application recorded"),
        "admissions.case.background": gettext_lazy("Background form recorded"),
        "admissions.case.vetting": gettext_lazy("Vetting recorded"),
        "admissions.case.introductions": gettext_lazy("Introductions recorded"),
        "admissions.case.cell_vote": gettext_lazy("Cell vote recorded"),
        "admissions.case.sub_committee": gettext_lazy("Sub-committee appraisal recorded"),
        "admissions.case.grassroots_vote": gettext_lazy("Grassroots vote recorded"),
        "admissions.case.vote_failed": gettext_lazy("Failed vote recorded"),
        "admissions.case.escalated": gettext_lazy("Case escalated"),
        "admissions.case.decide": gettext_lazy("Admission decided"),
        "admissions.case.reject": gettext_lazy("Admission rejected"),
        "admissions.case.ceremony": gettext_lazy("Admission ceremony held"),
        "admissions.case.member_record": gettext_lazy("Party member record completed"),
        "admissions.case.recognition_cell_vote": gettext_lazy("Recognition cell vote recorded"),
        "admissions.case.recognition_grassroots_vote": gettext_lazy(
            "Recognition grassroots vote recorded"
        ),
        "admissions.case.recognize": gettext_lazy("Recognized as official member"),
        "admissions.case.remove": gettext_lazy("Removed from the probationary list"),
        "admissions.dossier.recorded": gettext_lazy("Dossier item recorded"),
        "admissions.case.consent": gettext_lazy("Written consent recorded"),
        "admissions.case.special_path": gettext_lazy("Village elder path recorded"),
        "admissions.case.paper_exception": gettext_lazy("Exception for a missing paper recorded"),
    }
)


class StepRefusedError(DomainError):
    """A step refused with the findings that explain why; the case is unchanged."""

    def __init__(self, findings: Sequence[Finding], *, code: str = "step_refused") -> None:
        self.findings = list(findings)
        first = self.findings[0] if self.findings else None
        message = " ".join(f.message for f in self.findings) or _("The step is refused.")
        super().__init__(
            message, code=first.code if first else code, source=first.source if first else ""
        )


def refuse(
    code: str, message: str, source: str = "", *, on: dt.date | None = None
) -> StepRefusedError:
    """A refusal with its legal basis: ``source``, else the rule set in force on ``on``
    (the step's date; today when unknown) — never without one (issue 15 point 4)."""
    if not source:
        source = checks.policy_on(on or timezone.localdate()).title
    return StepRefusedError([Finding(code, message, source)])


def fmt_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_perm(
    actor: Any, step: str, case: AdmissionCase, on: dt.date | None = None
) -> OrgUnit | None:
    """Refuse the step unless ``actor`` holds the right role at the committee competent
    on ``on`` (the step's date; today when None). Returns that deciding committee."""
    units = committees_on(case, on or today_or_local(None))
    if (
        step in rules.DECIDING_STEPS
        or step == "paper_exception"
        or (step == "reject" and reject_by_committee(case))
    ):
        unit, perm = units.deciding, "admissions.decide"
    elif step in rules.GRASSROOTS_STEPS:
        unit, perm = units.grassroots or case.org_unit, "admissions.act"
    else:
        unit, perm = case.org_unit, "admissions.act"
    if unit is None or not has_perm(actor, perm, unit):
        raise StepRefusedError(
            [
                Finding(
                    "permission.denied",
                    _("You may not take this step for %(unit)s.") % {"unit": unit or "—"},
                    "",
                )
            ],
            code="forbidden",
        )
    return units.deciding


def can_take(actor: Any, step: str, case: AdmissionCase, on: dt.date | None = None) -> bool:
    """Whether the user holds the role this step needs at the right level on ``on``
    (today by default: for views)."""
    try:
        check_perm(actor, step, case, on)
    except StepRefusedError:
        return False
    return True


def reject_by_committee(case: AdmissionCase) -> bool:
    return case.stage in (
        Stage.CELL_VOTED,
        Stage.PARTIAL_COMMITTEE_APPRAISED,
        Stage.GRASSROOTS_VOTED,
        Stage.ESCALATED,
    )


_MUTABLE = (
    "stage",
    "stage_on",
    "policy_code",
    "failed_votes",
    "cell_vote_on",
    "grassroots_vote_on",
    "decision_on",
    "decision_received_on",
    "ceremony_on",
    "official_on",
    "recognition_cell_vote_on",
    "recognition_decision_on",
    "member_record_on",
    "closed_on",
    "due_on",
    "due_kind",
)


def lock_case(case: AdmissionCase) -> AdmissionCase:
    """Lock the case row and refresh its mutable columns (the stage may have moved since
    the caller read it: a second officer then sees the new stage and is refused)."""
    row = AdmissionCase.objects.select_for_update().filter(pk=case.pk).values(*_MUTABLE).get()
    for key, value in row.items():
        setattr(case, key, value)
    return case


def _is_grassroots_cell(case: AdmissionCase) -> bool:
    return case.org_unit.kind == OrgKind.GRASSROOTS_CELL


def out_of_order(case: AdmissionCase, on: dt.date) -> StepRefusedError:
    return refuse(
        "stage.out_of_order",
        _("This step is not possible at the stage “%(stage)s”.")
        % {"stage": case.get_stage_display()},
        on=on,
    )


def guard(case: AdmissionCase, step: str, actor: Any, on: dt.date, today: dt.date) -> AdmissionCase:
    """Lock the case and check role, order of steps and date; returns the locked row."""
    case = lock_case(case)
    if not rules.allowed_from(step, case.stage, grassroots_cell=_is_grassroots_cell(case)) or (
        case.stage == Stage.ESCALATED
        and (
            (step == "decide" and case.ceremony_on)
            or (step in {"recognize", "remove"} and not case.ceremony_on)
        )
    ):
        raise out_of_order(case, on)
    check_perm(actor, step, case, on)
    if on < case.stage_on:
        raise refuse(
            "date.before_previous",
            _("The date cannot be before the previous step (%(date)s).")
            % {"date": fmt_date(case.stage_on)},
            on=on,
        )
    if on > today:
        raise refuse("date.future", _("The date cannot be in the future."), on=today)
    return case


def _deadline_days(on: dt.date) -> rules.DeadlineDays:
    p = checks.policy_on(on)
    return rules.DeadlineDays(
        decide_admission=p.deadline_decide_admission_wd,
        decide_recognition=p.deadline_decide_recognition_wd,
        extension_max=p.deadline_extension_max_wd,
        ceremony=p.deadline_ceremony_wd,
        recognition_review=p.deadline_recognition_review_wd,
        member_record=p.deadline_member_record_wd,
    )


def case_deadlines(
    case: AdmissionCase, *, certificate_on: dt.date | None = None
) -> list[rules.Deadline]:
    cert_expiry = None
    if certificate_on is not None:
        cert_expiry = checks.certificate_valid_until(certificate_on)  # last valid day
    dates = rules.CaseDates(
        stage=case.stage,
        cell_vote_on=case.cell_vote_on,
        decision_on=case.decision_on,
        decision_received_on=case.decision_received_on,
        ceremony_on=case.ceremony_on,
        official_on=case.official_on,
        recognition_cell_vote_on=case.recognition_cell_vote_on,
        member_record_on=case.member_record_on,
        certificate_expires_on=cert_expiry,
    )
    return rules.deadlines(dates, _deadline_days(case.stage_on), checks.add_working_days)


def advance(
    case: AdmissionCase,
    *,
    step: str,
    to: str | None,
    on: dt.date,
    actor: Any,
    reason: str = "",
    legal_basis: str = "",
    policy_code: str = "",
    fields: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """Move the case to ``to`` (or keep its stage when None), log and audit it."""
    old = case.stage
    update = dict(fields or {})
    if to is not None:
        update["stage"] = to
        update["stage_on"] = on
        if to in (Stage.REJECTED, Stage.RECOGNIZED, Stage.REMOVED):
            update["closed_on"] = on
    for key, value in update.items():
        setattr(case, key, value)
    pending = case_deadlines(case, certificate_on=certificate_on) if case.is_open else []
    case.due_on = pending[0].due_on if pending else None
    case.due_kind = pending[0].kind if pending else ""
    case.save(update_fields=[*update.keys(), "due_on", "due_kind", "updated_at"])
    if to is not None:
        StageChange.objects.create(
            case=case,
            from_stage=old,
            to_stage=to,
            on=on,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            legal_basis=legal_basis,
            policy_code=policy_code,
            org_unit_id=case.org_unit_id,
        )
    record(
        action=f"admissions.case.{step}",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "stage": {"old": old, "new": case.stage},
            "date": on,
            "reason": reason,
            "legal_basis": legal_basis,
            "policy": policy_code,
            **(data or {}),
        },
    )
    return case


def file_document(
    case: AdmissionCase,
    kind: str,
    on: dt.date,
    *,
    number: str = "",
    status: str = DocumentStatus.RECEIVED,
    valid_until: dt.date | None = None,
    scan: Any = None,
) -> DossierItem:
    item = DossierItem(
        case=case,
        kind=kind,
        status=status,
        number=number,
        issued_on=on,
        received_on=on,
        valid_until=valid_until,
    )
    if scan:
        item.scan = scan
    item.save()
    return item


def today_or_local(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def set_entry_progress(case: AdmissionCase, progress: str) -> None:
    if case.source_entry_id:
        SourceEntry.objects.filter(pk=case.source_entry_id).update(status=progress)


# --- sources ------------------------------------------------------------------------


def need_perm(actor: Any, perm: str, unit: OrgUnit) -> None:
    if not has_perm(actor, perm, unit):
        raise DomainError(_("You may not do this for %(unit)s.") % {"unit": unit}, code="forbidden")


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


_BEFORE_DECISION = frozenset(rules.BEFORE_DECISION)


def before_decision(case: AdmissionCase) -> bool:
    return case.stage in _BEFORE_DECISION or (
        case.stage == Stage.ESCALATED and case.ceremony_on is None
    )
