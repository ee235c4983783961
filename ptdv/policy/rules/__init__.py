"""Eligibility and procedure rules, explained (rules-reference §1–5).

Pure functions over plain data (``ptdv.policy.types``): no ORM, every date passed in, every
number read from the ``Policy`` in force (``loader.policy_on(vote_on)``). Each check returns
a list of ``Finding`` (empty = passes); an ``error`` blocks the step, a ``warning`` only
informs (e.g. an exception path that was used). Every finding carries a Vietnamese
sentence and the legal citation of the rule from the policy file.

Date arithmetic: "N months after D" is the same day-of-month N months later, clamped to
the last day of a shorter month (Bộ luật Dân sự 2015, Điều 148: "nếu tháng kết thúc thời
hạn không có ngày tương ứng thì thời hạn kết thúc vào ngày cuối cùng của tháng đó"). So
12 months after 29/02/2024 is 28/02/2025, and someone born on 29/02/2004 completes 216
months (18 years) on 28/02/2022.

The rules are split by family, one module each: ``common`` (severities, labels, calendar
months), ``eligibility`` (age, education, special paths' consents), ``dossier`` (certificate,
documents, papers before a decision), ``introducers``, ``votes`` (thresholds, cell size,
denominator), ``case`` (the whole case), ``probation`` and ``deadlines``. Callers import
from ``ptdv.policy.rules``; ``__all__`` is its public interface.
"""

from ptdv.policy.rules.case import check_admission
from ptdv.policy.rules.common import (
    EDUCATION_RANK,
    ERROR,
    WARNING,
    add_months,
    age_in_months,
    completed_months,
    document_label,
    education_label,
    errors,
    fmt,
)
from ptdv.policy.rules.deadlines import (
    check_extension,
    deadline_ceremony,
    deadline_decision,
    deadline_member_record,
    deadline_recognition_review,
)
from ptdv.policy.rules.dossier import (
    DECISION_PAPERS_KEYS,
    awareness_certificate_expires_on,
    awareness_certificate_valid_until,
    check_awareness_certificate,
    check_decision_papers,
    check_documents,
    papers_required_for,
)
from ptdv.policy.rules.eligibility import (
    CONSENT_OVER_MAX_AGE,
    CONSENT_VILLAGE_ELDER,
    check_age,
    check_consents,
    check_education,
    consent_label,
    consent_may_follow_cell_vote,
    consent_source,
    is_over_max_age,
    required_consents,
    uses_village_elder_path,
)
from ptdv.policy.rules.introducers import (
    PATH_MEMBERS,
    PATH_TRADE_UNION,
    PATH_YOUTH_UNION,
    check_introducers,
    in_youth_age,
    introduction_path,
    required_member_introducers,
)
from ptdv.policy.rules.probation import can_recognize, official_date, party_age_start, probation_end
from ptdv.policy.rules.votes import (
    BODY_CELL,
    BODY_GRASSROOTS,
    BODY_GRASSROOTS_DECIDE,
    BODY_UPPER,
    EXCLUSION_EXEMPTED_ABSENT,
    EXCLUSION_TEMPORARY,
    check_cell_size,
    check_denominator,
    check_vote,
    denominator_from,
    exclusion_label,
    required_in_favour,
    vote_passes,
    vote_rule,
)

__all__ = [
    "ERROR",
    "WARNING",
    "EDUCATION_RANK",
    "education_label",
    "document_label",
    "fmt",
    "add_months",
    "completed_months",
    "age_in_months",
    "errors",
    "is_over_max_age",
    "check_age",
    "check_education",
    "CONSENT_OVER_MAX_AGE",
    "CONSENT_VILLAGE_ELDER",
    "consent_may_follow_cell_vote",
    "uses_village_elder_path",
    "required_consents",
    "consent_label",
    "consent_source",
    "check_consents",
    "awareness_certificate_expires_on",
    "awareness_certificate_valid_until",
    "check_awareness_certificate",
    "check_documents",
    "DECISION_PAPERS_KEYS",
    "papers_required_for",
    "check_decision_papers",
    "PATH_MEMBERS",
    "PATH_YOUTH_UNION",
    "PATH_TRADE_UNION",
    "in_youth_age",
    "introduction_path",
    "required_member_introducers",
    "check_introducers",
    "BODY_CELL",
    "BODY_GRASSROOTS",
    "BODY_GRASSROOTS_DECIDE",
    "BODY_UPPER",
    "vote_rule",
    "required_in_favour",
    "vote_passes",
    "check_vote",
    "EXCLUSION_TEMPORARY",
    "EXCLUSION_EXEMPTED_ABSENT",
    "exclusion_label",
    "denominator_from",
    "check_denominator",
    "check_cell_size",
    "check_admission",
    "probation_end",
    "official_date",
    "can_recognize",
    "party_age_start",
    "deadline_decision",
    "check_extension",
    "deadline_ceremony",
    "deadline_recognition_review",
    "deadline_member_record",
]
