"""Writes of targets: one transaction each, validated, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.audit import labels
from ptdv.audit.services import record
from ptdv.core.errors import BulkError, DomainError, PermissionDeniedError, RowError
from ptdv.organizations.models import OrgUnit
from ptdv.targets import rules
from ptdv.targets.models import Target, Term

labels.register(
    {
        "targets.term.created": gettext_lazy("Congress term created"),
        "targets.target.set": gettext_lazy("Admission target set"),
        "targets.target.allocated": gettext_lazy("Admission targets allocated"),
        "targets.target.carried_over": gettext_lazy("Admission target carried over to a successor"),
    }
)


def _check_perm(actor: Any, unit: OrgUnit) -> None:
    if actor is not None and not has_perm(actor, "targets.edit", unit):
        raise PermissionDeniedError(_("You may not set targets for %(org)s.") % {"org": unit.name})


def _check_document(number: str, date: dt.date | None, today: dt.date) -> tuple[str, dt.date]:
    """The document's number and date, checked: both required, the date not in the future."""
    number = (number or "").strip()
    if not number:
        raise DomainError(
            _("The number of the document that sets the target is required."),
            field="document_number",
        )
    if date is None:
        raise DomainError(_("The date of the document is required."), field="document_date")
    if date > today:
        raise DomainError(
            _("The date of the document cannot be in the future."), field="document_date"
        )
    return number, date


def _check_year(year: int) -> None:
    if not 1930 <= year <= 2100:
        raise DomainError(_("The year %(year)s is not plausible.") % {"year": year}, field="year")


@transaction.atomic
def term_create(*, actor: Any, name: str, start_year: int, end_year: int) -> Term:
    name = (name or "").strip() or f"{start_year}–{end_year}"
    _check_year(start_year)
    _check_year(end_year)
    if end_year < start_year:
        raise DomainError(_("The last year of a term cannot be before its first year."))
    if Term.objects.filter(name=name).exists():
        raise DomainError(_("A term named %(name)s already exists.") % {"name": name})
    term = Term.objects.create(name=name, start_year=start_year, end_year=end_year)
    record(action="targets.term.created", actor=actor, target=term, data={"name": name})
    return term


