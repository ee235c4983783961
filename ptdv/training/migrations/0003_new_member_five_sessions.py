"""The new-member class: ten topics over about a week, taught in five day-long sessions
(two topics a day); attendance is marked per session."""

from django.db import migrations


def forward(apps, schema_editor):
    apps.get_model("training", "CourseType").objects.filter(code="new_member").update(
        usual_sessions=5
    )


def backward(apps, schema_editor):
    apps.get_model("training", "CourseType").objects.filter(code="new_member").update(
        usual_sessions=10
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0002_seed_course_types")]
    operations = [migrations.RunPython(forward, backward)]
