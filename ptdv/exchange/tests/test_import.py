from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ptdv.exchange import services
from ptdv.exchange.models import ImportBatch
from ptdv.exchange.tests import corpus
from ptdv.people.models import Person

pytestmark = pytest.mark.django_db


def _batch(user: Any, unit: Any, path: Path, kind: str = "people") -> ImportBatch:
    return services.batch_create_from_path(
        actor=user, kind=kind, org_unit=unit, path=path, file_name=path.name
    )


def test_messy_workbook_imports_with_every_cell_understood(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    path = corpus.messy(tmp_path / "messy.xlsx")
    user = personas.district_officer
    batch = _batch(user, tree.grassroots, path)
    assert batch.header_rows == [3, 4]
    assert set(batch.mapping.values()) >= {
        "full_name",
        "date_of_birth",
        "citizen_id",
        "admitted_on",
        "official_on",
        "card_number",
        "org_code",
    }
    preview = services.batch_preview(actor=user, batch=batch)
    assert preview.problems == [], preview.problems
    assert Person.objects.count() == 0
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.committed and outcome.created == 4
    duc = Person.objects.get(citizen_id="001090012345")
    assert duc.full_name == "Nguyễn Văn Đức"
    assert duc.ethnicity == "02"
    assert duc.status == "official"
    assert duc.admitted_on == dt.date(2015, 3, 12)
    assert duc.card_number == "1234567"
    hang = Person.objects.get(citizen_id="002195001234")
    assert hang.full_name == "Hoàng Thị Thuý Hằng"
    assert hang.date_of_birth == dt.date(1995, 2, 3)
    den = Person.objects.get(full_name="Lò Văn Dền")
    assert den.status == "probationary" and den.org_unit == tree.other_cell
    mui = Person.objects.get(full_name="Triệu Thị Mùi")
    assert mui.date_of_birth == dt.date(1990, 5, 7)
    assert mui.citizen_id == "001190004321"
