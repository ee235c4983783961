"""Two officers deciding the same case at the same moment: exactly one succeeds."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase, Decision, StageChange
from ptdv.admissions.tests.conftest import TODAY, D, drive

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite locks the whole file")


def test_two_simultaneous_decisions_exactly_one_succeeds(world: Any) -> None:
    case = drive(world, "grassroots_voted")
    officer = world.personas.district_officer
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(number: str) -> None:
        try:
            stale = AdmissionCase.objects.get(pk=case.pk)  # both read "grassroots_voted"
            barrier.wait(timeout=10)
            S.admission_decide(
                actor=officer, case=stale, on=D(2024, 9, 5), number=number, today=TODAY
            )
            result = "ok"
        except S.StepRefusedError as exc:
            result = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=decide, args=(n,)) for n in ("1-QĐ/HU", "2-QĐ/HU")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ok", "stage.out_of_order"]
    assert Decision.objects.filter(case=case, kind="admission").count() == 1
    assert StageChange.objects.filter(case=case, to_stage="decided").count() == 1


def test_the_same_decision_submitted_twice_from_the_page_is_recorded_once(world: Any) -> None:
    """Two browsers (two sessions, two database connections) post the same decision form at
    the same moment: one is saved, the other is refused with the reason, one decision."""
    from django.test import Client
    from django.urls import reverse

    case = drive(world, "grassroots_voted")
    url = reverse("admissions:case_step", args=[case.uid, "decide"])
    body = {"on": "05/09/2024", "number": "15-QĐ/HU", "signer": "Bí thư"}
    clients = []
    for _ in range(2):
        c = Client()
        c.force_login(world.personas.district_officer)
        clients.append(c)
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def submit(client: Client) -> None:
        try:
            barrier.wait(timeout=10)
            r = client.post(url, body)
            with lock:
                answers.append((r.status_code, r.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(status for status, _ in answers) == [302, 400]
    refused = next(text for status, text in answers if status == 400)
    assert "Không thể thực hiện bước này" in refused
    assert Decision.objects.filter(case=case, kind="admission").count() == 1
    assert StageChange.objects.filter(case=case, to_stage="decided").count() == 1
