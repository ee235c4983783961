"""Send the day's reminders: ``remind(on)`` (``ptdv remind``, the worker's daily run).

For every deadline the to-do pages show (``admissions.selectors.cases_due_by``,
``people.transfers.selectors.due_by``), the reminders of ``rules.kinds_on`` go to the users
holding a committee or organization-board position, on that date, at the responsible unit
(the cell, the grassroots organization or the deciding committee, by deadline); when nobody
holds one there, to the nearest unit above that has holders. An escalation goes to the
holders of the next unit above those. Each user's preference decides inbox, inbox and
e-mail, or nothing; e-mail is one digest per user and run. A reminder exists once per
user, deadline and kind (database constraint), so running twice sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from ptdv.access.models import Position, Role
from ptdv.audit import services as audit
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit
from ptdv.policy.selectors import swapped_days
from ptdv.reminders import rules
from ptdv.reminders.models import Channel, Notification, Preference

AUDIT_LABELS = {
    "reminders.sent": gettext_lazy("Reminders sent"),
    "reminders.preference_set": gettext_lazy("Reminder preferences changed"),
}

RECIPIENT_ROLES = (Role.COMMITTEE, Role.ORG_BOARD)


@dataclass(frozen=True)
class Deadline:
    source: str  # "case" | "transfer"
    uid: Any
    what: str  # the deadline's kind
    due_on: dt.date
    subject: str
    url: str
    unit: OrgUnit  # the responsible unit

    def key(self) -> str:
        return rules.event_key(self.source, self.uid, self.what, self.due_on)


@dataclass
class Planned:
    user: Any
    kind: str
    deadline: Deadline
    unit: OrgUnit
    days_overdue: int


@dataclass
class RunReport:
    on: dt.date
    deadlines: int = 0
    created: list[Planned] = field(default_factory=list)
    skipped_existing: int = 0
    emails: int = 0

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(rules.KINDS, 0)
        for p in self.created:
            out[p.kind] += 1
        return out


def before_wd() -> int:
    return int(settings.PTDV_REMIND_BEFORE_WD)


def escalate_after_wd() -> int:
    return int(settings.PTDV_ESCALATE_AFTER_WD)


def _window_end(on: dt.date) -> dt.date:
    # calendar days enough for ``before_wd`` working days (weekends and a Tết break)
    return on + dt.timedelta(days=before_wd() * 2 + 14)


def deadlines_on(on: dt.date) -> list[Deadline]:
    """Every deadline due by the reminder window's end (overdue ones included)."""
    from ptdv.admissions.models import AdmissionCase
    from ptdv.admissions.selectors import cases_due_by, responsible_unit
    from ptdv.people.models import Transfer
    from ptdv.people.transfers.selectors import due_by

    until = _window_end(on)
    out: list[Deadline] = []
    cases = cases_due_by(AdmissionCase.objects.all(), until).select_related(
        "deciding_unit", "grassroots"
    )
    for case in cases:
        if case.due_on is None:  # cases_due_by only returns cases with a deadline
            continue
        unit = responsible_unit(case, on)
        out.append(
            Deadline(
                "case",
                case.uid,
                case.due_kind,
                case.due_on,
                str(case.person),
                reverse("admissions:case_detail", args=[case.uid]),
                unit,
            )
        )
    transfers = due_by(Transfer.objects.all(), until).select_related(
        "person", "to_unit", "from_unit"
    )
    for t in transfers:
        receiver = t.to_unit or t.from_unit
        if receiver is None or t.due_on is None:  # due_by only returns dated transfers
            continue
        out.append(
            Deadline(
                "transfer",
                t.uid,
                "transfer",
                t.due_on,
                str(t.person),
                reverse("people:transfer_detail", args=[t.uid]),
                receiver,
            )
        )
    return out


def holders_on(unit: OrgUnit, on: dt.date) -> list[Any]:
    """Users holding a committee or organization-board position at ``unit`` on ``on``."""
    qs = Position.objects.filter(org_unit=unit, role__in=RECIPIENT_ROLES, term_start__lte=on)
    qs = qs.exclude(term_end__lt=on).select_related("user")
    return sorted({p.user for p in qs if p.user.is_active}, key=lambda u: u.pk)


def _chain_up(unit: OrgUnit, on: dt.date) -> list[OrgUnit]:
    """``unit`` then its ancestors upwards, as the tree stood on ``on``."""
    chain = history.ancestors_on(unit, on)
    if not chain:
        return [unit]
    return list(reversed(chain))


def recipients(unit: OrgUnit, on: dt.date) -> tuple[OrgUnit | None, list[Any], list[Any]]:
    """(the unit that answers, its holders, the holders of the next unit above with any):
    the responsible unit, or the nearest above it with holders when nobody holds a position
    there; then the committee above, for escalations."""
    chain = _chain_up(unit, on)
    found: list[tuple[OrgUnit, list[Any]]] = []
    for u in chain:
        users = holders_on(u, on)
        if users:
            found.append((u, users))
            if len(found) == 2:
                break
    if not found:
        return None, [], []
    upper = found[1][1] if len(found) > 1 else []
    return found[0][0], found[0][1], upper


