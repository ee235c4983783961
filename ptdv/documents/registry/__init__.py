"""The document codes the system ships, with their context keys, sample contexts and the
small preparation step that derives keys (percentages, default legal bases).

Keys shared by every template (the official header, signature and recipients):
``issuer_parent``, ``issuer``, ``number``, ``place``, ``date``, ``signer_on_behalf``,
``signer_title``, ``signer_name``, ``recipients`` (a list of str).

One module per family of papers (``certificates``, ``resolutions``, ``decisions``,
``dossier``, ``probation``, ``transfers``), each with its samples and its ``SPECS``;
``base`` holds what they share. ``SPECS`` here maps every code to its ``Spec``.
"""

from __future__ import annotations

from ptdv.documents.registry import (
    certificates,
    decisions,
    dossier,
    probation,
    resolutions,
    transfers,
)
from ptdv.documents.registry.base import COMMON_KEYS, Spec

__all__ = ["COMMON_KEYS", "SPECS", "Spec", "spec"]

SPECS: dict[str, Spec] = {
    s.code: s
    for family in (certificates, resolutions, decisions, dossier, probation, transfers)
    for s in family.SPECS
}


def spec(code: str) -> Spec | None:
    return SPECS.get(code)
