"""Special areas from the applicant's residence (issue 15 point 2; rules reference §1.2).

The education exception for mountainous, border, island, ethnic-minority and especially
difficult areas (``education.min_special_area``) applies to people *living* there. Which
communes and villages are such areas is said by dated decisions (e.g. the Prime
Minister's list of communes by region, the Ethnic Committee's list of especially difficult
villages), kept as data with their validity. This module decides, for one date, whether
the applicant's residence on that date is listed by a decision in force that day. Pure:
the caller passes the residence spells and the listings (``ptdv.admissions.areas``).

Reading of the 2025 restructuring (documented in ptdv/admissions/README.md): a decision
names communes and villages as they were when it was signed. A listed commune covers the
villages that belonged to it on the decision's date; when that commune is merged, its
villages move to the new commune but stay the same places, so they stay listed as long as
the decision is in force. The new commune's other villages are not listed by it. A village
keeps its identity across the merge (``ResidentialUnit`` rows move, they are not
recreated), so a listed village stays listed too.

When the residence is not listed, the cell's area flag (or the village's) is only a
fallback: it counts when an officer has confirmed it on the case, and the finding says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ptdv.policy.rules.common import fmt

BASIS_RESIDENCE = "residence"  # the residence is listed by a decision in force
BASIS_CONFIRMED_FLAG = "confirmed_flag"  # not listed; the cell's flag, confirmed
BASIS_UNCONFIRMED_FLAG = "unconfirmed_flag"  # not listed; a flag awaits confirmation
BASIS_NONE = "none"  # not a special area


@dataclass(frozen=True)
class AreaListing:
    """One line of a decision: a commune or a village it lists, with the villages it covers
    (for a commune: its villages on the decision's date)."""

    decision: str  # "Quyết định 612/QĐ-UBDT ngày 16/9/2021 của Ủy ban Dân tộc"
    category: str  # translated label, e.g. "thôn đặc biệt khó khăn"
    listed_name: str  # as written in the decision, e.g. "xã Bản Thi"
    villages: frozenset[int]
    valid_from: dt.date
    valid_to: dt.date | None = None  # last day in force (inclusive)

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class ResidenceSpell:
    """Where the person lived: ``village_id`` from ``since`` to ``until`` (both inclusive;
    None = unknown start / still living there)."""

    village_id: int | None
    village_name: str
    since: dt.date | None = None
    until: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


@dataclass(frozen=True)
class FlagConfirmation:
    """An officer's confirmation that the cell's area flag applies to this applicant."""

    confirmed_on: dt.date
    by: str  # the officer's name
    reason: str


@dataclass(frozen=True)
class AreaVerdict:
    applies: bool
    basis: str
    explanation: str  # Vietnamese sentence, shown with the education finding
    source: str  # the decision (or "") the verdict rests on
    listing: AreaListing | None = None


def residence_on(spells: Sequence[ResidenceSpell], day: dt.date) -> ResidenceSpell | None:
    """The spell covering ``day``; the latest-starting one if several overlap."""
    found = [s for s in spells if s.covers(day)]
    if not found:
        return None
    return max(found, key=lambda s: s.since or dt.date.min)


def special_area_on(
    day: dt.date,
    spells: Sequence[ResidenceSpell],
    listings: Sequence[AreaListing],
    *,
    flag: bool,
    flag_label: str = "",
    confirmation: FlagConfirmation | None = None,
) -> AreaVerdict:
    """Is the applicant's residence on ``day`` a special area? From the decisions in force
    that day; else the flag (``flag_label``: whose flag) counts only once confirmed."""
    home = residence_on(spells, day)
    ctx = {"day": fmt(day), "village": home.village_name if home else ""}
    if home is not None and home.village_id is not None:
        for listing in sorted(listings, key=lambda x: (x.valid_from, x.decision)):
            if home.village_id in listing.villages and listing.in_force_on(day):
                ctx.update(
                    decision=listing.decision,
                    category=listing.category,
                    listed=listing.listed_name,
                )
                return AreaVerdict(
                    True,
                    BASIS_RESIDENCE,
                    _(
                        "On %(day)s the applicant lives in %(village)s, listed (%(listed)s) as "
                        "%(category)s by %(decision)s, in force that day."
                    )
                    % ctx,
                    listing.decision,
                    listing,
                )
    if home is None:
        where = _("On %(day)s the applicant's place of residence is not recorded.") % ctx
    else:
        lapsed = [x for x in listings if home.village_id in x.villages]
        if lapsed:
            ctx["decision"] = lapsed[0].decision
            where = (
                _(
                    "On %(day)s the applicant lives in %(village)s, which %(decision)s lists "
                    "but which is not in force that day."
                )
                % ctx
            )
        else:
            where = (
                _(
                    "On %(day)s the applicant lives in %(village)s, which no decision in force "
                    "lists as a special area."
                )
                % ctx
            )
    if not flag:
        return AreaVerdict(False, BASIS_NONE, where, "")
    ctx["flag"] = flag_label or _("the party cell")
    if confirmation is None:
        return AreaVerdict(
            False,
            BASIS_UNCONFIRMED_FLAG,
            where
            + " "
            + _(
                "%(flag)s is marked as a special area: the exception applies only once an "
                "officer confirms it for this applicant."
            )
            % ctx,
            "",
        )
    ctx.update(on=fmt(confirmation.confirmed_on), by=confirmation.by, reason=confirmation.reason)
    return AreaVerdict(
        True,
        BASIS_CONFIRMED_FLAG,
        where
        + " "
        + _(
            "The special-area flag of %(flag)s was confirmed for this applicant by %(by)s "
            "on %(on)s: %(reason)s"
        )
        % ctx,
        "",
    )
