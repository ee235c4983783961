"""Seed the known Tết breaks of 2025 and 2026 and the make-up Saturdays.

The weekdays of the breaks are also public holidays in the ``holidays`` package (0.109);
they are recorded here so that the administrator sees the whole break with its reason and
so that the calendar stays right if a package version differs. The numbers of the
government notices were taken from the references of the package where it cites them;
the others could not be checked and the rows say so (UNCERTAIN).
"""

import datetime as dt

from django.db import migrations

TET_2025 = (
    "Tết Ất Tỵ 2025: nghỉ 9 ngày liên tục từ thứ Bảy 25/01 đến hết Chủ nhật 02/02/2025 "
    "(5 ngày Tết theo Bộ luật Lao động 2019, Điều 112, và nghỉ bù ngày Tết trùng thứ Bảy 01/02)"
)
TET_2026 = (
    "Tết Bính Ngọ 2026: nghỉ 9 ngày liên tục từ thứ Bảy 14/02 đến hết Chủ nhật 22/02/2026 "
    "(5 ngày Tết theo Bộ luật Lao động 2019, Điều 112)"
)
NOTICE_2025 = (
    "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động – Thương binh và Xã hội về nghỉ "
    "Tết Âm lịch và dịp 30/4 – 1/5 năm 2025 (số văn bản theo tài liệu dẫn của gói holidays; "
    "chưa đọc toàn văn)"
)
NOTICE_2026 = (
    "Bộ luật Lao động 2019, Điều 112 (5 ngày Tết); thông báo nghỉ Tết Âm lịch 2026 của Bộ "
    "Nội vụ (UNCERTAIN: số văn bản chưa đối chiếu)"
)
NOTICE_2026_SEP = (
    "Theo gói holidays 0.109, dẫn thuvienphapluat.vn \"Lịch nghỉ lễ Quốc khánh 2/9 năm 2026\" "
    "(UNCERTAIN: văn bản chưa đối chiếu)"
)

ROWS = [
    *[(dt.date(2025, 1, d), "day_off", TET_2025, NOTICE_2025, False) for d in range(27, 32)],
    (
        dt.date(2025, 4, 26),
        "working_day",
        "Làm bù thứ Bảy 26/04/2025 cho ngày nghỉ thứ Sáu 02/05/2025 (dịp 30/4 – 1/5)",
        NOTICE_2025,
        False,
    ),
    (
        dt.date(2025, 5, 2),
        "day_off",
        "Nghỉ thứ Sáu 02/05/2025, hoán đổi với thứ Bảy 26/04/2025 (dịp 30/4 – 1/5)",
        NOTICE_2025,
        False,
    ),
    *[(dt.date(2026, 2, d), "day_off", TET_2026, NOTICE_2026, False) for d in range(16, 21)],
    (
        dt.date(2026, 8, 22),
        "working_day",
        "Làm bù thứ Bảy 22/08/2026 cho ngày nghỉ thứ Hai 31/08/2026 (dịp Quốc khánh)",
        NOTICE_2026_SEP,
        True,
    ),
    (
        dt.date(2026, 8, 31),
        "day_off",
        "Nghỉ thứ Hai 31/08/2026, hoán đổi với thứ Bảy 22/08/2026 (dịp Quốc khánh)",
        NOTICE_2026_SEP,
        True,
    ),
]


def seed(apps, schema_editor):
    SwappedDay = apps.get_model("policy", "SwappedDay")
    for day, kind, reason, decision, uncertain in ROWS:
        SwappedDay.objects.get_or_create(
            day=day,
            defaults={
                "kind": kind,
                "reason": reason,
                "decision": decision,
                "uncertain": uncertain,
            },
        )


def unseed(apps, schema_editor):
    SwappedDay = apps.get_model("policy", "SwappedDay")
    SwappedDay.objects.filter(day__in=[r[0] for r in ROWS], created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_swapped_day")]

    operations = [migrations.RunPython(seed, unseed)]
