"""Generated people workbooks for the benchmark (streamed: write-only)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Triệu", "Lò", "Đặng"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hằng", "Hưng", "Lan", "Mùi", "Sơn", "Tú", "Yến"]
ETHNIC = ["Kinh", "Tày", "Dao", "Hmông", "Nùng"]
HEADER = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Tôn giáo",
    "Mã tổ chức đảng", "Tình trạng", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên",
]  # fmt: skip
CELLS = 20


def cell_code(i: int) -> str:
    return f"BX-{i % CELLS:02d}"


def write_people(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(HEADER)
    for i in range(n):
        female = rnd.random() < 0.5
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 40))
        digit = (born.year // 100 - 19) * 2 + (1 if female else 0)
        cid = f"006{digit}{born.year % 100:02d}{i:06d}"
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        kind = rnd.random()
        status, admitted, official, card = "Quần chúng", None, None, None
        if kind < 0.2:
            admitted = born.replace(day=min(born.day, 28)) + dt.timedelta(days=365 * 20)
            official = admitted + dt.timedelta(days=365)
            status, card = "Đảng viên chính thức", f"{i:08d}"
        elif kind < 0.3:
            admitted = dt.date(2025, 3, 1)
            status = "Đảng viên dự bị"
        ws.append([
            i + 1,
            name,
            born if i % 2 else born.strftime("%d/%m/%Y"),  # Excel dates and text dates
            "Nữ" if female else "Nam",
            cid if i % 3 else float(cid),  # some CCCD stored as numbers
            rnd.choice(ETHNIC),
            "Không",
            cell_code(i),
            status,
            admitted.strftime("%d/%m/%Y") if admitted else None,
            official,
            card,
        ])  # fmt: skip
    wb.save(path)
