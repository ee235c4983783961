"""The special-area section of the case page (issue 15 point 2): where the applicant lives
on the date of the check, whether a decision lists it, and the officer's confirmation of
the cell's flag when it does not (``admissions.areas``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.access.permissions import has_perm
from ptdv.admissions import selectors
from ptdv.admissions.areas import area_flag_confirm, area_verdict
from ptdv.admissions.models import AdmissionCase, AreaFlagConfirmation
from ptdv.core.errors import DomainError
from ptdv.people.residence import residence_rows
from ptdv.policy.rules.areas import BASIS_UNCONFIRMED_FLAG


class AreaConfirmForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the cell's flag applies to this applicant"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def case_area_context(request: HttpRequest, case: AdmissionCase) -> dict[str, Any]:
    day = case.cell_vote_on or timezone.localdate()
    verdict = area_verdict(case, day)
    can = (
        case.is_open
        and verdict.basis == BASIS_UNCONFIRMED_FLAG
        and has_perm(request.user, "admissions.act", case.org_unit)
    )
    return {
        "verdict": verdict,
        "day": day,
        "residences": [
            {"place": place, "since": since, "until": until}
            for _vid, place, since, until in residence_rows(case.person)
        ],
        "confirmation": AreaFlagConfirmation.objects.filter(case=case)
        .select_related("confirmed_by")
        .first(),
        "form": AreaConfirmForm() if can else None,
    }


@gate("admissions.act")
@require_POST
def area_confirm(request: HttpRequest, uid: Any) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    require_perm(request.user, "admissions.act", case.org_unit)
    form = AreaConfirmForm(request.POST)
    if form.is_valid():
        try:
            area_flag_confirm(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write why the flag applies to this applicant."))
    return redirect(reverse("admissions:case_detail", args=[case.uid]) + "#special-area")
