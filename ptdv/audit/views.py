"""The audit log page, scoped to the user's subtrees."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ptdv.access.gate import gate
from ptdv.audit.labels import all_labels
from ptdv.audit.selectors import entries_visible_to, history_rows
from ptdv.core.http import AuthenticatedRequest, paginate, query_without_page
from ptdv.core.text import fold


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    q = forms.CharField(label=_("Object"), required=False, max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every registered action by its label (an officer does not know the codes).
        choices = sorted(((code, str(text)) for code, text in all_labels().items()),
                         key=lambda c: fold(c[1]))  # fmt: skip
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("All")), *choices]


@gate("audit.view")
@require_GET
def entry_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    qs = entries_visible_to(request.user).select_related("actor")
    if form.is_valid():
        if form.cleaned_data["action"]:
            qs = qs.filter(action__startswith=form.cleaned_data["action"])
        if form.cleaned_data["q"]:
            qs = qs.filter(target_repr__icontains=form.cleaned_data["q"])
    page = paginate(request, qs.order_by("-at", "-id"))
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "rows": history_rows(page.object_list),
            "query": query_without_page(request),
        },
    )
