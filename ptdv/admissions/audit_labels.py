"""How the admission entries of the audit log read: the keys of a vote and the codes of the
warnings kept with it, in words (the log stores codes; the page never shows them)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ptdv.admissions.models import Body, ExclusionCategory, Purpose

KEYS: dict[str, Promise | str] = {
    "vote": _("vote"),
    "body": _("body"),
    "purpose": _("purpose"),
    "expected": _("members expected"),
    "present": _("members present"),
    "in_favour": _("in favour"),
    "against": _("against"),
    "attempt": _("attempt"),
    "passed": _("passed"),
    "resolution": _("resolution"),
    "roll": _("roll"),
    "exclusions": _("left out of the count"),
    "person": _("person"),
    "category": _("category"),
    "warnings": _("warnings"),
    "legal_basis": _("legal basis"),
}

# The warning codes of the checks (ptdv.policy.rules) a vote may be recorded with.
WARNINGS: dict[str, Promise | str] = {
    "documents.not_verified": _("a document received but not yet verified"),
    "documents.stale": _("a document older than allowed"),
    "documents.missing": _("a document missing"),
    "documents.returned": _("a document returned"),
    "documents.issued_after_vote": _("a document dated after the vote"),
    "age.over_max_with_consent": _("over the age limit, with the required consent"),
    "age.over_max": _("over the age limit"),
    "education.special_area_exception": _("education: special-area exception"),
    "education.village_elder_exception": _("education: village-elder exception"),
    "education.too_low": _("education below the minimum"),
    "introducers.cowork_unknown": _("introducer's time working together unknown"),
    "introducers.cowork_too_short": _("introducer's time working together too short"),
    "cert.expired": _("awareness certificate expired"),
    "cert.missing": _("awareness certificate missing"),
    "vote.escalate": _("third failed vote: to the upper committee"),
    "chi_bo.min_official_members": _("cell with too few official members"),
}


def register() -> None:
    from ptdv.audit.labels import register_keys

    register_keys(
        KEYS,
        {
            "body": dict(Body.choices),
            "purpose": dict(Purpose.choices),
            "category": dict(ExclusionCategory.choices),
            "warnings": WARNINGS,
        },
    )
