import datetime as dt

import pytest

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import BulkError, DomainError
from ptdv.reports.targets import target_table, yearly_series
from ptdv.reports.tests.factories import member
from ptdv.targets import services
from ptdv.targets.models import Target

DOC = {"document_number": "05-KH/HU", "document_date": dt.date(2023, 1, 10)}
TODAY = dt.date(2024, 6, 30)


def _set(actor, unit, value, year=2023):
    return services.target_set(actor=actor, org_unit=unit, year=year, value=value, today=TODAY,
                               **DOC)  # fmt: skip


def test_set_and_audit(tree, personas):
    t = _set(personas.district_officer, tree.district, 10)
    assert t.value == 10 and t.set_by == personas.district_officer
    assert AuditEntry.objects.filter(action="targets.target.set", target_id=t.pk).exists()
    _set(personas.district_officer, tree.district, 12)
    assert Target.objects.get(pk=t.pk).value == 12


def test_negative_refused(tree, personas):
    with pytest.raises(DomainError):
        _set(personas.district_officer, tree.district, -1)
    assert not Target.objects.exists()


def test_document_required_and_not_future(tree, personas):
    with pytest.raises(DomainError):
        services.target_set(actor=None, org_unit=tree.district, year=2023, value=1,
                            document_number=" ", document_date=dt.date(2023, 1, 1))  # fmt: skip
    with pytest.raises(DomainError):
        services.target_set(actor=None, org_unit=tree.district, year=2023, value=1,
                            document_number="1", document_date=dt.date(2099, 1, 1))  # fmt: skip


def test_child_above_parent_refused(tree, personas):
    officer = personas.district_officer
    _set(officer, tree.district, 10)
    _set(officer, tree.grassroots, 6)
    with pytest.raises(DomainError) as exc:
        _set(officer, tree.grassroots_cell, 5)
    assert "10" in exc.value.message
    assert not Target.objects.filter(org_unit=tree.grassroots_cell).exists()
    _set(officer, tree.grassroots_cell, 4)
    with pytest.raises(DomainError):  # parent cannot drop below its allocations
        _set(officer, tree.district, 9)


def test_allocate_all_or_nothing(tree, personas):
    officer = personas.district_officer
    _set(officer, tree.district, 10)
    with pytest.raises(DomainError):
        services.targets_allocate(actor=officer, parent=tree.district, year=2023, today=TODAY,
                                  values={tree.grassroots: 6, tree.grassroots_cell: 5}, **DOC)  # fmt: skip
    assert Target.objects.count() == 1
    with pytest.raises(BulkError):
        services.targets_allocate(actor=officer, parent=tree.district, year=2023, today=TODAY,
                                  values={tree.grassroots: -1, tree.grassroots_cell: 5}, **DOC)  # fmt: skip
    assert Target.objects.count() == 1
    services.targets_allocate(actor=officer, parent=tree.district, year=2023, today=TODAY,
                              values={tree.grassroots: 6, tree.grassroots_cell: 4}, **DOC)  # fmt: skip
    assert Target.objects.count() == 3
    assert AuditEntry.objects.filter(action="targets.target.allocated").count() == 1


def test_permission(tree, personas):
    for user in (personas.cell_secretary, personas.viewer, personas.sibling_officer):
        with pytest.raises(DomainError):
            _set(user, tree.district, 1)


def test_actual_rolls_up(tree, personas):
    officer = personas.district_officer
    _set(officer, tree.district, 3)
    _set(officer, tree.grassroots, 2)
    member(tree.cell, dt.date(2023, 3, 1))
    member(tree.other_cell, dt.date(2023, 4, 1))
    member(tree.grassroots_cell, dt.date(2023, 5, 1))
    member(tree.cell, dt.date(2022, 5, 1))  # another year
    member(tree.sibling_cell, dt.date(2023, 5, 1))  # another subtree
    table = target_table(tree.district, year=2023, today=TODAY)
    assert table["parent"].actual == 3 and table["parent"].status == "met"
    rows = {r.org.pk: r for r in table["children"]}
    assert rows[tree.grassroots.pk].actual == 2
    assert rows[tree.grassroots.pk].percent == 100
    assert rows[tree.grassroots_cell.pk].actual == 1
    assert rows[tree.grassroots_cell.pk].status == "no_target"
    series = yearly_series(tree.district, [2022, 2023], today=TODAY)
    assert [(s["year"], s["target"], s["actual"]) for s in series] == [
        (2022, None, 1),
        (2023, 3, 3),
    ]


def test_forecast_only_current_year(tree, personas):
    _set(personas.district_officer, tree.district, 3, year=2024)
    table = target_table(tree.district, year=2024, today=TODAY)
    assert table["current"] and table["parent"].forecast == 0
    assert target_table(tree.district, year=2023, today=TODAY)["parent"].forecast is None
