"""The job pages' side of the queue (``ptdv.core.jobs``): who sees which job, its URL."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from ptdv.core.models import Job


def job_url(job: Job) -> str:
    return reverse("exchange:job", args=[job.uid])


def jobs_visible_to(user: Any) -> Any:
    if getattr(user, "is_superuser", False):
        return Job.objects.all()
    return (
        Job.objects.filter(user=user)
        if getattr(user, "is_authenticated", False)
        else Job.objects.none()
    )


def job_get_for(*, user: Any, uid: Any) -> Job:
    job = jobs_visible_to(user).filter(uid=uid).first()
    if job is None:
        raise Http404
    return job
