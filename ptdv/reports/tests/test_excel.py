"""Workbooks are written row by row: the rows may be a generator, read once."""

import datetime as dt
import io

from openpyxl import load_workbook

from ptdv.reports.excel import DATE, NUMBER, TEXT, Column, Sheet, workbook_bytes


def test_rows_streamed_from_a_generator_keep_their_types() -> None:
    consumed = []

    def rows():
        for i in range(1, 2001):
            consumed.append(i)
            yield [i, f"=Người {i}", dt.date(2020, 1, 1) + dt.timedelta(days=i), "006090001234"]

    cols = [Column("No.", NUMBER), Column("Name", TEXT), Column("Day", DATE), Column("ID", TEXT)]
    data = workbook_bytes([Sheet("People", cols, rows(), heading="Chợ Đồn — 2020")])
    assert consumed == list(range(1, 2001))  # read once, in order
    ws = load_workbook(io.BytesIO(data))["People"]
    assert ws["A1"].value == "Chợ Đồn — 2020"
    assert [c.value for c in ws[3]] == ["No.", "Name", "Day", "ID"]
    assert ws.freeze_panes == "A4"
    first = ws[4]
    assert first[0].value == 1 and first[0].number_format == "#,##0"
    assert first[1].value == "=Người 1" and first[1].data_type == "s"  # never a formula
    assert first[2].value == dt.datetime(2020, 1, 2) and first[2].number_format == "dd/mm/yyyy"
    assert first[3].value == "006090001234" and first[3].number_format == "@"
    assert ws.max_row == 3 + 2000
