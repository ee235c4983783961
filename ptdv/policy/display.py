"""A rule-set file in words (issue 16 point 3): each key's label, and each value with its
unit (months, years of age, working days, members), booleans as Có/Không, lists as the
names of what they list, ratios as fractions, dates as dd/mm/yyyy. The page of a rule set
shows only these; the key stays in the row's anchor. ``known()`` lets a test require a
label for every key and value of every shipped file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ptdv.policy.rules.common import document_label, education_label
from ptdv.policy.rules.votes import exclusion_label
from ptdv.policy.types import DocumentFacts

# units of integer values
AGE_MONTHS, MONTHS, WORKING_DAYS, MEMBERS, YEARS, TIMES, PLAIN = (
    "age_months",
    "months",
    "working_days",
    "members",
    "years",
    "times",
    "plain",
)

KEYS: dict[str, tuple[object, str]] = {
    "age.min_months": (gettext_lazy("Minimum age of an applicant"), AGE_MONTHS),
    "age.max_months_normal": (
        gettext_lazy("Age above which the over-60 path applies"),
        AGE_MONTHS,
    ),
    "age.max_inclusive": (gettext_lazy("The upper age counts as still within the limit"), PLAIN),
    "age.reference_event": (gettext_lazy("Date on which the age is counted"), PLAIN),
    "age.over_max_requires": (gettext_lazy("An applicant over 60 needs"), PLAIN),
    "education.min_default": (gettext_lazy("Minimum general education"), PLAIN),
    "education.min_special_area": (
        gettext_lazy("Minimum education in special areas and for fishermen"),
        PLAIN,
    ),
    "education.min_village_elder": (
        gettext_lazy("Minimum education for village elders and prestigious persons"),
        PLAIN,
    ),
    "education.village_elder_requires": (
        gettext_lazy("The village-elder path needs"),
        PLAIN,
    ),
    "education.village_elder_roles": (
        gettext_lazy("Who may take the village-elder path"),
        PLAIN,
    ),
    "cert.awareness.validity_months": (
        gettext_lazy("Validity of the awareness class certificate"),
        MONTHS,
    ),
    "cert.awareness.valid_on_anniversary": (
        gettext_lazy("The certificate is still valid on the anniversary day"),
        PLAIN,
    ),
    "dossier.stale_after_months": (
        gettext_lazy("Papers older than this are renewed before the vote"),
        MONTHS,
    ),
    "dossier.stale_kinds": (gettext_lazy("Papers that must be renewed when old"), PLAIN),
    "dossier.required_for_admission_decision": (
        gettext_lazy("Papers required before the admission decision"),
        PLAIN,
    ),
    "dossier.required_for_recognition_decision": (
        gettext_lazy("Papers required before the recognition decision"),
        PLAIN,
    ),
    "introducers.default_count": (gettext_lazy("Number of introducing members"), MEMBERS),
    "introducers.youth_union_path": (gettext_lazy("Introduction by the Youth Union"), PLAIN),
    "introducers.trade_union_path": (gettext_lazy("Introduction by the trade union"), PLAIN),
    "introducers.union_path_members": (
        gettext_lazy("Official members introducing beside a union's resolution"),
        MEMBERS,
    ),
    "introducers.youth_age_max": (
        gettext_lazy("Age up to which the Youth Union introduces"),
        YEARS,
    ),
    "introducers.min_cowork_months": (
        gettext_lazy("An introducer has worked or lived with the applicant for at least"),
        MONTHS,
    ),
    "introducers.replacement_exempt": (
        gettext_lazy("A replacement introducer is exempt from that duration"),
        PLAIN,
    ),
    "vote.chi_bo.admission": (gettext_lazy("Cell's vote: official members in favour"), PLAIN),
    "vote.grassroots.propose": (
        gettext_lazy("Grassroots committee's vote: members in favour"),
        PLAIN,
    ),
    "vote.grassroots.authorised_decide": (
        gettext_lazy("Grassroots committee authorised to admit: members in favour"),
        PLAIN,
    ),
    "vote.upper_btv.decide": (
        gettext_lazy("Standing committee's decision: members in favour"),
        PLAIN,
    ),
    "vote.upper_btv.strict": (
        gettext_lazy("The standing committee needs more than that share"),
        PLAIN,
    ),
    "vote.recognition": (gettext_lazy("Votes on recognition"), PLAIN),
    "vote.max_attempts_then_escalate": (
        gettext_lazy("Failed votes before the case goes to the upper committee"),
        TIMES,
    ),
    "vote.denominator_exclusions": (
        gettext_lazy("Official members left out of the vote's count"),
        PLAIN,
    ),
    "deadline.upper_decide_admission_wd": (
        gettext_lazy("Time for the upper committee to decide an admission"),
        WORKING_DAYS,
    ),
    "deadline.upper_decide_recognition_wd": (
        gettext_lazy("Time for the upper committee to decide a recognition"),
        WORKING_DAYS,
    ),
    "deadline.upper_extension_max_wd": (gettext_lazy("Longest extension"), WORKING_DAYS),
    "deadline.ceremony_wd": (
        gettext_lazy("Time to hold the ceremony after the decision is received"),
        WORKING_DAYS,
    ),
    "deadline.recognition_review_wd": (
        gettext_lazy("Time for the cell to consider recognition after probation"),
        WORKING_DAYS,
    ),
    "deadline.member_record_wd": (
        gettext_lazy("Time to complete the member's record"),
        WORKING_DAYS,
    ),
    "deadline.transfer_official_wd": (
        gettext_lazy("Time to present an official transfer of activity"),
        WORKING_DAYS,
    ),
    "deadline.transfer_temporary_wd": (
        gettext_lazy("Time to present a temporary transfer of activity"),
        WORKING_DAYS,
    ),
    "probation.months": (gettext_lazy("Probation"), MONTHS),
    "official_date_rule": (gettext_lazy("Date of becoming an official member"), PLAIN),
    "party_age.start": (gettext_lazy("Party age counts from"), PLAIN),
    "chi_bo.min_official_members": (
        gettext_lazy("Official members a cell needs to admit"),
        MEMBERS,
    ),
    "calendar": (gettext_lazy("Calendar of the deadlines"), PLAIN),
    "consent.required_before": (gettext_lazy("A written consent is needed before"), PLAIN),
}


def _words() -> dict[str, str]:
    """Every word a file uses as a value, in Vietnamese."""
    docs = {
        k: document_label(DocumentFacts(k, "missing", None))
        for k in (
            "application",
            "background",
            "vetting",
            "introduction",
            "youth_union_resolution",
            "trade_union_resolution",
            "comments",
            "cell_resolution",
            "grassroots_resolution",
            "self_review",
            "helper_comment",
            "recognition_comments",
            "recognition_cell_resolution",
            "recognition_grassroots_resolution",
        )
    }
    return {
        **docs,
        **{
            k: exclusion_label(k)
            for k in ("temporary_elsewhere", "exempted_absent", "suspended", "prosecuted_detained")
        },
        **{k: education_label(k) for k in ("literate", "primary", "lower_secondary")},
        "cell_vote": _("the day of the cell's vote"),
        "provincial_standing_committee_written_consent": _(
            "the written consent of the provincial standing committee"
        ),
        "youth_union_resolution + 1 official member": _(
            "the Youth Union's resolution and one official member"
        ),
        "trade_union_resolution + 1 official member": _(
            "the trade union's resolution and one official member"
        ),
        "same_as_admission": _("the same shares as for admission"),
        "probation_end": _("the day the 12 months of probation end"),
        "decision_date": _("the date of the admission decision"),
        "vn_working_days": _("Vietnamese working days (weekends and public holidays off)"),
        "village_elder": _("village elder"),
        "hamlet_head": _("hamlet head"),
        "prestigious_person": _("prestigious person"),
        "decision": _("the admission decision (the cell may vote first)"),
    }


def _with_unit(n: int, unit: str) -> str:
    if unit in (MONTHS, AGE_MONTHS):
        text = ngettext("%(n)s month", "%(n)s months", n) % {"n": n}
        if n >= 12 and n % 12 == 0:
            years = n // 12
            if unit == AGE_MONTHS:
                more = ngettext("%(n)s year of age", "%(n)s years of age", years)
            else:
                more = ngettext("%(n)s year", "%(n)s years", years)
            text += " (" + more % {"n": years} + ")"
        return text
    formats: dict[str, Callable[[int], str]] = {
        WORKING_DAYS: lambda k: ngettext("%(n)s working day", "%(n)s working days", k),
        MEMBERS: lambda k: ngettext("%(n)s member", "%(n)s members", k),
        YEARS: lambda k: ngettext("%(n)s year of age", "%(n)s years of age", k),
        TIMES: lambda k: ngettext("%(n)s time", "%(n)s times", k),
    }
    if unit in formats:
        return formats[unit](n) % {"n": n}
    return str(n)


def value_text(key: str, value: object) -> str:
    """The value of ``key`` as a reader of the rules says it."""
    unit = KEYS.get(key, ("", PLAIN))[1]
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return _with_unit(value, unit)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]}/{value[1]}"
        return "; ".join(value_text(key, v) for v in value)
    words = _words()
    return words.get(str(value), str(value))


def key_label(key: str) -> str:
    return str(KEYS[key][0]) if key in KEYS else key


def known(key: str, value: object) -> bool:
    """Whether the page can say ``key`` and ``value`` in words (a test checks every file)."""
    if key not in KEYS:
        return False
    items = value if isinstance(value, list | tuple) else [value]
    words = _words()
    return all(not isinstance(v, str) or v in words for v in items)


def status_text(label: str) -> str:
    """How sure the file is of a value (VERIFIED, VERIFIED (secondary), UNCERTAIN)."""
    if "UNCERTAIN" in label:
        return _("to be confirmed")
    if "secondary" in label:
        return _("verified (secondary sources)")
    if "VERIFIED" in label:
        return _("verified")
    return label


def note_text(note: str) -> str:
    """A file's note in the page's words: the notes explain a boolean value as the file
    writes it ("true: …; false: …"); the page shows the value as Có/Không."""
    note = re.sub(r"\btrue:", _("Yes") + ":", note)
    return re.sub(r"\bfalse:", _("No") + ":", note)
