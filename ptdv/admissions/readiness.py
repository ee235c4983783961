"""What each person on a source list still lacks for admission, at a glance (issue 15
point 8): the rules are ``checks.source_findings`` (the admission checks of the cell's
vote); this module only reads the facts of all the entries at once, so a list page costs
the same number of queries whatever its length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ptdv.admissions import checks, vetting
from ptdv.admissions.models import (
    OPEN_STAGES,
    AdmissionCase,
    Consent,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    Introduction,
    SourceEntry,
    Stage,
    VettingConclusion,
)
from ptdv.policy.types import Finding
from ptdv.training.selectors import valid_awareness_certificates

# The headings of the findings, by the prefix of their code.
TOPICS = {
    "cert": _("Awareness certificate"),
    "age": _("Age"),
    "introducers": _("Introducers"),
    "vetting": _("Vetting"),
}
CLOSED = (
    SourceEntry.Progress.REMOVED,
    SourceEntry.Progress.ADMITTED,
    SourceEntry.Progress.CARRIED,
)
# Past the cell's vote these checks have been passed (or refused) on the case itself.
BEFORE_VOTE = (
    Stage.SOURCE_LIST,
    Stage.AWARENESS_CLASS,
    Stage.APPLICATION,
    Stage.BACKGROUND_DECLARED,
    Stage.VETTING,
    Stage.INTRODUCTIONS_COLLECTED,
)


@dataclass
class Lack:
    topic: str
    message: str
    source: str
    warning: bool


@dataclass
class Readiness:
    case: AdmissionCase | None = None
    checked: bool = False  # False: closed entry, or a case past the cell's vote
    lacks: list[Lack] = field(default_factory=list)

    @property
    def badges(self) -> list[tuple[str, bool, str]]:
        """One badge per topic: (topic, warning only, the sentences joined)."""
        out: dict[str, tuple[bool, list[str]]] = {}
        for lack in self.lacks:
            warning, texts = out.get(lack.topic, (True, []))
            out[lack.topic] = (warning and lack.warning, [*texts, lack.message])
        return [(topic, w, " ".join(texts)) for topic, (w, texts) in out.items()]

    @property
    def ready(self) -> bool:
        return self.checked and not any(not lack.warning for lack in self.lacks)


def _lack(f: Finding) -> Lack:
    prefix = f.code.split(".", 1)[0]
    return Lack(str(TOPICS.get(prefix, prefix)), f.message, f.source, f.severity != "error")


def readiness_of(entries: Sequence[SourceEntry], on: dt.date) -> dict[int, Readiness]:
    """Entry id → what it lacks if the cell voted on ``on``. Entries need their
    ``person`` selected. A fixed number of queries for any number of entries."""
    live = [e for e in entries if e.status not in CLOSED]
    person_ids = [e.person_id for e in live]
    cases: dict[int, AdmissionCase] = {}
    for open_case in (
        AdmissionCase.objects.filter(person_id__in=person_ids, stage__in=list(OPEN_STAGES))
        .select_related("person")
        .order_by("opened_on", "id")
    ):
        cases[open_case.person_id] = open_case  # the latest open case of each person
    case_ids = [c.pk for c in cases.values()]
    certificates = valid_awareness_certificates(person_ids, on)
    person_of = {c.pk: c.person_id for c in cases.values()}
    dossier = dict(  # the latest received certificate of each case, when training has none
        DossierItem.objects.filter(
            case_id__in=case_ids,
            kind=DocumentKind.AWARENESS_CERTIFICATE,
            status__in=[DocumentStatus.RECEIVED, DocumentStatus.VERIFIED],
            issued_on__lte=on,
        )
        .order_by("case_id", "issued_on", "id")
        .values_list("case_id", "issued_on")
    )
    for case_id, issued in dossier.items():
        if issued is not None:
            certificates.setdefault(person_of[case_id], issued)
    intros: dict[int, list[Introduction]] = {i: [] for i in case_ids}
    for intro in Introduction.objects.filter(case_id__in=case_ids, active=True):
        intros[intro.case_id].append(intro)
    introducer_ids = [i.introducer_id for rows in intros.values() for i in rows if i.introducer_id]
    official = checks.official_in(introducer_ids, on) if introducer_ids else set()
    consents = set(
        Consent.objects.filter(
            case_id__in=case_ids, kind=Consent.Kind.OVER_MAX_AGE, date__lte=on
        ).values_list("case_id", flat=True)
    )
    conclusions = {c.case_id: c for c in VettingConclusion.objects.filter(case_id__in=case_ids)}

    out: dict[int, Readiness] = {}
    for entry in entries:
        if entry.status in CLOSED:
            out[entry.pk] = Readiness()
            continue
        case = cases.get(entry.person_id)
        if case is not None and case.stage not in BEFORE_VOTE:
            out[entry.pk] = Readiness(case=case)
            continue
        if case is not None:
            introducers = checks.introducer_facts(
                case, on, intros=intros[case.pk], official=official
            )
            applicant = checks.applicant_facts(case)
        else:
            introducers, applicant = [], checks.person_facts(entry.person)
        findings = checks.source_findings(
            person=entry.person,
            on=on,
            certificate_issued_on=certificates.get(entry.person_id),
            introducers=introducers,
            applicant=applicant,
            over_max_consent=case is not None and case.pk in consents,
            vetting=vetting.conclusion_findings(conclusions.get(case.pk) if case else None),
        )
        out[entry.pk] = Readiness(case=case, checked=True, lacks=[_lack(f) for f in findings])
    return out
