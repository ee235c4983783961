"""Configuration of course types (who may enrol, certificate validity, syllabus length)
for system administrators. Classes, enrolments and certificates change only through the
services (pages of this app)."""

from django.contrib import admin

from ptdv.training.models import CourseType


@admin.register(CourseType)
class CourseTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "audience",
        "certificate_validity_months",
        "usual_sessions",
        "usual_days",
        "min_attendance_ratio",
    ]
    readonly_fields = ["code"]

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
