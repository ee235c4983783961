"""Moving house on the web (issue 15 point 2): the person page's form that records a dated
move through ``residence.residence_move``, and the residence history it lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ptdv.access.gate import require_perm
from ptdv.core.errors import DomainError
from ptdv.core.forms import VNDateField
from ptdv.core.http import AuthenticatedRequest, add_domain_error
from ptdv.organizations.models import ResidentialUnit, villages_on_q
from ptdv.organizations.selectors import residential_units_visible_to, units_visible_to
from ptdv.people.models import Person, Residence
from ptdv.people.residence import place, residence_move
from ptdv.people.selectors import person_get_for


class VillageField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return place(obj)


class ResidenceMoveForm(forms.Form):
    village = VillageField(
        label=gettext_lazy("new place of residence"),
        queryset=ResidentialUnit.objects.none(),
        to_field_name="uid",
    )
    since = VNDateField(label=gettext_lazy("moved on"))
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=255)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["village"].queryset = (  # type: ignore[attr-defined]
            residential_units_visible_to(user)
            .select_related("org_unit")
            .order_by("org_unit__name", "name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        village, since = data.get("village"), data.get("since")
        if village is not None and since is not None:
            # the village must belong to the user's subtree on the move's date (dated tree)
            scope = units_visible_to(self.user).values("id")
            on_day = ResidentialUnit.objects.filter(villages_on_q(since, scope), pk=village.pk)
            if not on_day.exists():
                self.add_error(
                    "village",
                    _("%(village)s was not in your organizations on %(day)s.")
                    % {"village": village.name, "day": since.strftime("%d/%m/%Y")},
                )
        return data


def residence_history(person: Person) -> list[Residence]:
    """The person's dated residences, newest first (village and commune read at once)."""
    return list(
        Residence.objects.filter(person=person)
        .select_related("residential_unit__org_unit")
        .order_by("-since", "-id")
    )


@require_http_methods(["GET", "POST"])
def residence_move_view(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    form = ResidenceMoveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            residence_move(
                actor=request.user,
                person=person,
                village=d["village"],
                since=d["since"],
                reason=d["reason"],
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The move was recorded."))
            return redirect("people:detail", uid=person.uid)
    return render(
        request,
        "people/residence_form.html",
        {"form": form, "person": person, "rows": residence_history(person)},
    )