def _preferences(users: Iterable[Any]) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user__in=list(users))}


def channel_of(prefs: dict[int, Preference], user: Any, kind: str) -> str:
    pref = prefs.get(user.pk)
    return pref.channel(kind) if pref else Channel.INBOX_EMAIL


def plan(on: dt.date) -> RunReport:
    """What ``remind(on)`` would create (reads only)."""
    off, work = swapped_days(on - dt.timedelta(days=400), _window_end(on))
    report = RunReport(on)
    wanted: list[Planned] = []
    cache: dict[int, tuple[OrgUnit | None, list[Any], list[Any]]] = {}
    for d in deadlines_on(on):
        kinds = rules.kinds_on(
            d.due_on,
            on,
            before_wd=before_wd(),
            escalate_after_wd=escalate_after_wd(),
            extra_off=off,
            extra_work=work,
        )
        if not kinds:
            continue
        report.deadlines += 1
        if d.unit.pk not in cache:
            cache[d.unit.pk] = recipients(d.unit, on)
        answering, own, upper = cache[d.unit.pk]
        if answering is None:
            continue
        late = rules.working_days_overdue(d.due_on, on, extra_off=off, extra_work=work)
        for kind in kinds:
            users = upper if kind == rules.ESCALATED else own
            unit = d.unit if kind != rules.ESCALATED else answering
            wanted.extend(Planned(u, kind, d, unit, late) for u in users)
    prefs = _preferences({p.user for p in wanted})
    wanted = [p for p in wanted if channel_of(prefs, p.user, p.kind) != Channel.OFF]
    existing = set(
        Notification.objects.filter(
            user__in={p.user for p in wanted}, event_key__in={p.deadline.key() for p in wanted}
        ).values_list("user_id", "event_key", "kind")
    )
    seen: set[tuple[int, str, str]] = set()
    for p in wanted:
        key = (p.user.pk, p.deadline.key(), p.kind)
        if key in existing or key in seen:
            report.skipped_existing += key in existing
            continue
        seen.add(key)
        report.created.append(p)
    return report


def remind(on: dt.date, *, dry_run: bool = False) -> RunReport:
    """Create the day's reminders in the inbox and send each user one e-mail digest."""
    report = plan(on)
    if dry_run or not report.created:
        return report
    with transaction.atomic():
        rows = [
            Notification(
                user=p.user,
                kind=p.kind,
                event_key=p.deadline.key(),
                source=p.deadline.source,
                what=p.deadline.what,
                subject=p.deadline.subject[:255],
                url=p.deadline.url,
                org_unit=p.unit,
                due_on=p.deadline.due_on,
                created_on=on,
                days_overdue=min(p.days_overdue, 32767),
            )
            for p in report.created
        ]
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        audit.record(action="reminders.sent", data={"date": on, **report.counts()})
    report.emails = _send_digests(on, [p.user for p in report.created])
    return report


def _send_digests(on: dt.date, users: list[Any]) -> int:
    """One e-mail per user listing the reminders of ``on`` they want by e-mail."""
    by_user: dict[int, Any] = {u.pk: u for u in users if u.email}
    if not by_user:
        return 0
    prefs = _preferences(by_user.values())
    new = Notification.objects.filter(
        user_id__in=list(by_user), created_on=on, emailed_at__isnull=True
    ).select_related("org_unit")
    grouped: dict[int, list[Notification]] = defaultdict(list)
    for n in new:
        if channel_of(prefs, by_user[n.user_id], n.kind) == Channel.INBOX_EMAIL:
            grouped[n.user_id].append(n)
    sent = 0
    for user_id, items in grouped.items():
        user = by_user[user_id]
        with translation.override("vi"):
            ctx = {"user": user, "items": items, "on": on, "base": settings.PTDV_SITE_URL}
            subject = render_to_string("reminders/digest_subject.txt", ctx).strip()
            body = render_to_string("reminders/digest_email.txt", ctx)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
        sent += 1
    return sent


# --- the user's own inbox and preferences -------------------------------------------------


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's reminders read (all of them when ``ids`` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def preference_set(user: Any, values: dict[str, str]) -> Preference:
    """Record what the user wants to receive (one channel per kind of reminder)."""
    with transaction.atomic():
        pref, _ = Preference.objects.get_or_create(user=user)
        for kind in rules.KINDS:
            if kind in values:
                setattr(pref, kind, Channel(values[kind]).value)
        pref.save()
        audit.record(
            action="reminders.preference_set",
            actor=user,
            target=pref,
            data={k: getattr(pref, k) for k in rules.KINDS},
        )
    return pref
