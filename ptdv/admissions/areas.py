"""The special-area exception of a case decided from where the applicant lives (issue 15
point 2): the facts for ``ptdv.policy.rules.areas`` (dated residence, decisions' lists),
the verdict on a date, its explanation added to the education finding, and the officer's
audited confirmation of the cell's flag (the fallback when the residence is not listed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.admissions.models import AdmissionCase, AreaFlagConfirmation
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.area_lists import listings_covering
from ptdv.people.residence import residence_rows
from ptdv.policy.rules import areas as _areas
from ptdv.policy.types import Finding

# the education findings whose outcome depends on the area: they carry its explanation
AREA_FINDINGS = frozenset(
    {
        "education.special_area_exception",
        "education.village_elder_exception",
        "education.village_elder_consent_pending",
        "education.village_elder_needs_consent",
        "education.too_low",
    }
)


def _listings(village_ids: Iterable[int]) -> list[_areas.AreaListing]:
    out = []
    for vid in set(village_ids):
        for listing in listings_covering(vid):
            d = listing.decision
            out.append(
                _areas.AreaListing(
                    decision=str(d),
                    category=str(d.get_category_display()),
                    listed_name=listing.listed_name,
                    villages=frozenset({vid}),
                    valid_from=d.valid_from,
                    valid_to=d.valid_to,
                )
            )
    return out


def _confirmation(case: AdmissionCase) -> _areas.FlagConfirmation | None:
    c = AreaFlagConfirmation.objects.filter(case=case).select_related("confirmed_by").first()
    if c is None:
        return None
    by = (
        c.confirmed_by.get_full_name().strip() or c.confirmed_by.get_username()
        if c.confirmed_by
        else ""
    )
    return _areas.FlagConfirmation(c.confirmed_on, by, c.reason)


def area_verdict(case: AdmissionCase, day: dt.date) -> _areas.AreaVerdict:
    """Whether the exception applies to this applicant on ``day`` and why."""
    rows = residence_rows(case.person)
    spells = [_areas.ResidenceSpell(*row) for row in rows]
    return _areas.special_area_on(
        day,
        spells,
        _listings(r[0] for r in rows if r[0] is not None),
        flag=case.special_area,
        flag_label=case.org_unit.name,
        confirmation=_confirmation(case),
    )


def explain(findings: Iterable[Finding], verdict: _areas.AreaVerdict) -> list[Finding]:
    """The education findings with the area's explanation and, when the residence is
    listed, the decision cited beside the rule."""
    out = []
    for f in findings:
        if f.code in AREA_FINDINGS:
            source = f"{f.source}; {verdict.source}" if verdict.source else f.source
            f = replace(f, message=f"{f.message} {verdict.explanation}", source=source)
        out.append(f)
    return out


@transaction.atomic
def area_flag_confirm(
    *, actor: Any, case: AdmissionCase, reason: str, today: dt.date | None = None
) -> AreaFlagConfirmation:
    """The officer confirms that the cell's special-area flag applies to this applicant
    (used only while the residence is on no decision's list). Audited; once per case."""
    check_perm(actor, "admissions.act", case.org_unit)
    reason = normalize_spaces(reason)
    if not case.special_area:
        raise DomainError(
            _("The party cell is not marked as a special area: there is nothing to confirm."),
            code="no_flag",
        )
    if not reason:
        raise DomainError(_("Write why the flag applies to this applicant."), field="reason")
    if AreaFlagConfirmation.objects.filter(case=case).exists():
        raise DomainError(_("The flag is already confirmed for this case."), code="confirmed")
    today = today or timezone.localdate()
    user = actor if getattr(actor, "is_authenticated", False) else None
    row = AreaFlagConfirmation.objects.create(
        case=case, confirmed_on=today, reason=reason, confirmed_by=user
    )
    record(
        action="admissions.area_flag.confirmed",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={"date": today, "reason": reason, "cell": case.org_unit.name},
    )
    return row
