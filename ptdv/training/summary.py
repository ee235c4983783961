"""Key ``classes`` of ``ptdv report summary``: per course type, classes and attendees.

Counting rule (also in ptdv/training/README.md): a class counts in the period of its START
date (both period ends inclusive), for an organization when the class serves an
organization in that organization's subtree or its institution is attached in the subtree;
cancelled classes do not count. Attendees are the class's accepted enrolments (nominations
not yet accepted and withdrawn enrolments do not count); a person in two classes counts
twice.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from ptdv.core.summary import SummaryContext
from ptdv.training.models import ClassStatus, CourseType, Enrolment, EnrolmentStatus, TrainingClass


def class_counts(ctx: SummaryContext) -> dict[str, dict[str, int]]:
    path = ctx.org.path
    in_scope = (
        TrainingClass.objects.filter(
            Q(served_units__path__startswith=path) | Q(institution__org_unit__path__startswith=path)
        )
        .filter(start_on__gte=ctx.date_from, start_on__lte=ctx.date_to)
        .exclude(status=ClassStatus.CANCELLED)
        .values("pk")
    )
    classes = dict(
        TrainingClass.objects.filter(pk__in=in_scope)
        .values("course_type__code")
        .annotate(n=Count("pk"))
        .values_list("course_type__code", "n")
    )
    attendees = dict(
        Enrolment.objects.filter(klass__in=in_scope, status=EnrolmentStatus.ACCEPTED)
        .values("klass__course_type__code")
        .annotate(n=Count("pk"))
        .values_list("klass__course_type__code", "n")
    )
    return {
        code: {"classes": classes.get(code, 0), "attendees": attendees.get(code, 0)}
        for code in CourseType.objects.order_by("order", "code").values_list("code", flat=True)
    }


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    return {"classes": class_counts(ctx)}
