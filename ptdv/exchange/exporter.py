"""Excel templates and exports. An export re-imports to the same state (round trip):
it writes the same headers and value labels that the import reads."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.spreadsheet import safe_cell, safe_row
from ptdv.exchange import export_rows, statforms, vocab
from ptdv.organizations.models import OrgUnit
from ptdv.restructuring.columns import COLUMNS as PLAN_COLUMNS

DATE_FORMAT = "DD/MM/YYYY"

PEOPLE_COLUMNS = [
    "full_name",
    "date_of_birth",
    "gender",
    "citizen_id",
    "ethnicity",
    "religion",
    "hometown",
    "education_general",
    "education_professional",
    "political_theory",
    "occupation",
    "workplace",
    "phone",
    "youth_union_member",
    "other_names",
    "org_code",
    "status",
    "admitted_on",
    "official_on",
    "card_number",
]
ORG_COLUMNS = [
    "code",
    "name",
    "kind",
    "parent_code",
    "sector",
    "authorised_to_admit",
    "valid_from",
    "address",
]
ENROLMENT_COLUMNS = [
    "class_code",
    "institution_code",
    "course_type",
    "class_name",
    "start_on",
    "end_on",
    "full_name",
    "date_of_birth",
    "citizen_id",
    "passed",
    "score",
    "grade",
]
SOURCE_COLUMNS = [
    "full_name",
    "date_of_birth",
    "citizen_id",
    "org_code",
    "year",
    "term",
    "added_on",
    "helper_1",
    "helper_2",
    "note",
]
COLUMNS = {
    "people": PEOPLE_COLUMNS,
    "organizations": ORG_COLUMNS,
    "enrolments": ENROLMENT_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "restructuring": PLAN_COLUMNS,
}
EXPORTABLE = ("people", "sources", "organizations", "enrolments")
TEXT_FIELDS = {
    "term",
    "helper_1",
    "helper_2",
    "citizen_id",
    "card_number",
    "phone",
    "org_code",
    "code",
    "parent_code",
    "old_code",
    "new_code",
    "new_parent",
    "decision_number",
    "class_code",
    "institution_code",
}
DATE_FIELDS = {
    "date_of_birth",
    "admitted_on",
    "official_on",
    "valid_from",
    "start_on",
    "end_on",
    "added_on",
    "date",
    "decision_date",
}
LIST_FIELDS = [
    "gender",
    "ethnicity",
    "religion",
    "education_general",
    "education_professional",
    "political_theory",
    "occupation",
    "youth_union_member",
    "status",
    "kind",
    "sector",
    "authorised_to_admit",
    "course_type",
    "passed",
]
LISTS_SHEET = "Danh mục"


def _list_values(field: str) -> list[str]:
    """The values offered in a template's drop-down list for ``field``."""
    if field == "course_type":  # data of the training app, not a fixed vocabulary
        from ptdv.training.models import CourseType

        return list(CourseType.objects.order_by("order", "code").values_list("name", flat=True))
    return vocab.labels(field) if field in vocab.VALUE_LISTS else []


def headers(kind: str) -> list[str]:
    table = vocab.HEADERS[kind]
    return ["STT", *(table[f][0] for f in COLUMNS[kind])]


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


INSTRUCTIONS = [
    "HƯỚNG DẪN NHẬP DỮ LIỆU",
    "",
    "1. Nhập mỗi người (hoặc mỗi tổ chức đảng) trên một dòng của trang “Danh sách”, "
    "bắt đầu từ dòng 2. Không đổi tên các cột; có thể bỏ bớt cột không dùng.",
    "2. Ngày ghi theo dạng ngày/tháng/năm (ví dụ 05/09/1990) hoặc định dạng ngày của Excel.",
    "3. Số CCCD gồm đúng 12 chữ số; nên định dạng cột là Văn bản (Text) để giữ số 0 ở đầu.",
    "4. Các cột Giới tính, Dân tộc, Tôn giáo, Trình độ… chọn trong danh sách (xem trang "
    "“Danh mục”).",
    "5. Mã tổ chức đảng: mã của chi bộ trong hệ thống (xem trang Tổ chức đảng). Để trống "
    "thì người được ghi vào tổ chức đã chọn khi tải tệp lên.",
    "6. Đảng viên: ghi Tình trạng (Đảng viên dự bị / Đảng viên chính thức), Ngày vào Đảng; "
    "đảng viên chính thức ghi thêm Ngày chính thức.",
    "7. Hệ thống tìm người đã có theo số CCCD; không có CCCD thì theo họ tên và ngày sinh "
    "(phải xác nhận trước khi cập nhật).",
    "8. Tệp được kiểm tra toàn bộ trước khi nhập: có một lỗi thì không dòng nào được nhập. "
    "Nhập lại cùng một tệp không tạo bản ghi trùng. Một lần nhập có thể hoàn tác.",
    "9. Tệp .xlsx, tối đa 20 MB và 100.000 dòng; không đặt mật khẩu.",
    "10. Lớp học: lớp chưa có trong hệ thống được tạo khi ghi Mã cơ sở đào tạo, Loại lớp, "
    "Ngày khai giảng và Ngày bế giảng; các dòng cùng lớp phải ghi giống nhau. Kết quả ghi "
    "Đạt hoặc Không đạt, Điểm từ 0 đến 10 (ví dụ 8,5). Số buổi có mặt và giấy chứng nhận "
    "được ghi trên trang của lớp.",
]


