"""The person page's training panel: every class, result and certificate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from ptdv.training.selectors import person_training_history


def training_history_panel(request: HttpRequest, person: Any) -> str | None:
    rows = person_training_history(person.pk)
    today = timezone.localdate()
    return render_to_string(
        "training/_person_panel.html",
        {
            "rows": [(r, r.certificate_valid_on(today)) for r in rows],
            "person": person,
        },
        request=request,
    )


PERSON_PANELS = [(30, training_history_panel)]
