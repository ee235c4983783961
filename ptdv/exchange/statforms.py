"""The party's statistical forms as Excel, in their official layout (issue 16, point 5).

Source: Hướng dẫn số 11-HD/BTCTW ngày 13/12/2021 của Ban Tổ chức Trung ương "Thực hiện
biểu mẫu thống kê cơ bản về công tác tổ chức xây dựng Đảng" (VERIFIED to exist,
/work/shared/domain/rules-reference.md §7). Its tables could not be read: the NUMBER of
each table ("Biểu số …") and the exact bands of its columns are UNCERTAIN. The forms
below are laid out as the party's statistical tables are (title block with the
committee and the unit, the period, the unit rows, two-row column headers, a numbering
row) with the breakdowns the Organisation Commission reports (sex, ethnic minority,
religion, Youth Union, age bands, general and professional education, political theory,
occupation); the form number printed on the sheet says that it is not confirmed.

Every count is the number of distinct people of the single definitions used by every
other page: ``reports.selectors.admitted_periods`` (admitted in the period, age at the
ceremony) and ``reports.selectors.member_periods`` (members on the as-of date, age on
that date), filtered by the same conditions as the report indicators (women, ethnic
minorities, religious followers). The text of the sheet is Vietnamese whatever the
interface language (like the templates: a file for the party's paperwork).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.spreadsheet import safe_cell
from ptdv.exchange import vocab
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import children_on
from ptdv.people.choices import (
    KINH,
    Gender,
    GeneralEducation,
    Occupation,
    PoliticalTheory,
    ProfessionalEducation,
)
from ptdv.people.models import MEMBER_STATUSES, MembershipPeriod, MembershipStatus
from ptdv.reports.selectors import Period, admitted_periods, check_period, member_periods

GUIDANCE = "Hướng dẫn số 11-HD/BTCTW ngày 13/12/2021 của Ban Tổ chức Trung ương"
FORM_NUMBER_NOTE = "số hiệu biểu theo hướng dẫn: chưa xác định"  # UNCERTAIN, see above


@dataclass(frozen=True)
class Column:
    key: str
    group: str  # the merged upper header ("" for a column on its own)
    label: str
    q: Q


def _age(lo: int, hi: int | None) -> Q:
    """Age in whole years in [lo, hi] from ``age_diff`` (yyyymmdd difference)."""
    q = Q(age_diff__gte=lo * 10000)
    if hi is not None:
        q &= Q(age_diff__lt=(hi + 1) * 10000)
    return q


AGE_BANDS = ((18, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, None))
# the columns that count one value of a person's field each: key prefix, merged header,
# field, values (in the order of the form)
VALUE_GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "edu",
        "Giáo dục phổ thông",
        "education_general",
        (
            GeneralEducation.PRIMARY,
            GeneralEducation.LOWER_SECONDARY,
            GeneralEducation.UPPER_SECONDARY,
        ),
    ),
    (
        "pro",
        "Chuyên môn nghiệp vụ",
        "education_professional",
        (
            ProfessionalEducation.ELEMENTARY,
            ProfessionalEducation.INTERMEDIATE,
            ProfessionalEducation.COLLEGE,
            ProfessionalEducation.UNIVERSITY,
            ProfessionalEducation.MASTER,
            ProfessionalEducation.DOCTOR,
        ),
    ),
    (
        "theory",
        "Lý luận chính trị",
        "political_theory",
        (
            PoliticalTheory.ELEMENTARY,
            PoliticalTheory.INTERMEDIATE,
            PoliticalTheory.ADVANCED,
            PoliticalTheory.BACHELOR,
        ),
    ),
    ("occ", "Nghề nghiệp", "occupation", tuple(Occupation.values)),
)


def _columns(kind: str) -> list[Column]:
    cols = [Column("total", "", "Tổng số", Q())]
    if kind == "members":
        cols += [
            Column("official", "Trong đó", "Chính thức", Q(status=MembershipStatus.OFFICIAL)),
            Column("probationary", "Trong đó", "Dự bị", Q(status=MembershipStatus.PROBATIONARY)),
        ]
    cols += [
        Column("women", "Trong đó", "Nữ", Q(person__gender=Gender.FEMALE)),
        # the same conditions as the report indicators admitted.minority / .religious
        Column("minority", "Trong đó", "Dân tộc thiểu số", ~Q(person__ethnicity=KINH)),
        Column("religious", "Trong đó", "Tôn giáo", ~Q(person__religion="none")),
    ]
    if kind == "admitted":
        cols.append(
            Column("youth", "Trong đó", "Đoàn viên TNCS HCM", Q(person__youth_union_member=True))
        )
    for lo, hi in AGE_BANDS:
        label = f"Từ {lo} đến {hi}" if hi else f"Trên {lo - 1}"
        if lo == 18 and kind == "members":
            label, lo = "Đến 30", 0
        cols.append(Column(f"age_{lo}", "Độ tuổi", label, _age(lo, hi)))
    for prefix, group, field, values in VALUE_GROUPS:
        cols += [
            Column(
                f"{prefix}_{value}",
                group,
                vocab.label(field, value),
                Q(**{f"person__{field}": value}),
            )
            for value in values
        ]
    return cols


def _day_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def member_rows(unit: OrgUnit, period: Period) -> QuerySet[MembershipPeriod]:
    """Members of ``unit``'s subtree on the as-of date, with their age on that date."""
    dob = "person__date_of_birth"
    return member_periods(unit, period.date_to, list(MEMBER_STATUSES)).annotate(
        age_diff=Value(_day_key(period.date_to), output_field=IntegerField())
        - (ExtractYear(dob) * 10000 + ExtractMonth(dob) * 100 + ExtractDay(dob))
    )