def _span(flt: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """First and last day of a year or a term."""
    if flt["year"] is not None:
        return dt.date(flt["year"], 1, 1), dt.date(flt["year"], 12, 31)
    term = flt["term"]
    return dt.date(term.start_year, 1, 1), dt.date(term.end_year, 12, 31)


def _check_unit_valid(unit: OrgUnit, flt: dict[str, Any], today: dt.date) -> None:
    start, end = _span(flt)
    rules.check_unit_valid_for(
        unit_name=unit.name,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        period_start=start,
        period_end=end,
        today=today,
    )


def _period_filter(year: int | None, term: Term | None) -> dict[str, Any]:
    if (year is None) == (term is None):
        raise DomainError(_("Choose either a year or a congress term."))
    return {"year": year, "term": None} if year is not None else {"year": None, "term": term}


def _children_total(
    unit: OrgUnit, flt: dict[str, Any], exclude: AbstractSet[int] = frozenset()
) -> int:
    qs = Target.objects.filter(org_unit__parent=unit, **flt).exclude(org_unit_id__in=exclude)
    return qs.aggregate(s=Sum("value"))["s"] or 0


def _validate(unit: OrgUnit, flt: dict[str, Any], value: int, *, siblings_new: int = 0) -> None:
    """``value`` for ``unit``: not below zero, not below its own allocations, and with its
    siblings within the parent's target."""
    rules.check_parent_not_below_children(
        new_value=value, children_total=_children_total(unit, flt)
    )
    if unit.parent_id is None:
        return
    parent_target = Target.objects.filter(org_unit_id=unit.parent_id, **flt).first()
    if parent_target is None:
        return
    siblings = list(
        Target.objects.filter(org_unit__parent_id=unit.parent_id, **flt)
        .exclude(org_unit=unit)
        .values_list("value", flat=True)
    )
    rules.check_allocation(
        parent_value=parent_target.value,
        children_values=siblings + ([siblings_new] if siblings_new else []),
        new_value=value,
        parent_name=str(parent_target.org_unit),
    )


def _save(
    *, actor: Any, unit: OrgUnit, flt: dict[str, Any], value: int, number: str,
    date: dt.date, note: str,
) -> tuple[Target, dict[str, Any]]:  # fmt: skip
    target = Target.objects.select_for_update().filter(org_unit=unit, **flt).first()
    old = None if target is None else {"value": target.value, "document": target.document_number}
    if target is None:
        target = Target(org_unit=unit, **flt)
    target.value = value
    target.document_number = number
    target.document_date = date
    target.note = (note or "").strip()
    target.set_by = actor if getattr(actor, "is_authenticated", False) else None
    target.save()
    return target, {"old": old, "new": {"value": value, "document": number}}


@transaction.atomic
def target_set(
    *,
    actor: Any,
    org_unit: OrgUnit,
    value: int,
    document_number: str,
    document_date: dt.date | None,
    year: int | None = None,
    term: Term | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Target:
    today = today or timezone.localdate()
    _check_perm(actor, org_unit)
    flt = _period_filter(year, term)
    if year is not None:
        _check_year(year)
    number, document_date = _check_document(document_number, document_date, today)
    _check_unit_valid(org_unit, flt, today)
    _validate(org_unit, flt, value)
    target, change = _save(
        actor=actor, unit=org_unit, flt=flt, value=value, number=number,
        date=document_date, note=note,
    )  # fmt: skip
    record(
        action="targets.target.set",
        actor=actor,
        target=target,
        org_unit=org_unit,
        data={
            "period": target.period_label,
            "value": change,
            "document_date": document_date,
        },
    )
    return target


@transaction.atomic
def targets_allocate(
    *,
    actor: Any,
    parent: OrgUnit,
    values: dict[OrgUnit, int],
    document_number: str,
    document_date: dt.date | None,
    year: int | None = None,
    term: Term | None = None,
    today: dt.date | None = None,
) -> list[Target]:
    """Allocate the parent's target to its children — all or nothing."""
    today = today or timezone.localdate()
    _check_perm(actor, parent)
    flt = _period_filter(year, term)
    number, document_date = _check_document(document_number, document_date, today)
    parent_target = Target.objects.filter(org_unit=parent, **flt).first()
    if parent_target is None:
        raise DomainError(
            _("%(org)s has no target for this period to allocate.") % {"org": parent.name},
            code="no_parent_target",
        )
    problems: list[RowError] = []
    for i, (child, value) in enumerate(values.items(), start=1):
        if child.parent_id != parent.pk:
            problems.append(RowError(i, _("%(org)s is not directly under %(parent)s.")
                                     % {"org": child.name, "parent": parent.name}))  # fmt: skip
            continue
        try:
            _check_unit_valid(child, flt, today)
            rules.check_parent_not_below_children(
                new_value=value, children_total=_children_total(child, flt)
            )
        except DomainError as exc:
            problems.append(RowError(i, f"{child.name}: {exc.message}", "value"))
    if problems:
        raise BulkError(_("Nothing was saved; correct the rows below."), problems)
    untouched = _children_total(parent, flt, exclude={c.pk for c in values})
    rules.check_allocation(
        parent_value=parent_target.value,
        children_values=[untouched, *values.values()],
        new_value=0,
        parent_name=parent.name,
    )
    saved = []
    for child, value in values.items():
        target, _change = _save(
            actor=actor, unit=child, flt=flt, value=value, number=number,
            date=document_date, note="",
        )  # fmt: skip
        saved.append(target)
    record(
        action="targets.target.allocated",
        actor=actor,
        target=parent_target,
        org_unit=parent,
        data={
            "period": parent_target.period_label,
            "document": number,
            "values": {c.code: v for c, v in values.items()},
        },
    )
    return saved


@dataclass
class CarryOver:
    """What carrying a closed unit's target over to its successors would do."""

    unit: OrgUnit
    period_label: str
    target: int | None  # the closed unit's target for the period
    actual: int  # admitted by the unit in the period, up to its end
    remaining: int  # target − actual, not below zero
    successors: list[dict[str, Any]] = field(default_factory=list)  # unit, current, proposed


def carry_over_preview(
    unit: OrgUnit, *, year: int | None = None, term: Term | None = None
) -> CarryOver:
    """The closed unit's target and what remains of it, its successors (lineage) with their
    current target for the same period and a proposal (the remainder shared evenly)."""
    from ptdv.organizations.history import successors
    from ptdv.people.selectors import admitted_periods, people_count

    flt = _period_filter(year, term)
    start, end = _span(flt)
    own = Target.objects.filter(org_unit=unit, **flt).first()
    last = min(end, unit.valid_to) if unit.valid_to else end
    actual = people_count(admitted_periods(unit, start, last)) if start <= last else 0
    remaining = max((own.value if own else 0) - actual, 0)
    units = list(OrgUnit.objects.filter(pk__in=successors(unit)).order_by("sort_key", "path"))
    current = dict(
        Target.objects.filter(org_unit__in=units, **flt).values_list("org_unit_id", "value")
    )
    share, extra = divmod(remaining, len(units)) if units else (0, 0)
    rows = [
        {"unit": u, "current": current.get(u.pk), "proposed": share + (1 if i < extra else 0)}
        for i, u in enumerate(units)
    ]
    label = str(year) if year is not None else str(term)
    return CarryOver(unit, label, own.value if own else None, actual, remaining, rows)


@transaction.atomic
def targets_carry_over(
    *,
    actor: Any,
    unit: OrgUnit,
    values: dict[OrgUnit, int],
    document_number: str,
    document_date: dt.date | None,
    year: int | None = None,
    term: Term | None = None,
    today: dt.date | None = None,
) -> list[Target]:
    """Carry what remains of a closed unit's target for a year or term over to its
    successors, by the amounts chosen: each successor's target for the same period grows by
    its share. All or nothing; the shares together may not exceed what remains."""
    today = today or timezone.localdate()
    flt = _period_filter(year, term)
    number, document_date = _check_document(document_number, document_date, today)
    if unit.valid_to is None:
        raise DomainError(
            _("%(org)s is not closed: its target stays with it.") % {"org": unit.name},
            field="org_unit",
            code="unit_open",
        )
    preview = carry_over_preview(unit, year=year, term=term)
    if preview.target is None:
        raise DomainError(
            _("%(org)s has no target for this period to carry over.") % {"org": unit.name},
            code="no_target",
        )
    allowed = {row["unit"].pk: row for row in preview.successors}
    problems: list[RowError] = []
    for i, (succ, value) in enumerate(values.items(), start=1):
        if succ.pk not in allowed:
            problems.append(RowError(i, _("%(org)s is not a successor of %(old)s.")
                                     % {"org": succ.name, "old": unit.name}, "org_unit"))  # fmt: skip
            continue
        try:
            _check_perm(actor, succ)
            rules.check_value(value)
            if value:
                _check_unit_valid(succ, flt, today)
        except DomainError as exc:
            problems.append(RowError(i, f"{succ.name}: {exc.message}", "value"))
    if problems:
        raise BulkError(_("Nothing was saved; correct the rows below."), problems)
    total = sum(values.values())
    if total > preview.remaining:
        raise DomainError(
            _(
                "The shares total %(total)s, more than the %(remaining)s that remain of the "
                "target of %(org)s (target %(target)s, admitted %(actual)s)."
            )
            % {
                "total": total,
                "remaining": preview.remaining,
                "org": unit.name,
                "target": preview.target,
                "actual": preview.actual,
            },  # fmt: skip
            field="value",
            code="carry_over_exceeds",
        )
    saved = []
    for succ, value in values.items():
        if not value:
            continue
        new_value = (allowed[succ.pk]["current"] or 0) + value
        _validate(succ, flt, new_value)
        target, change = _save(
            actor=actor, unit=succ, flt=flt, value=new_value, number=number,
            date=document_date, note=_("Carried over from %(org)s") % {"org": unit.name},
        )  # fmt: skip
        record(
            action="targets.target.carried_over",
            actor=actor,
            target=target,
            org_unit=succ,
            data={
                "period": target.period_label,
                "from": unit.code,
                "carried": value,
                "value": change,
                "document": number,
            },  # fmt: skip
        )
        saved.append(target)
    return saved
