"""Seed the three course types of the article (rules-reference §1.3, §5.1, §6.3).

The awareness certificate validity (60 months) is policy key
``cert.awareness.validity_months``; it is copied here because a data migration must not
import app code.
"""

from decimal import Decimal

from django.db import migrations

COURSE_TYPES = [
    # code, name, audience, validity months, sessions, days, ratio, order
    ("awareness", "Bồi dưỡng nhận thức về Đảng", "masses", 60, 5, 5, "0.80", 10),
    ("new_member", "Lý luận chính trị cho đảng viên mới", "probationary", None, 10, 7, "0.80", 20),
    (
        "cadre_skills",
        "Nghiệp vụ công tác đảng cho bí thư chi bộ và cấp ủy viên cơ sở",
        "cadres",
        None,
        5,
        5,
        "0.80",
        30,
    ),
]


def seed(apps, schema_editor):
    CourseType = apps.get_model("training", "CourseType")
    for code, name, audience, months, sessions, days, ratio, order in COURSE_TYPES:
        CourseType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "audience": audience,
                "certificate_validity_months": months,
                "usual_sessions": sessions,
                "usual_days": days,
                "min_attendance_ratio": Decimal(ratio),
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("training", "CourseType").objects.filter(
        code__in=[c[0] for c in COURSE_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
