"""Course types are configured on the app's own page (/training/course-types/), through
``services.course_type_update`` which audits every change. The admin only shows them."""

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

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
