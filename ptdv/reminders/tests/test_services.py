"""The daily reminders with the database: the right recipients by position on the date,
escalation upwards, preferences, e-mail digests, nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from ptdv.access.models import Position, Role
from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase
from ptdv.reminders import services
from ptdv.reminders.models import Notification

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _thresholds(settings: Any) -> None:
    settings.PTDV_REMIND_BEFORE_WD = 5
    settings.PTDV_ESCALATE_AFTER_WD = 10
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _case(tree: Any, name: str, due_on: dt.date, kind: str, actor: Any) -> AdmissionCase:
    from ptdv.people.services import person_create

    person = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name=name,
        date_of_birth=D(2000, 1, 15),
        gender="male",
        audit=False,
    )
    case = S.case_open(
        actor=actor, person=person, cell=tree.cell, opened_on=D(2026, 1, 5), today=D(2026, 1, 5)
    )
    AdmissionCase.objects.filter(pk=case.pk).update(due_on=due_on, due_kind=kind)
    case.refresh_from_db()
    return case


def _user(name: str, unit: Any, start: dt.date, end: dt.date | None = None, **kw: Any) -> Any:
    u = get_user_model().objects.create_user(username=name, password="x", **kw)  # noqa: S106
    Position.objects.create(
        user=u, org_unit=unit, role=Role.COMMITTEE, term_start=start, term_end=end
    )
    return u


def _got(on: dt.date) -> set[tuple[str, str, str]]:
    return {
        (n.user.username, n.kind, n.subject)
        for n in Notification.objects.filter(created_on=on).select_related("user")
    }


def test_recipients_by_position_on_the_date_and_nothing_twice(tree, personas):
    _case(
        tree, "Lò Văn Lễ", D(2026, 3, 12), "ceremony", personas.district_officer
    )  # the cell answers
    _case(
        tree, "Hà Thị Quyết", D(2026, 3, 13), "decision", personas.district_officer
    )  # the deciding committee (A)
    # the grassroots committee's secretary changes on 20/03/2026
    old = _user("bithu.cu", tree.grassroots, D(2021, 1, 1), D(2026, 3, 20))
    new = _user("bithu.moi", tree.grassroots, D(2026, 3, 21), email="moi@example.org")

    r = services.remind(D(2026, 3, 10))
    assert _got(D(2026, 3, 10)) == {
        ("bithu", "approaching", "Lò Văn Lễ"),
        ("bantochuc", "approaching", "Hà Thị Quyết"),
    }
    assert r.counts() == {"approaching": 2, "overdue": 0, "escalated": 0}
    # the leader, the political centre and district B get nothing
    assert not Notification.objects.filter(
        user__in=[personas.viewer, personas.centre_staff, personas.sibling_officer]
    ).exists()

    again = services.remind(D(2026, 3, 10))
    assert again.created == [] and again.skipped_existing == 2
    assert Notification.objects.count() == 2
    # the next day: still approaching, already told
    assert services.remind(D(2026, 3, 11)).created == []

    # overdue on 13/03: the cell's secretary is told; 10 working days late (27/03): the
    # grassroots committee above the cell, whoever holds the position on that day
    services.remind(D(2026, 3, 13))
    assert ("bithu", "overdue", "Lò Văn Lễ") in _got(D(2026, 3, 13))
    services.remind(D(2026, 3, 25))
    assert not Notification.objects.filter(kind="escalated", subject="Lò Văn Lễ").exists()
    services.remind(D(2026, 3, 26))
    esc = Notification.objects.filter(kind="escalated", subject="Lò Văn Lễ")
    assert [n.user for n in esc] == [new]
    assert esc.get().org_unit == tree.cell and esc.get().days_overdue == 10
    assert not Notification.objects.filter(user=old).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["moi@example.org"]
    assert "Lò Văn Lễ" in mail.outbox[0].body and "Chi bộ thôn Nà Pậu" in mail.outbox[0].body
    services.remind(D(2026, 3, 27))
    assert len(mail.outbox) == 1  # nothing new, no e-mail


def test_nobody_at_the_cell_goes_to_the_nearest_committee_with_holders(tree, personas):
    _case(tree, "Lò Văn Lễ", D(2026, 3, 12), "ceremony", personas.district_officer)
    Position.objects.filter(user=personas.cell_secretary).update(term_end=D(2026, 1, 31))
    services.remind(D(2026, 3, 10))
    assert _got(D(2026, 3, 10)) == {("bantochuc", "approaching", "Lò Văn Lễ")}


def test_preferences_and_dry_run(tree, personas):
    _case(tree, "Lò Văn Lễ", D(2026, 3, 12), "ceremony", personas.district_officer)
    services.preference_set(personas.cell_secretary, {"approaching": "off"})
    assert services.remind(D(2026, 3, 10)).created == []
    services.preference_set(personas.cell_secretary, {"approaching": "inbox", "overdue": "off"})
    dry = services.remind(D(2026, 3, 10), dry_run=True)
    assert [(p.user, p.kind) for p in dry.created] == [(personas.cell_secretary, "approaching")]
    assert Notification.objects.count() == 0
    personas.cell_secretary.email = "bithu@example.org"
    personas.cell_secretary.save()
    services.remind(D(2026, 3, 10))
    assert Notification.objects.count() == 1 and mail.outbox == []  # inbox only
    services.remind(D(2026, 3, 16))
    assert Notification.objects.count() == 1  # overdue: off


def test_command(tree, personas, capsys):
    _case(tree, "Lò Văn Lễ", D(2026, 3, 12), "ceremony", personas.district_officer)
    call_command("remind", "--date", "10/03/2026", "--dry-run")
    out = capsys.readouterr().out
    assert "1 nhắc sắp đến hạn" in out and "bithu" in out
    assert Notification.objects.count() == 0
    call_command("remind", "--date", "2026-03-10")
    assert Notification.objects.count() == 1
    call_command("remind", "--date", "2026-03-10")
    assert "1 đã gửi trước đó" in capsys.readouterr().out
