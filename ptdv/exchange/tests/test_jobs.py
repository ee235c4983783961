from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from ptdv.exchange.jobs import start_job
from ptdv.exchange.models import Job

pytestmark = pytest.mark.django_db


def test_eager_job_runs_reports_progress_and_offers_file(personas: Any) -> None:
    user = personas.district_officer
    job = start_job("test.count", user, "ptdv.exchange.tests.jobfuncs.count_to", {"n": 4})
    assert job.status == "done"
    assert job.progress == 100
    assert job.result_name == "result.txt"
    assert job.result.read() == b"done"
    assert job.next_url == "/exchange/jobs/"


def test_domain_error_fails_job_with_its_message(personas: Any) -> None:
    job = start_job("t", personas.district_officer, "ptdv.exchange.tests.jobfuncs.refuse")
    assert job.status == "failed"
    assert job.message == "Không được."


def test_unexpected_error_fails_job_without_traceback(personas: Any, caplog: Any) -> None:
    job = start_job("t", personas.district_officer, "ptdv.exchange.tests.jobfuncs.crash")
    assert job.status == "failed"
    assert "boom" not in job.message


def test_job_function_outside_package_is_refused(personas: Any) -> None:
    with pytest.raises(ValueError):
        start_job("t", personas.district_officer, "os.system")


def test_job_pages_visible_only_to_owner(client: Any, personas: Any) -> None:
    job = start_job("t", personas.district_officer, "ptdv.exchange.tests.jobfuncs.count_to")
    for name, user in personas.all().items():
        client.force_login(user)
        for url_name in ("exchange:job", "exchange:job_status", "exchange:job_download"):
            r = client.get(reverse(url_name, args=[job.uid]))
            expected = 200 if name == "district_officer" else 404
            assert r.status_code == expected, (name, url_name)
    client.force_login(personas.district_officer)
    r = client.get(reverse("exchange:job_status", args=[job.uid]), HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == "/exchange/jobs/"
    assert b"job-download" in r.content
    assert client.get(reverse("exchange:jobs")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_thread_job_uses_its_own_connection(personas: Any, settings: Any) -> None:
    settings.PTDV_JOBS_EAGER = False
    job = start_job("t", personas.district_officer, "ptdv.exchange.tests.jobfuncs.count_to")
    for _ in range(200):
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == "done", job.message
    assert Job.objects.get(pk=job.pk).result_name == "result.txt"