SOURCE_INSTRUCTIONS = [
    "HƯỚNG DẪN NHẬP DANH SÁCH NGUỒN (QUẦN CHÚNG ƯU TÚ)",
    "",
    "1. Mỗi dòng của trang “Danh sách” là một người trong danh sách nguồn của một tổ chức "
    "đảng, bắt đầu từ dòng 2. Không đổi tên các cột; có thể bỏ bớt cột không dùng.",
    "2. Người phải có sẵn trong hệ thống (nhập theo mẫu “Người” trước). Hệ thống tìm người "
    "theo số CCCD; không có CCCD thì theo họ tên và ngày sinh (phải xác nhận trước khi nhập).",
    "3. Mã tổ chức đảng: mã của chi bộ hoặc đảng bộ có danh sách nguồn. Để trống thì dùng tổ "
    "chức đã chọn khi tải tệp lên.",
    "4. Ghi Năm (ví dụ 2025) cho danh sách nguồn hằng năm, hoặc Nhiệm kỳ (ví dụ 2020-2025) "
    "cho danh sách nguồn cả nhiệm kỳ; không ghi cả hai.",
    "5. Ngày đưa vào nguồn ghi theo dạng ngày/tháng/năm; để trống thì lấy ngày nhập.",
    "6. Đảng viên giúp đỡ: ghi số thẻ đảng viên (tốt nhất), số CCCD hoặc họ tên của đảng viên "
    "chính thức; nhiều người trong một ô thì cách nhau bằng dấu chấm phẩy (;).",
    "7. Người đã có trong danh sách thì giữ nguyên (nhập lại cùng một tệp không tạo bản ghi "
    "trùng); ghi chú mới và thay đổi người giúp đỡ làm trên trang danh sách nguồn.",
    "8. Tệp được kiểm tra toàn bộ trước khi nhập: có một lỗi thì không dòng nào được nhập. "
    "Một lần nhập có thể hoàn tác (người được đưa ra khỏi danh sách, lý do “hoàn tác”).",
    "9. Tệp .xlsx, tối đa 20 MB và 100.000 dòng; không đặt mật khẩu.",
]


PLAN_INSTRUCTIONS = [
    "Hướng dẫn lập phương án sắp xếp tổ chức đảng",
    "1. Mỗi dòng: Mã đơn vị cũ → Mã đơn vị mới, mã cấp trên mới, ngày hiệu lực và quyết định "
    "(số, ngày, cơ quan ban hành). Có thể lưu thành tệp .csv (UTF-8) thay cho .xlsx.",
    "2. Mã cũ = mã mới: đơn vị giữ nguyên, chuyển về cấp trên mới và/hoặc đổi tên từ ngày "
    "hiệu lực.",
    "3. Mã cũ → mã khác: đơn vị cũ kết thúc vào ngày trước ngày hiệu lực và hợp nhất vào đơn "
    "vị mới; nhiều dòng cùng mã mới là hợp nhất nhiều đơn vị. Mã mới chưa có thì được lập, "
    "lấy tên và cấp trên ở dòng đầu tiên nêu nó.",
    "4. Có mã cũ, để trống mã mới: giải thể (đơn vị không còn đảng viên, thôn, tổ chức trực "
    "thuộc). Để trống mã cũ: lập đơn vị mới (không có cấp trên là đảng bộ tỉnh).",
    "5. Mỗi đơn vị chỉ nêu ở một dòng làm đơn vị cũ. Thôn, hồ sơ kết nạp đang xử lý, danh "
    "sách nguồn, chỉ tiêu các năm sau và chức vụ của đơn vị kết thúc chuyển sang đơn vị nhận.",
    "6. Toàn bộ phương án được kiểm tra và xem trước (số đảng viên, hồ sơ, nguồn, thôn của "
    "từng đơn vị trước và sau); có một lỗi thì không dòng nào được áp dụng. Có thể hoàn tác "
    "cả phương án khi chưa có thay đổi nào sau dựa trên nó.",
]


