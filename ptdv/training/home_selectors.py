"""The political centre's next actions on its home page (classes the user manages, nearest
first); the class lists and figures are in ``selectors.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from ptdv.training.models import ClassStatus, EnrolmentStatus, TrainingClass
from ptdv.training.selectors import classes_visible_to


@dataclass(frozen=True)
class NextAction:
    klass: TrainingClass
    what: str  # "accept" | "start" | "attendance" | "results"
    due: dt.date
    count: int = 0  # nominations waiting (for "accept")


def next_actions_for(*, user: Any, today: dt.date, horizon_days: int = 30) -> list[NextAction]:
    """The political centre's next actions, nearest first: nominations to accept for a class
    opening soon, classes to start, attendance to take while a class runs, results to record
    for a class that has ended but is not closed. Only classes the user manages."""
    qs = (
        classes_visible_to(user, perm="training.manage")
        .exclude(status__in=[ClassStatus.FINISHED, ClassStatus.CANCELLED])
        .filter(start_on__lte=today + dt.timedelta(days=horizon_days))
        .select_related("course_type", "institution")
        .annotate(
            n_nominated=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.NOMINATED))
        )
    )
    out: list[NextAction] = []
    for k in qs:
        if k.end_on < today:
            out.append(NextAction(k, "results", k.end_on))
            continue
        if k.n_nominated:
            out.append(NextAction(k, "accept", k.start_on, k.n_nominated))
        if k.start_on >= today and k.status in (ClassStatus.PLANNED, ClassStatus.OPEN):
            out.append(NextAction(k, "start", k.start_on))
        if k.start_on <= today <= k.end_on:
            out.append(NextAction(k, "attendance", today))
    return sorted(out, key=lambda a: (a.due, a.klass.code, a.what))
