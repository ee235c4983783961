"""Opening a case and the steps that file one document: certificate, application,
background, vetting conclusion, the sub-committee's appraisal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks, rules, vetting
from ptdv.admissions.models import (
    AdmissionCase,
    DocumentKind,
    DocumentStatus,
    SourceEntry,
    Stage,
    StageChange,
)
from ptdv.admissions.services.base import (
    advance,
    file_document,
    guard,
    need_perm,
    refuse,
    set_entry_progress,
    today_or_local,
    user_or_none,
)
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import committees_of
from ptdv.people.models import Person


@transaction.atomic
def case_open(
    *,
    actor: Any,
    person: Person,
    cell: OrgUnit,
    opened_on: dt.date,
    source_entry: SourceEntry | None = None,
    helpers: Iterable[Person] = (),
    unit_has_youth_union: bool = True,
    unit_has_trade_union: bool = False,
    special_area: bool | None = None,
    today: dt.date | None = None,
    _units: tuple[OrgUnit | None, OrgUnit | None] | None = None,
) -> AdmissionCase:
    """Open the admission case of a person kept by a party cell."""
    if not cell.is_cell:
        raise DomainError(_("An admission case belongs to a party cell."), field="cell")
    need_perm(actor, "admissions.act", cell)
    if opened_on > today_or_local(today):
        raise DomainError(_("The date cannot be in the future."), field="opened_on")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != "none":
        raise DomainError(_("This person is not among the masses."), code="not_masses")
    if (
        AdmissionCase.objects.filter(person=person)
        .exclude(stage__in=[Stage.REJECTED, Stage.RECOGNIZED, Stage.REMOVED])
        .exists()
    ):
        raise DomainError(_("This person already has an open case."), code="open_case")
    if _units is None:
        found = committees_of(cell, on=opened_on)
        if found.deciding is None:  # a cell recorded before its tree had dates
            found = committees_of(cell)
        _units = (found.grassroots, found.deciding)
    grassroots, deciding = _units
    if deciding is None:
        raise DomainError(_("No committee is competent to decide for this cell."))
    if special_area is None:
        special_area = _in_special_area(cell)
    case = AdmissionCase.objects.create(
        person=person,
        org_unit=cell,
        grassroots=grassroots,
        deciding_unit=deciding,
        source_entry=source_entry,
        stage=Stage.SOURCE_LIST,
        stage_on=opened_on,
        opened_on=opened_on,
        unit_has_youth_union=unit_has_youth_union,
        unit_has_trade_union=unit_has_trade_union,
        special_area=special_area,
    )
    helpers = list(helpers)
    if helpers:
        case.helpers.set(helpers)
    StageChange.objects.create(
        case=case,
        from_stage="",
        to_stage=Stage.SOURCE_LIST,
        on=opened_on,
        actor=user_or_none(actor),
        org_unit_id=case.org_unit_id,
    )
    record(
        action="admissions.case.opened",
        actor=actor,
        target=case,
        org_unit=cell,
        data={"person": person, "date": opened_on, "deciding_unit": deciding},
    )
    return case


@transaction.atomic
def certificate_record(
    *,
    actor: Any,
    case: AdmissionCase,
    issued_on: dt.date,
    number: str = "",
    scan: Any = None,
    today: dt.date | None = None,
) -> AdmissionCase:
    """The awareness class certificate (rules reference §1.3)."""
    case = guard(case, "certificate", actor, issued_on, today_or_local(today))
    file_document(
        case,
        DocumentKind.AWARENESS_CERTIFICATE,
        issued_on,
        number=number,
        status=DocumentStatus.VERIFIED,
        valid_until=checks.certificate_valid_until(issued_on),
        scan=scan,
    )
    set_entry_progress(case, SourceEntry.Progress.CERTIFIED)
    return advance(
        case,
        step="certificate",
        to=Stage.AWARENESS_CLASS,
        on=issued_on,
        actor=actor,
        legal_basis=number,
        certificate_on=issued_on,
    )


def _document_step(
    step: str,
    kind: str,
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str,
    scan: Any,
    note: str,
    today: dt.date | None,
    certificate_on: dt.date | None,
) -> AdmissionCase:
    """A step that files one document and moves the case on (``rules.target_of``); its
    deadlines count from the awareness certificate (given, else the one on file)."""
    case = guard(case, step, actor, on, today_or_local(today))
    file_document(case, kind, on, number=number, scan=scan)
    return advance(
        case,
        step=step,
        to=rules.target_of(step),
        on=on,
        actor=actor,
        reason=note,
        legal_basis=number,
        certificate_on=certificate_on or checks.awareness_certificate_issued_on(case, on),
    )


@transaction.atomic
def application_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str = "",
    scan: Any = None,
    note: str = "",
    today: dt.date | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """The application for admission (1-KNĐ)."""
    return _document_step(
        "application",
        DocumentKind.APPLICATION,
        actor=actor,
        case=case,
        on=on,
        number=number,
        scan=scan,
        note=note,
        today=today,
        certificate_on=certificate_on,
    )


@transaction.atomic
def background_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str = "",
    scan: Any = None,
    note: str = "",
    today: dt.date | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """The background form (2-KNĐ)."""
    return _document_step(
        "background",
        DocumentKind.BACKGROUND,
        actor=actor,
        case=case,
        on=on,
        number=number,
        scan=scan,
        note=note,
        today=today,
        certificate_on=certificate_on,
    )


@transaction.atomic
def vetting_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str = "",
    scan: Any = None,
    note: str = "",
    satisfactory: bool = True,
    today: dt.date | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """The grassroots committee's conclusion on the vetting (``VettingConclusion``),
    refused while a vetting request awaits its reply (``admissions.vetting``)."""
    case = _document_step(
        "vetting",
        DocumentKind.VETTING,
        actor=actor,
        case=case,
        on=on,
        number=number,
        scan=scan,
        note=note,
        today=today,
        certificate_on=certificate_on,
    )
    refusal = vetting.conclusion_refusal(case)
    if refusal:  # the step above is rolled back with the refusal
        raise refuse("vetting.pending", refusal, vetting.SOURCE)
    vetting.conclusion_record(case, on=on, number=number, satisfactory=satisfactory, text=note)
    return case


@transaction.atomic
def sub_committee_record(
    *, actor: Any, case: AdmissionCase, on: dt.date, number: str = "", today: dt.date | None = None
) -> AdmissionCase:
    """The partial committee's appraisal (7-KNĐ), where a sub-committee exists."""
    case = guard(case, "sub_committee", actor, on, today_or_local(today))
    file_document(case, DocumentKind.SUB_COMMITTEE_REPORT, on, number=number)
    return advance(
        case,
        step="sub_committee",
        to=Stage.PARTIAL_COMMITTEE_APPRAISED,
        on=on,
        actor=actor,
        legal_basis=number,
    )


def _in_special_area(cell: OrgUnit) -> bool:
    """The cell's own flags: mountainous, border, island, ethnic minority or especially
    difficult area (the default of a new case's ``special_area``)."""
    return bool(
        cell.mountainous
        or cell.border
        or cell.island
        or cell.ethnic_minority_area
        or cell.especially_difficult
    )
