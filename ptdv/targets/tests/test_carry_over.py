"""Targets across a change of the tree: the validity rule (a table) and the carry-over
of a closed unit's target to its successors (service and page)."""

import datetime as dt

import pytest

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import BulkError, DomainError
from ptdv.organizations.services import org_unit_create, org_unit_merge
from ptdv.reports.tests.factories import member
from ptdv.targets import rules, services
from ptdv.targets.models import Target

D = dt.date
DOC = {"document_number": "12-QĐ/HU", "document_date": D(2025, 7, 5)}
OPEN = None


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "start", "end", "today", "code"),
    [
        # open unit: any period from its founding on
        (D(2000, 1, 1), OPEN, D(2025, 1, 1), D(2025, 12, 31), D(2025, 7, 1), None),
        (D(2000, 1, 1), OPEN, D(2030, 1, 1), D(2030, 12, 31), D(2025, 7, 1), None),
        # founded 1/7/2025: the year 2025 is fine, 2024 is not
        (D(2025, 7, 1), OPEN, D(2025, 1, 1), D(2025, 12, 31), D(2025, 8, 1), None),
        (D(2025, 7, 1), OPEN, D(2024, 1, 1), D(2024, 12, 31), D(2025, 8, 1), "unit_not_founded"),
        # ended 30/06/2025: a period after its end is refused, whatever today is
        (D(2000, 1, 1), D(2025, 6, 30), D(2026, 1, 1), D(2026, 12, 31), D(2025, 3, 1),
         "unit_ended"),
        (D(2000, 1, 1), D(2025, 6, 30), D(2025, 7, 1), D(2025, 12, 31), D(2025, 8, 1),
         "unit_ended"),
        # closed today: a period reaching past its end (the year, the term) is refused
        (D(2000, 1, 1), D(2025, 6, 30), D(2025, 1, 1), D(2025, 12, 31), D(2025, 8, 1),
         "unit_closed"),
        (D(2000, 1, 1), D(2025, 6, 30), D(2020, 1, 1), D(2025, 12, 31), D(2025, 8, 1),
         "unit_closed"),
        # ... a period within its life stays correctable after it closed
        (D(2000, 1, 1), D(2025, 6, 30), D(2024, 1, 1), D(2024, 12, 31), D(2026, 1, 1), None),
        # its end recorded ahead of time: the current year is still its own until then
        (D(2000, 1, 1), D(2025, 6, 30), D(2025, 1, 1), D(2025, 12, 31), D(2025, 3, 1), None),
        # last day of its life: the period starting that day is accepted
        (D(2000, 1, 1), D(2025, 6, 30), D(2025, 6, 30), D(2025, 6, 30), D(2025, 6, 30), None),
    ],
)  # fmt: skip
def test_unit_validity_rule(valid_from, valid_to, start, end, today, code):
    def check():
        rules.check_unit_valid_for(unit_name="Đảng bộ xã Xuân", valid_from=valid_from,
                                   valid_to=valid_to, period_start=start, period_end=end,
                                   today=today)  # fmt: skip

    if code is None:
        check()
    else:
        with pytest.raises(DomainError) as exc:
            check()
        assert exc.value.code == code
        assert "Đảng bộ xã Xuân" in exc.value.message


@pytest.fixture
def merged(tree, db):
    """A-X (target 10 for 2025, one admitted before its end) merged into a new commune
    committee of district A from 1/7/2025."""
    services.target_set(actor=None, org_unit=tree.district, year=2025, value=40,
                        document_number="01-KH/HU", document_date=D(2025, 1, 5),
                        today=D(2025, 1, 10))  # fmt: skip
    services.target_set(actor=None, org_unit=tree.grassroots, year=2025, value=10,
                        document_number="02-KH/HU", document_date=D(2025, 1, 5),
                        today=D(2025, 1, 10))  # fmt: skip
    member(tree.cell, D(2025, 3, 10))
    commune = org_unit_create(actor=None, code="XM", name="Đảng bộ xã Xuân Mới",
                              kind="grassroots_committee", parent=tree.district,
                              valid_from=D(2025, 7, 1))  # fmt: skip
    org_unit_merge(actor=None, units=[tree.grassroots], into=commune, date=D(2025, 7, 1))
    tree.grassroots.refresh_from_db()
    return commune