def admitted_rows(unit: OrgUnit, period: Period) -> QuerySet[MembershipPeriod]:
    """Admitted in the period in ``unit``'s subtree (age at the ceremony: ``age_diff``)."""
    return admitted_periods(unit, period)


@dataclass(frozen=True)
class Form:
    kind: str
    title: str
    subtitle: Callable[[Period], str]
    rows: Callable[[OrgUnit, Period], QuerySet[MembershipPeriod]]
    sheet: str


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


FORMS: dict[str, Form] = {
    "stat_admitted": Form(
        "admitted",
        "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP",
        lambda p: f"Từ ngày {_dmy(p.date_from)} đến ngày {_dmy(p.date_to)}",
        admitted_rows,
        "Kết nạp",
    ),
    "stat_members": Form(
        "members",
        "THỐNG KÊ SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN",
        lambda p: f"Có đến ngày {_dmy(p.date_to)}",
        member_rows,
        "Chất lượng đảng viên",
    ),
}


def counts(form_key: str, unit: OrgUnit, period: Period) -> dict[str, int]:
    """Every column of the form for ``unit``'s subtree: distinct people, one query."""
    form = FORMS[form_key]
    cols = _columns(form.kind)
    qs = form.rows(unit, period)
    return qs.aggregate(**{c.key: Count("person_id", distinct=True, filter=c.q) for c in cols})  # type: ignore[no-any-return]


def table(form_key: str, unit: OrgUnit, period: Period) -> list[tuple[str, dict[str, int]]]:
    """The rows of the form: the whole unit, then each unit directly under it on the
    as-of date (its own subtree as the tree stood)."""
    rows = [(f"Toàn {unit.name}", counts(form_key, unit, period))]
    for child in children_on(unit, period.date_to):
        rows.append((child.name, counts(form_key, child, period)))
    return rows


def workbook(form_key: str, unit: OrgUnit, period: Period, *, user: Any) -> bytes:
    """The form as an .xlsx file for ``unit`` and ``period``; refused outside the user's
    scope or for a period that ends in the future."""
    import openpyxl

    if form_key not in FORMS:
        raise DomainError(_("Unknown kind of data."), code="invalid_kind")
    if not has_perm(user, "exchange.export", unit):
        raise DomainError(_("You may not export the data of this organization."), code="forbidden")
    check_period(period)
    form = FORMS[form_key]
    cols = _columns(form.kind)
    data = table(form_key, unit, period)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = form.sheet
    sheet = _Sheet(ws, width=2 + len(cols))
    _title_block(sheet, form, unit, period)
    _headers(sheet, cols)
    _body(sheet, cols, data)
    _signatures(sheet, foot=NUMBERS_ROW + len(data) + 2)
    buf = BytesIO()
    wb.save(buf)
    record(
        action="exchange.export",
        actor=user,
        target=unit,
        org_unit=unit,
        data={
            "kind": form_key,
            "from": period.date_from.isoformat(),
            "to": period.date_to.isoformat(),
        },
    )
    return buf.getvalue()


TOP_ROW, SUB_ROW, NUMBERS_ROW = 8, 9, 10  # two-row header, then the numbering row


class _Sheet:
    """The worksheet with the styles of the form and the place of its right-hand block."""

    def __init__(self, ws: Any, width: int) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter

        self.ws, self.width = ws, width
        self.last = get_column_letter(width)
        self.right = max(7, width - 6)
        self.bold = Font(bold=True)
        self.italic = Font(italic=True)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        thin = Side(style="thin")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)


