"""Numbered certificates of a finished class, and the validity months they carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ptdv.audit.services import record
from ptdv.core.errors import DomainError, RowError
from ptdv.core.text import normalize_spaces
from ptdv.policy.loader import PolicyFileError, policy_on
from ptdv.training import rules
from ptdv.training.models import (
    Certificate,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
    TrainingInstitution,
)
from ptdv.training.services.base import _d, _locked_class, _raise_rows, _require, _today

# --- certificates ----------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    klass: TrainingClass,
    enrolment_ids: Sequence[int],
    issued_on: dt.date,
    signer: str = "",
    today: dt.date | None = None,
) -> list[Certificate]:
    """Issue certificates to trainees who completed the class (all or nothing). Numbers
    run per institution and issue year: ``<seq>/<year>/<suffix>``."""
    klass = _locked_class(klass)
    inst = TrainingInstitution.objects.select_for_update().get(pk=klass.institution_id)
    _require(actor, "training.manage", inst.org_unit)
    _check_issue(klass, issued_on, enrolment_ids, today)
    found = _completed_enrolments(klass, enrolment_ids)
    year = issued_on.year
    last = Certificate.objects.filter(institution=inst, year=year).aggregate(m=Max("seq"))["m"] or 0
    months = klass.course_type.certificate_validity_months
    if klass.course_type.code == "awareness":
        months = awareness_validity_months(issued_on, default=months)
    valid_until = rules.certificate_valid_until(issued_on, months)
    signer = normalize_spaces(signer) or inst.director
    ordered = sorted(found.values(), key=lambda e: (e.person.sort_key, e.pk))
    certs = [
        Certificate(
            institution=inst,
            klass=klass,
            enrolment=e,
            person_id=e.person_id,
            course_type=klass.course_type,
            year=year,
            seq=last + i,
            number=rules.certificate_number(last + i, year, inst.certificate_suffix),
            issued_on=issued_on,
            signer=signer,
            valid_until=valid_until,
        )
        for i, e in enumerate(ordered, start=1)
    ]
    Certificate.objects.bulk_create(certs, batch_size=1000)
    record(
        action="training.certificate.issued",
        actor=actor,
        target=klass,
        org_unit=inst.org_unit,
        data={
            "count": len(certs),
            "numbers": [c.number for c in certs]
            if len(certs) <= 20
            else [certs[0].number, certs[-1].number],
            "issued_on": issued_on,
            "valid_until": valid_until,
        },
    )
    return certs


def _check_issue(
    klass: TrainingClass, issued_on: dt.date, enrolment_ids: Sequence[int], today: dt.date | None
) -> None:
    """The class is finished, the issue date between its end and today, someone chosen."""
    if klass.status != ClassStatus.FINISHED:
        raise DomainError(
            _("Certificates are issued once the class is finished."), code="not_finished"
        )
    if issued_on < klass.end_on:
        raise DomainError(
            _("The issue date cannot be before the end of the class (%(date)s).")
            % {"date": _d(klass.end_on)},
            field="issued_on",
        )
    if issued_on > _today(today):
        raise DomainError(_("The issue date cannot be in the future."), field="issued_on")
    if not enrolment_ids:
        raise DomainError(_("Choose at least one trainee."), field="enrolments")


def _completed_enrolments(
    klass: TrainingClass, enrolment_ids: Sequence[int]
) -> dict[int, Enrolment]:
    """The chosen trainees, each of this class, accepted, with a completed result and no
    certificate yet; all or nothing: ``BulkError`` listing every failing row."""
    found = {
        e.pk: e
        for e in klass.enrolments.filter(pk__in=list(enrolment_ids)).select_related(
            "person", "result"
        )
    }
    has_cert = set(
        Certificate.objects.filter(enrolment_id__in=list(found)).values_list(
            "enrolment_id", flat=True
        )
    )
    errors: list[RowError] = []
    for row, eid in enumerate(enrolment_ids, start=1):
        e = found.get(eid)
        if e is None:
            errors.append(RowError(row, _("Not a trainee of this class.")))
            continue
        name = e.person.full_name
        result = getattr(e, "result", None)
        if eid in has_cert:
            errors.append(RowError(row, _("%(name)s already has a certificate.") % {"name": name}))
        elif e.status != EnrolmentStatus.ACCEPTED or result is None or not result.completed:
            errors.append(RowError(row, _("%(name)s did not complete the class.") % {"name": name}))
    _raise_rows(errors, _("No certificate was issued: fix the rows below and try again."))
    return found


def awareness_validity_months(on: dt.date, *, default: int | None) -> int | None:
    """``cert.awareness.validity_months`` from the policy in force on ``on``; the course
    type's own value (seeded with 60) when the rule-set files cannot be read."""
    try:
        return int(policy_on(on).cert_awareness_validity_months)
    except PolicyFileError:  # a broken rule-set file must not block issuing
        return default