pytestmark = pytest.mark.django_db


def test_setting_a_target_of_a_closed_unit_is_refused(tree, personas, merged):
    n = Target.objects.count()
    for year in (2025, 2026):
        with pytest.raises(DomainError) as exc:
            services.target_set(actor=personas.district_officer, org_unit=tree.grassroots,
                                year=year, value=3, **DOC)  # fmt: skip
        assert "Đảng bộ xã Xuân" in exc.value.message and "30/06/2025" in exc.value.message
    with pytest.raises(BulkError) as bulk:
        services.targets_allocate(actor=personas.district_officer, parent=tree.district,
                                  year=2025, values={tree.grassroots: 2}, **DOC)  # fmt: skip
    assert "30/06/2025" in bulk.value.rows[0].message
    assert Target.objects.count() == n
    assert Target.objects.get(org_unit=tree.grassroots, year=2025).value == 10
    # a year of its life stays correctable
    services.target_set(actor=personas.district_officer, org_unit=tree.grassroots, year=2024,
                        value=8, **DOC)  # fmt: skip


def test_carry_over_preview_and_apply(tree, personas, merged):
    preview = services.carry_over_preview(tree.grassroots, year=2025)
    assert (preview.target, preview.actual, preview.remaining) == (10, 1, 9)
    assert [(r["unit"].code, r["current"], r["proposed"]) for r in preview.successors] == [
        ("XM", None, 9)
    ]
    with pytest.raises(DomainError) as exc:
        services.targets_carry_over(actor=personas.district_officer, unit=tree.grassroots,
                                    year=2025, values={merged: 10}, **DOC)  # fmt: skip
    assert "còn lại" in exc.value.message or "9" in exc.value.message
    assert not Target.objects.filter(org_unit=merged).exists()
    with pytest.raises(BulkError):  # not a successor
        services.targets_carry_over(actor=personas.district_officer, unit=tree.grassroots,
                                    year=2025, values={tree.sibling: 1}, **DOC)  # fmt: skip
    with pytest.raises(DomainError) as exc:  # an open unit keeps its target
        services.targets_carry_over(actor=personas.district_officer, unit=tree.district,
                                    year=2025, values={merged: 1}, **DOC)  # fmt: skip
    assert exc.value.code == "unit_open"
    (t,) = services.targets_carry_over(actor=personas.district_officer, unit=tree.grassroots,
                                       year=2025, values={merged: 9}, **DOC)  # fmt: skip
    assert (t.org_unit_id, t.year, t.value) == (merged.pk, 2025, 9)
    assert AuditEntry.objects.filter(action="targets.target.carried_over", target_id=t.pk).exists()
    # the predecessor's own target is history: unchanged
    assert Target.objects.get(org_unit=tree.grassroots, year=2025).value == 10


def test_carry_over_page(tree, personas, merged, client):
    client.force_login(personas.district_officer)
    url = f"/targets/carry-over/?org={tree.grassroots.uid}&year=2025"
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="remaining">9<' in html and f'name="value_{merged.uid}" value="9"' in html
    assert not Target.objects.filter(org_unit=merged).exists()  # a preview changes nothing
    form = {"org": str(tree.grassroots.uid), "year": "2025", f"value_{merged.uid}": "12",
            "document_number": "12-QĐ/HU", "document_date": "05/07/2025"}  # fmt: skip
    r = client.post("/targets/carry-over/", form)
    assert r.status_code == 200 and "Chưa lưu gì." in r.content.decode()
    assert "vượt quá 9 còn lại" in r.content.decode()  # the reason, in Vietnamese
    assert not Target.objects.filter(org_unit=merged).exists()
    r = client.post("/targets/carry-over/", {**form, f"value_{merged.uid}": "6"})
    assert r.status_code == 302
    assert Target.objects.get(org_unit=merged, year=2025).value == 6
    # the targets page of the closed unit links to the carry-over
    r = client.get(f"/targets/?org={tree.grassroots.uid}&year=2025")
    assert 'id="closed-org"' in r.content.decode()
