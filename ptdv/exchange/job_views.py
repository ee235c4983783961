"""Pages of the background jobs: list, status page, HTMX status fragment, download."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from ptdv.audit.files import file_response
from ptdv.core.http import AuthenticatedRequest
from ptdv.core.jobs import job_get_for, jobs_visible_to, reap_expired


def job_list(request: AuthenticatedRequest) -> HttpResponse:
    reap_expired()
    jobs = jobs_visible_to(request.user).select_related("user")[:50]
    return render(request, "exchange/job_list.html", {"jobs": jobs})


def job_detail(request: AuthenticatedRequest, uid: str) -> HttpResponse:
    reap_expired()
    job = job_get_for(user=request.user, uid=uid)
    if job.status == "done" and job.next_url and not job.result:
        # finished before the page was shown (a quick job, or one run inline) with nothing
        # to download here: go on at once, as the polled fragment would (HX-Redirect)
        return redirect(job.next_url)
    return render(request, "exchange/job_detail.html", {"job": job})


def job_status(request: AuthenticatedRequest, uid: str) -> HttpResponse:
    """The polled fragment; when the job is done and has a next page, HTMX goes there."""
    reap_expired()
    job = job_get_for(user=request.user, uid=uid)
    response = render(request, "exchange/_job_status.html", {"job": job})
    if job.is_finished and job.next_url and job.status == "done" and request.htmx:
        response["HX-Redirect"] = job.next_url
    return response


def job_download(request: AuthenticatedRequest, uid: str) -> FileResponse:
    job = job_get_for(user=request.user, uid=uid)
    if not job.result:
        raise Http404
    return file_response(
        actor=request.user, file=job.result, target=job, filename=job.result_name or "ptdv"
    )
