"""The columns of a restructuring plan file (shared with the import wizard's vocabulary,
so kept free of imports)."""

from __future__ import annotations

# field → (header of the template, other accepted headers)
HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "old_code": ("Mã đơn vị cũ", ("mã cũ", "đơn vị cũ", "old code", "old_code")),
    "new_code": ("Mã đơn vị mới", ("mã mới", "đơn vị mới", "new code", "new_code")),
    "new_name": ("Tên đơn vị mới", ("tên mới", "new name", "new_name")),
    "new_parent": (
        "Mã đơn vị cấp trên mới",
        ("mã cấp trên mới", "cấp trên mới", "new parent", "new_parent", "new parent code"),
    ),
    "date": ("Ngày hiệu lực", ("ngày có hiệu lực", "effective date", "date")),
    "decision_number": ("Số quyết định", ("số nghị quyết", "decision number", "decision")),
    "decision_date": ("Ngày quyết định", ("ngày ban hành", "decision date")),
    "decision_body": ("Cơ quan ban hành", ("cơ quan quyết định", "issuing body")),
    "note": ("Ghi chú", ("note",)),
    "authorised": (
        "Được ủy quyền kết nạp",
        ("được uỷ quyền kết nạp", "ủy quyền kết nạp", "authorised", "authorised to admit"),
    ),
}
COLUMNS = list(HEADERS)