def _title_block(sheet: _Sheet, form: Form, unit: OrgUnit, period: Period) -> None:
    """The committee and the unit on the left, the party on the right, then the title,
    the period and the guidance."""
    from openpyxl.styles import Font

    ws, width, right, bold = sheet.ws, sheet.width, sheet.right, sheet.bold
    parent = unit.parent.name if unit.parent is not None else ""
    safe_cell(ws.cell(row=1, column=1), (parent or unit.name).upper()).font = bold
    safe_cell(ws.cell(row=2, column=1), unit.name.upper() if parent else "").font = bold
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=6)
    safe_cell(ws.cell(row=1, column=right), "ĐẢNG CỘNG SẢN VIỆT NAM").font = bold
    ws.merge_cells(start_row=1, start_column=right, end_row=1, end_column=width)
    safe_cell(ws.cell(row=2, column=right), f"Biểu thống kê ({FORM_NUMBER_NOTE})")
    ws.merge_cells(start_row=2, start_column=right, end_row=2, end_column=width)
    for r, text in ((4, form.title), (5, form.subtitle(period)), (6, f"Theo {GUIDANCE}")):
        cell = safe_cell(ws.cell(row=r, column=1), text)
        cell.alignment = sheet.center
        cell.font = Font(bold=r == 4, italic=r == 6, size=14 if r == 4 else 11)
        ws.merge_cells(f"A{r}:{sheet.last}{r}")


def _headers(sheet: _Sheet, cols: list[Column]) -> None:
    """Two-row header: groups merged over their columns; a numbering row under it."""
    ws, top, sub = sheet.ws, TOP_ROW, SUB_ROW
    for col, text in ((1, "STT"), (2, "Tên đơn vị")):
        safe_cell(ws.cell(row=top, column=col), text)
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    i = 0
    while i < len(cols):
        group = cols[i].group
        j = i
        while j + 1 < len(cols) and group and cols[j + 1].group == group:
            j += 1
        first, end = 3 + i, 3 + j
        if group:
            safe_cell(ws.cell(row=top, column=first), group)
            if end > first:
                ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=end)
            for k in range(i, j + 1):
                safe_cell(ws.cell(row=sub, column=3 + k), cols[k].label)
        else:
            safe_cell(ws.cell(row=top, column=first), cols[i].label)
            ws.merge_cells(start_row=top, start_column=first, end_row=sub, end_column=first)
        i = j + 1
    for col in range(1, sheet.width + 1):
        ws.cell(row=NUMBERS_ROW, column=col, value=f"({col})")
        for r in (top, sub, NUMBERS_ROW):
            c = ws.cell(row=r, column=col)
            c.font = sheet.bold if r != NUMBERS_ROW else sheet.italic
            c.alignment = sheet.center
            c.border = sheet.box


def _body(sheet: _Sheet, cols: list[Column], data: list[tuple[str, dict[str, int]]]) -> None:
    """One row per unit (the whole unit first, in bold), then the sheet's widths."""
    from openpyxl.utils import get_column_letter

    ws = sheet.ws
    for n, (name, values) in enumerate(data, start=1):
        r = NUMBERS_ROW + n
        ws.cell(row=r, column=1, value=n if n > 1 else None)
        safe_cell(ws.cell(row=r, column=2), name)
        for k, c in enumerate(cols):
            ws.cell(row=r, column=3 + k, value=values[c.key])
        for col in range(1, sheet.width + 1):
            ws.cell(row=r, column=col).border = sheet.box
            if n == 1:
                ws.cell(row=r, column=col).font = sheet.bold
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 34
    for col in range(3, sheet.width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.row_dimensions[SUB_ROW].height = 60
    ws.freeze_panes = ws.cell(row=NUMBERS_ROW + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1


def _signatures(sheet: _Sheet, foot: int) -> None:
    ws, right = sheet.ws, sheet.right
    today = timezone.localdate()
    safe_cell(
        ws.cell(row=foot, column=right),
        f"…, ngày {today.day} tháng {today.month} năm {today.year}",
    )
    safe_cell(ws.cell(row=foot + 1, column=2), "NGƯỜI LẬP BIỂU").font = sheet.bold
    safe_cell(ws.cell(row=foot + 1, column=right), "T/M BAN THƯỜNG VỤ").font = sheet.bold


def column_labels(form_key: str) -> list[str]:
    return [c.label for c in _columns(FORMS[form_key].kind)]


def filename(form_key: str, unit: OrgUnit, period: Period) -> str:
    stem = {"stat_admitted": "bieu-ket-nap", "stat_members": "bieu-chat-luong-dang-vien"}
    return f"{stem[form_key]}-{unit.code}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx"
