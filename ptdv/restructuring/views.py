"""The restructuring wizard: one operation at a time (merge, split, dissolve, move,
rename) with its decision and the explicit choices of where things go; "Preview" runs the
operation in a transaction that is rolled back and shows the counts before and after,
"Apply" records it; the list offers the undo of each operation nothing later depends on.
Plans of many rows go through the import (kind "restructuring") or ``ptdv restructure``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ptdv.access.gate import gate
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error
from ptdv.organizations import history
from ptdv.organizations.selectors import units_editable_by
from ptdv.restructuring import forms as f
from ptdv.restructuring import selectors, services
from ptdv.restructuring.services import Carry, Decision

KINDS: dict[str, tuple[type[f.OperationForm], Any]] = {
    "merge": (f.MergeForm, gettext_lazy("Merge several organizations into one")),
    "split": (f.SplitForm, gettext_lazy("Split one organization into several")),
    "dissolve": (f.DissolveForm, gettext_lazy("Dissolve an organization")),
    "move": (f.MoveForm, gettext_lazy("Move an organization under another one")),
    "rename": (f.RenameForm, gettext_lazy("Rename an organization")),
}


@gate("orgs.edit")
def index(request: AuthenticatedRequest) -> HttpResponse:
    ctx = {
        "kinds": [(k, label) for k, (_form, label) in KINDS.items()],
        "operations": selectors.operations_for(request.user),
    }
    return render(request, "restructuring/index.html", ctx)


@gate("orgs.edit")
@require_POST
def undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    op = next((op for op, _p in selectors.operations_for(request.user, 200) if op.pk == pk), None)
    if op is None:
        raise Http404
    try:
        services.restructure_undo(actor=request.user, op=op)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The change was undone."))
    return redirect("restructuring:index")


def _decision(data: dict[str, Any]) -> Decision:
    return Decision(
        number=data["decision_number"], date=data.get("decision_date"), body=data["decision_body"]
    )


def _carry(data: dict[str, Any]) -> Carry:
    targets: dict[str, Any] = {name: data.get(f"{name}_to") for name in f.CARRY_FIELDS}
    return Carry(**targets)


Plan = tuple[Callable[[], Any], Callable[[], list[Any]], dt.date]


def _merge(user: Any, data: dict[str, Any]) -> Plan:
    units, day = list(data["units"]), data["date"]

    @transaction.atomic
    def apply() -> Any:
        into, created = data["into"], []
        if into is None:
            into = services.create_unit(
                actor=user,
                code=data["new_code"],
                name=data["new_name"],
                parent=data["new_parent"] or history.parent_on(units[0], day - history.DAY),
                like=units[0],
                date=day,
            )
            created = [into]
        return services.merge(
            actor=user,
            units=units,
            into=into,
            date=day,
            decision=_decision(data),
            carry=_carry(data),
            created=created,
        )

    def affected() -> list[Any]:
        extra = [data["into"]] if data["into"] else []
        return [*units, *extra, *selectors.units_by_code([data.get("new_code") or ""])]

    return apply, affected, day


def _dissolve(user: Any, data: dict[str, Any]) -> Plan:
    unit, day = data["unit"], data["date"]
    carry = _carry(data)

    def apply() -> Any:
        return services.dissolve(
            actor=user, unit=unit, date=day, decision=_decision(data), carry=carry
        )

    def affected() -> list[Any]:
        extra = [getattr(carry, n) for n in f.CARRY_FIELDS if getattr(carry, n)]
        return [unit, *extra]

    return apply, affected, day


def _move(user: Any, data: dict[str, Any]) -> Plan:
    unit, parent, day = data["unit"], data["new_parent"], data["date"]
    old = history.parent_on(unit, day)

    def apply() -> Any:
        return services.move(
            actor=user, unit=unit, new_parent=parent, date=day, decision=_decision(data)
        )

    return apply, lambda: [unit, *([old] if old else []), parent], day


def _rename(user: Any, data: dict[str, Any]) -> Plan:
    unit, day = data["unit"], data["date"]

    def apply() -> Any:
        return services.rename(
            actor=user, unit=unit, new_name=data["new_name"], date=day, decision=_decision(data)
        )

    return apply, lambda: [unit], day


def _split_form(request: AuthenticatedRequest, units: Any) -> tuple[f.SplitForm, Plan | None]:
    """The split form, with one choice per record once the unit, the date and the
    successors are known; the plan once the form is valid."""
    first = f.SplitForm(request.POST, units=units)
    if not first.is_valid():
        return first, None
    data = first.cleaned_data
    unit, day = data["unit"], data["date"]
    existing = list(data["successors"])
    new = data["new_successors"]
    choices = [(str(u.uid), f"{u.name} ({u.code})") for u in existing] + [
        (f"new:{code}", f"{name} ({code}, {_('new')})") for code, name in new
    ]
    rec = selectors.split_records(unit, day)
    form = f.SplitForm(request.POST, units=units)
    form.add_assignments(
        choices,
        [
            ("child", _("Subordinate organizations"), [(str(c.pk), str(c)) for c in rec.children]),
            ("member", _("Members kept directly"), [(str(p.pk), str(p)) for p in rec.members]),
            ("case", _("Open admission cases"), [(str(c.pk), str(c.person)) for c in rec.cases]),
            ("village", _("Villages"), [(str(v.pk), str(v)) for v in rec.villages]),
        ],
    )
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    user = request.user

    @transaction.atomic
    def apply() -> Any:
        heirs: dict[str, Any] = {str(u.uid): u for u in existing}
        created = []
        parent = history.parent_on(unit, day - history.DAY)
        for code, name in new:
            u = services.create_unit(
                actor=user, code=code, name=name, parent=parent, like=unit, date=day
            )
            heirs[f"new:{code}"] = u
            created.append(u)

        def pick(prefix: str, key: Any) -> Any:
            return heirs.get(data.get(f"{prefix}_{key}") or "")

        parts = [(h, [c for c in rec.children if pick("child", c.pk) is h]) for h in heirs.values()]
        carry = Carry(
            members_each={p.pk: pick("member", p.pk) for p in rec.members if pick("member", p.pk)},
            cases_each={c.pk: pick("case", c.pk) for c in rec.cases if pick("case", c.pk)},
            villages_each={
                v.pk: pick("village", v.pk) for v in rec.villages if pick("village", v.pk)
            },
            sources=heirs.get(data.get("sources_to") or ""),
            targets=heirs.get(data.get("targets_to") or ""),
            positions=heirs.get(data.get("positions_to") or ""),
        )
        return services.split(
            actor=user,
            unit=unit,
            parts=parts,
            date=day,
            decision=_decision(data),
            carry=carry,
            created=created,
        )

    def affected() -> list[Any]:
        return [unit, *existing, *selectors.units_by_code([c for c, _n in new])]

    return form, (apply, affected, day)


BUILDERS: dict[str, Callable[[Any, dict[str, Any]], Plan]] = {
    "merge": _merge,
    "dissolve": _dissolve,
    "move": _move,
    "rename": _rename,
}


@gate("orgs.edit")
@require_http_methods(["GET", "POST"])
def operation(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    form_class, title = KINDS[kind]
    units = units_editable_by(request.user, on=timezone.localdate())
    lines = None
    plan: Plan | None = None
    if request.method != "POST":
        form: Any = form_class(units=units, initial={"date": timezone.localdate()})
    elif kind == "split":
        form, plan = _split_form(request, units)
    else:
        form = form_class(request.POST, units=units)
        if form.is_valid():
            plan = BUILDERS[kind](request.user, form.cleaned_data)
    action = request.POST.get("action", "")
    if plan is not None and action in {"preview", "apply"}:
        apply, affected, day = plan
        try:
            if action == "apply":
                op = apply()
                messages.success(
                    request,
                    _("Recorded from %(date)s: %(summary)s")
                    % {"date": op.date.strftime("%d/%m/%Y"), "summary": op.summary},
                )
                return redirect("restructuring:index")
            lines = selectors.preview(apply, affected, day)
        except DomainError as exc:
            add_domain_error(form, exc)
    ctx = {
        "kind": kind,
        "title": title,
        "form": form,
        "lines": lines,
        "groups": [
            (t, [form[n] for n in names]) for t, names in getattr(form, "assignment_groups", [])
        ],
        "grouped": {n for _t, names in getattr(form, "assignment_groups", []) for n in names},
    }
    return render(request, "restructuring/operation.html", ctx)
