"""The dossier (rules-reference §1.3, §2): the awareness class certificate, the documents
at the cell's vote, and the papers required before a decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import cast

from django.utils.translation import gettext as _

from ptdv.policy.rules.common import (
    WARNING,
    add_months,
    document_label,
    fmt,
)
from ptdv.policy.types import (
    DocumentFacts,
    Finding,
    Policy,
)

# ---------------------------------------------------------------- certificate (§1.3)


def awareness_certificate_expires_on(issued_on: dt.date, p: Policy) -> dt.date:
    """The first day the awareness certificate is no longer valid."""
    end = add_months(issued_on, p.cert_awareness_validity_months)
    if p.extra.get("cert.awareness.valid_on_anniversary", False):
        end += dt.timedelta(days=1)
    return end


def awareness_certificate_valid_until(issued_on: dt.date, p: Policy) -> dt.date:
    """The last day the awareness certificate is valid (shown as "valid until")."""
    return awareness_certificate_expires_on(issued_on, p) - dt.timedelta(days=1)


def check_awareness_certificate(
    issued_on: dt.date | None, vote_on: dt.date, p: Policy
) -> list[Finding]:
    """The certificate must exist, predate the vote and still be valid on the vote date."""
    key = "cert.awareness.validity_months"
    if issued_on is None:
        return [
            Finding(
                "cert.missing",
                _("No certificate of the class on awareness of the Party is recorded."),
                p.source(key),
            )
        ]
    if issued_on > vote_on:
        return [
            Finding(
                "cert.issued_after_vote",
                _(
                    "The awareness certificate (%(issued)s) is dated after the cell's meeting "
                    "(%(vote_on)s)."
                )
                % {"issued": fmt(issued_on), "vote_on": fmt(vote_on)},
                p.source(key),
            )
        ]
    expires = awareness_certificate_expires_on(issued_on, p)
    if vote_on >= expires:
        return [
            Finding(
                "cert.expired",
                _(
                    "The awareness certificate issued on %(issued)s is valid for %(months)s "
                    "months, until %(valid_until)s: it cannot be used at the cell's meeting on "
                    "%(vote_on)s; the applicant must take the class again."
                )
                % {
                    "issued": fmt(issued_on),
                    "months": p.cert_awareness_validity_months,
                    "valid_until": fmt(expires - dt.timedelta(days=1)),
                    "vote_on": fmt(vote_on),
                },
                p.source(key),
            )
        ]
    return []


# ---------------------------------------------------------------- documents (§2)


def check_documents(docs: Sequence[DocumentFacts], vote_on: dt.date, p: Policy) -> list[Finding]:
    """Required documents present (not missing/returned), dated no later than the vote,
    verified (warning otherwise) and, for the kinds that go stale, not older than
    ``dossier.stale_after_months`` at the vote."""
    findings: list[Finding] = []
    src = p.source("dossier.stale_after_months")
    stale_kinds = set(cast("Iterable[str]", p.extra.get("dossier.stale_kinds", ())))
    for doc in docs:
        ctx = {"kind": document_label(doc), "issued": fmt(doc.issued_on), "vote_on": fmt(vote_on)}
        if doc.status == "missing":
            if doc.required:
                findings.append(
                    Finding(
                        "documents.missing",
                        _("The required document “%(kind)s” is missing.") % ctx,
                        src,
                    )
                )
            continue
        if doc.status == "returned":
            if doc.required:
                findings.append(
                    Finding(
                        "documents.returned",
                        _("The document “%(kind)s” was returned and must be submitted again.")
                        % ctx,
                        src,
                    )
                )
            continue
        if doc.status == "received":
            findings.append(
                Finding(
                    "documents.not_verified",
                    _("The document “%(kind)s” has been received but not yet verified.") % ctx,
                    src,
                    WARNING,
                )
            )
        if doc.issued_on is None:
            continue
        if doc.issued_on > vote_on:
            findings.append(
                Finding(
                    "documents.issued_after_vote",
                    _(
                        "The document “%(kind)s” is dated %(issued)s, after the cell's meeting "
                        "(%(vote_on)s)."
                    )
                    % ctx,
                    src,
                )
            )
            continue
        if doc.kind in stale_kinds:
            limit = add_months(doc.issued_on, p.dossier_stale_after_months)
            if vote_on > limit:
                findings.append(
                    Finding(
                        "documents.stale",
                        _(
                            "The document “%(kind)s” of %(issued)s is more than %(months)s "
                            "months old at the cell's meeting (%(vote_on)s) and must be redone."
                        )
                        % {**ctx, "months": p.dossier_stale_after_months},
                        src,
                    )
                )
    return findings


# ---------------------------------------------------------------- papers before a decision

DECISION_PAPERS_KEYS = {
    "admission": "dossier.required_for_admission_decision",
    "recognition": "dossier.required_for_recognition_decision",
}


def papers_required_for(purpose: str, p: Policy) -> list[str]:
    return list(cast("Iterable[str]", p.extra.get(DECISION_PAPERS_KEYS[purpose], ())))


def check_decision_papers(
    purpose: str,
    docs: Sequence[DocumentFacts],
    waived: dict[str, str],
    p: Policy,
) -> list[Finding]:
    """A decision (admission / recognition) is recorded only when every required paper
    (``dossier.required_for_<purpose>_decision``, as given in ``docs``) is received or
    verified, unless an exception with its reason (``waived``: kind → reason) is recorded:
    then a warning naming the exception."""
    src = p.source(DECISION_PAPERS_KEYS[purpose])
    findings: list[Finding] = []
    for doc in docs:
        if not doc.required or doc.status in ("received", "verified"):
            continue
        ctx = {"kind": document_label(doc), "reason": waived.get(doc.kind, "")}
        if doc.kind in waived:
            findings.append(
                Finding(
                    "papers.waived",
                    _("“%(kind)s” is missing; decided under a recorded exception: %(reason)s")
                    % ctx,
                    src,
                    WARNING,
                )
            )
        else:
            findings.append(
                Finding(
                    "papers.missing",
                    _(
                        "The decision cannot be recorded: the required paper “%(kind)s” is "
                        "missing or was returned (record it, or record an exception with its "
                        "reason)."
                    )
                    % ctx,
                    src,
                )
            )
    return findings
