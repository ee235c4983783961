from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ptdv.core.jobs import start_job
from ptdv.core.models import Job

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


def test_job_left_by_a_dead_worker_is_shown_interrupted(
    client: Any, personas: Any, settings: Any
) -> None:
    """The status page reaps jobs whose lease expired: queued again while attempts remain,
    then failed with a Vietnamese message."""
    import datetime as dt

    from django.utils import timezone

    settings.PTDV_JOB_MAX_ATTEMPTS = 2
    user = personas.district_officer
    past = timezone.now() - dt.timedelta(seconds=1)
    future = timezone.now() + dt.timedelta(minutes=5)
    lost = Job.objects.create(
        kind="t", user=user, status="running", attempts=2, lease_expires_at=past
    )
    retried = Job.objects.create(
        kind="t", user=user, status="running", attempts=1, lease_expires_at=past
    )
    alive = Job.objects.create(
        kind="t", user=user, status="running", attempts=1, lease_expires_at=future
    )
    done = Job.objects.create(kind="t", user=user, status="done", progress=100)
    client.force_login(user)
    r = client.get(reverse("exchange:job_status", args=[lost.uid]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "bị gián đoạn" in r.content.decode()
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: "failed",
        retried.pk: "queued",
        alive.pk: "running",
        done.pk: "done",
    }
    lost.refresh_from_db()
    assert lost.finished_at is not None


def test_progress_is_a_heartbeat(personas: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from ptdv.core.jobs import JobContext

    job = Job.objects.create(kind="t", user=personas.district_officer, status="running")
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    JobContext(Job.objects.get(pk=job.pk)).progress(50)
    job.refresh_from_db()
    assert job.progress == 50
    assert timezone.now() - job.updated_at < dt.timedelta(minutes=1)
