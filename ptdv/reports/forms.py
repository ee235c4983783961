"""Parsing of the report parameters (organization, period, as-of date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgUnit
from ptdv.reports.selectors import Period, check_period, org_for

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class ReportForm(forms.Form):
    org = forms.CharField(required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, input_formats=DATE_INPUTS
    )
    date_to = forms.DateField(
        label=gettext_lazy("To (as of)"), required=False, input_formats=DATE_INPUTS
    )
    as_of = forms.DateField(
        label=gettext_lazy("Members as of"), required=False, input_formats=DATE_INPUTS
    )


@dataclass
class Params:
    org: OrgUnit
    period: Period
    as_of: dt.date
    # "Quy đổi theo tổ chức hiện nay": predecessors' history counted for their successors
    restated: bool = False

    def query(self, **extra: Any) -> str:
        q = {
            "org": str(self.org.uid),
            "from": self.period.date_from.isoformat(),
            "to": self.period.date_to.isoformat(),
        }
        if self.restated:
            q["restated"] = "1"
        q |= {k: v for k, v in extra.items() if v is not None}
        return urlencode(q)


def parse(
    request: Any,
    *,
    default_from: dt.date | None = None,
    default_to: dt.date | None = None,
    default_as_of: dt.date | None = None,
) -> Params:
    """Organization (in the user's scope, else 404) and a valid period (else DomainError)."""
    today = timezone.localdate()
    get = request.GET
    data = {
        "org": get.get("org", ""),
        "date_from": get.get("from", ""),
        "date_to": get.get("to", ""),
        "as_of": get.get("as_of", ""),
    }
    try:
        org = org_for(request.user, data["org"] or None)
    except Http404:
        raise DomainError(
            _("This party organization does not exist or is outside your scope."),
            field="org",
            code="out_of_scope",
        ) from None
    form = ReportForm(data)
    if not form.is_valid():
        raise DomainError(_("Enter dates as dd/mm/yyyy."), field="date_from")
    date_to = form.cleaned_data["date_to"] or default_to or today
    date_from = form.cleaned_data["date_from"] or default_from or dt.date(date_to.year, 1, 1)
    period = Period(date_from, date_to)
    check_period(period, today=today)
    as_of = form.cleaned_data["as_of"] or default_as_of or date_to
    if as_of > today:
        raise DomainError(
            _("The as-of date cannot be in the future (today is %(today)s).")
            % {"today": today.strftime("%d/%m/%Y")},
            field="as_of",
        )
    restated = get.get("restated", "") in {"1", "true", "on"}
    return Params(org, period, as_of, restated)


def drill_url(key: str, params: Params, *, org: OrgUnit | None = None,
              period: Period | None = None) -> str:  # fmt: skip
    p = Params(org or params.org, period or params.period, params.as_of, params.restated)
    return reverse("reports:people") + "?" + p.query(key=key)
