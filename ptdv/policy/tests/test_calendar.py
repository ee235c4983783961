"""The swapped-day table: seeded data, services (audited, permission-checked), selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.policy import selectors, services
from ptdv.policy.models import SwapKind, SwappedDay

D = dt.date
pytestmark = pytest.mark.django_db


def test_seed_migration_holds_the_tet_breaks() -> None:
    off, work = selectors.swapped_days(D(2025, 1, 1), D(2026, 12, 31))
    assert {D(2025, 1, 27), D(2025, 1, 31), D(2026, 2, 16), D(2026, 2, 20)} <= off
    assert {D(2025, 4, 26), D(2026, 8, 22)} <= work
    assert all(s.reason and s.decision for s in SwappedDay.objects.all())


def test_selector_deadline_follows_the_table() -> None:
    # a hypothetical extra day off on Monday 10/03/2025 pushes a 1-day deadline
    assert selectors.add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 10)
    SwappedDay.objects.create(day=D(2025, 3, 10), kind=SwapKind.DAY_OFF, reason="test")
    assert selectors.add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 11)
    assert not selectors.is_working_day(D(2025, 3, 10))
    assert selectors.add_working_days(D(2025, 1, 20), 30) == D(2025, 3, 11)


def test_create_and_delete_are_audited(personas: Any) -> None:
    officer = personas.district_officer
    swap = services.swapped_day_create(
        actor=officer,
        day=D(2027, 3, 6),  # a Saturday
        kind=SwapKind.WORKING_DAY,
        reason="Làm bù",
        decision="Thông báo số 1/TB",
    )
    assert selectors.is_working_day(D(2027, 3, 6))
    entry = AuditEntry.objects.get(action="policy.swapped_day.created")
    assert entry.actor == officer and entry.target_id == swap.pk
    assert entry.data["new"]["day"] == "2027-03-06"
    assert entry.org_unit == personas.district_officer.positions.get().org_unit
    services.swapped_day_delete(actor=officer, swap=swap)
    assert not SwappedDay.objects.filter(day=D(2027, 3, 6)).exists()
    assert AuditEntry.objects.get(action="policy.swapped_day.deleted").data["old"]["kind"] == (
        "working_day"
    )


@pytest.mark.parametrize(
    ("day", "kind", "reason", "code"),
    [
        (D(2027, 3, 8), SwapKind.WORKING_DAY, "x", "already_working"),  # a Monday
        (D(2027, 3, 6), SwapKind.DAY_OFF, "x", "already_off"),  # a Saturday
        (D(2025, 1, 27), SwapKind.DAY_OFF, "x", "duplicate"),  # seeded
        (D(2027, 3, 8), SwapKind.DAY_OFF, "  ", "invalid"),
        (D(2027, 3, 8), "holiday", "x", "invalid"),
    ],
)
def test_create_refused(personas: Any, day: dt.date, kind: str, reason: str, code: str) -> None:
    before = SwappedDay.objects.count()
    with pytest.raises(DomainError) as err:
        services.swapped_day_create(
            actor=personas.district_officer, day=day, kind=kind, reason=reason
        )
    assert err.value.code == code
    assert SwappedDay.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="policy.").exists()


@pytest.mark.parametrize("name", ["cell_secretary", "viewer", "centre_staff"])
def test_only_the_organization_board_changes_the_calendar(personas: Any, name: str) -> None:
    with pytest.raises(PermissionDeniedError):
        services.swapped_day_create(
            actor=getattr(personas, name), day=D(2027, 3, 9), kind="day_off", reason="x"
        )
    swap = SwappedDay.objects.first()
    assert swap is not None
    with pytest.raises(PermissionDeniedError):
        services.swapped_day_delete(actor=getattr(personas, name), swap=swap)