def _validate(ws: Any, letter: str, title: str, error: str, **rule: str) -> None:
    """A data validation on a template column (rows 2–5000), blanks allowed, with its
    Vietnamese error message."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        **rule, allow_blank=True, showErrorMessage=True, errorTitle=title, error=error
    )
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}5000")


def build_template(kind: str) -> bytes:
    """An empty workbook with Vietnamese headers, drop-down lists and instructions."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(headers(kind))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    lists = wb.create_sheet(LISTS_SHEET)
    col = 0
    for index, field in enumerate(COLUMNS[kind], start=2):
        letter = _col_letter(index)
        ws.column_dimensions[letter].width = 18
        if field in TEXT_FIELDS:
            for row in range(2, 1002):
                ws.cell(row=row, column=index).number_format = "@"
        if field in DATE_FIELDS:
            for row in range(2, 1002):
                ws.cell(row=row, column=index).number_format = DATE_FORMAT
        values = _list_values(field) if field in LIST_FIELDS else []
        if values:
            col += 1
            list_letter = _col_letter(col)
            lists.cell(row=1, column=col, value=vocab.HEADERS[kind][field][0]).font = Font(
                bold=True
            )
            for r, value in enumerate(values, start=2):
                safe_cell(lists.cell(row=r, column=col), value)
            _validate(
                ws,
                letter,
                "Giá trị không hợp lệ",
                "Chọn một giá trị trong danh sách.",
                type="list",
                formula1=f"'{LISTS_SHEET}'!${list_letter}$2:${list_letter}${len(values) + 1}",
            )
        if field == "year":
            _validate(
                ws,
                letter,
                "Năm không hợp lệ",
                "Ghi năm bằng bốn chữ số, ví dụ 2025.",
                type="whole",
                operator="between",
                formula1="1930",
                formula2="2100",
            )
        if field == "term":
            _validate(
                ws,
                letter,
                "Nhiệm kỳ không hợp lệ",
                "Ghi nhiệm kỳ dạng 2020-2025.",
                type="textLength",
                operator="equal",
                formula1="9",
            )
    help_ws = wb.create_sheet("Hướng dẫn", 0)
    instructions = {"sources": SOURCE_INSTRUCTIONS, "restructuring": PLAN_INSTRUCTIONS}
    for line in instructions.get(kind, INSTRUCTIONS):
        help_ws.append([line])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.column_dimensions["A"].width = 120
    wb.active = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_workbook(
    *,
    kind: str,
    user: Any,
    org: OrgUnit,
    progress: Callable[[float], None] | None = None,
) -> tuple[bytes, int]:
    """The workbook of ``kind`` for ``org``'s subtree as the user may see it; audited."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if kind not in EXPORTABLE:
        raise DomainError(_("Unknown kind of data."), code="invalid_kind")
    if not has_perm(user, "exchange.export", org):
        raise DomainError(_("You may not export the data of this organization."), code="forbidden")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    bold = Font(bold=True)
    header_cells = []
    for text in headers(kind):
        c = WriteOnlyCell(ws, value=text)
        c.font = bold
        header_cells.append(c)
    ws.append(header_cells)
    total, rows = export_rows.rows(kind, user, org)
    fields = COLUMNS[kind]
    n = 0
    for n, values in enumerate(rows, start=1):
        out: list[Any] = [n]
        for field, value in zip(fields, values, strict=True):
            if isinstance(value, dt.date):
                c = WriteOnlyCell(ws, value=value)
                c.number_format = DATE_FORMAT
                out.append(c)
            elif field in TEXT_FIELDS and value:
                c = safe_cell(WriteOnlyCell(ws), str(value))
                c.number_format = "@"
                out.append(c)
            else:
                out.append(value if value not in (None, "") else None)
        ws.append(safe_row(ws, out))
        if progress and n % 500 == 0:
            progress(95 * n / max(total, 1))
    buffer = io.BytesIO()
    wb.save(buffer)
    record(
        action="exchange.export",
        actor=user,
        target=org,
        org_unit=org,
        data={"kind": kind, "rows": n},
    )
    return buffer.getvalue(), n


def export_filename(kind: str, org: OrgUnit, today: dt.date) -> str:
    name = {"people": "nguoi", "sources": "nguon", "enrolments": "lop-hoc"}.get(
        kind, "to-chuc-dang"
    )
    return f"{name}-{org.code}-{today:%Y%m%d}.xlsx"


def export_job(ctx: Any) -> None:
    from django.utils import timezone

    org = OrgUnit.objects.get(uid=ctx.params["org"])
    kind = ctx.params["kind"]
    if kind in statforms.FORMS:
        period = statforms.Period(
            dt.date.fromisoformat(ctx.params["from"]), dt.date.fromisoformat(ctx.params["to"])
        )
        ctx.progress(10, _("Counting…"))
        content = statforms.workbook(kind, org, period, user=ctx.user)
        ctx.save_file(statforms.filename(kind, org, period), content)
        ctx.message(_("The statistical form is ready."))
        return
    data, n = export_workbook(kind=kind, user=ctx.user, org=org, progress=ctx.progress)
    ctx.save_file(export_filename(kind, org, timezone.localdate()), data)
    ctx.message(_("%(n)s rows exported.") % {"n": n})
