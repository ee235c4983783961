"""The vetting section of the case page: requests with their letters, replies, what the
guidance still asks to verify (``admissions.vetting``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.admissions import forms, selectors, vetting
from ptdv.admissions.models import AdmissionCase
from ptdv.core.errors import DomainError
from ptdv.people.models import Relative


def _relatives(case: AdmissionCase) -> Any:
    return Relative.objects.filter(person_id=case.person_id).order_by("relation", "id")


def case_vetting_context(request: HttpRequest, case: AdmissionCase) -> dict[str, Any]:
    today = timezone.localdate()
    can = case.stage in vetting.OPEN_FOR_REQUESTS and vetting.may_request(request.user, case, today)
    requests = list(vetting.requests_of(case))
    return {
        "requests": requests,
        "conclusion": getattr(case, "vetting_conclusion", None)
        if hasattr(case, "vetting_conclusion")
        else None,
        "missing": vetting.missing_subjects(case) if case.is_open else [],
        "can_request": can,
        "request_form": forms.VettingRequestForm(
            relatives=_relatives(case), initial={"sent_on": today}
        )
        if can
        else None,
        "reply_form": forms.VettingReplyForm(initial={"replied_on": today}) if can else None,
        "today": today,
    }


@gate("admissions.act")
@require_POST
def vetting_request_add(request: HttpRequest, uid: Any) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    form = forms.VettingRequestForm(request.POST, relatives=_relatives(case))
    if form.is_valid():
        d = form.cleaned_data
        try:
            vetting.vetting_request_add(
                actor=request.user,
                case=case,
                relative=d["relative"],
                addressee=d["addressee"],
                place=d["place"],
                number=d["number"],
                sent_on=d["sent_on"],
                due_on=d["due_on"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the vetting request."))
    return redirect(f"{case_url(case)}#vetting")


@gate("admissions.act")
@require_POST
def vetting_reply(request: HttpRequest, uid: Any, req: Any) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    row = vetting.requests_of(case).filter(uid=req).first()
    if row is None:
        raise Http404
    form = forms.VettingReplyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            vetting.vetting_reply_record(
                actor=request.user,
                request=row,
                replied_on=d["replied_on"],
                result=d["result"],
                note=d["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the reply."))
    return redirect(f"{case_url(case)}#vetting")


def case_url(case: AdmissionCase) -> str:
    from django.urls import reverse

    return reverse("admissions:case_detail", kwargs={"uid": case.uid})
