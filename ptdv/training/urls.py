from django.urls import path

from ptdv.training.views import classes, course_types, lists, printing, roster

app_name = "training"
urlpatterns = [
    path("", lists.class_list, name="list"),
    path("calendar/", lists.class_calendar, name="calendar"),
    path("new/", classes.class_create, name="create"),
    path("<uuid:uid>/", classes.class_detail, name="detail"),
    path("<uuid:uid>/status/", classes.class_status, name="status"),
    path("<uuid:uid>/edit/", classes.class_edit, name="edit"),
    path("<uuid:uid>/sessions/", classes.class_sessions, name="sessions"),
    path("<uuid:uid>/sessions/<int:pk>/edit/", classes.session_edit, name="session_edit"),
    path("<uuid:uid>/sessions/<int:pk>/remove/", classes.session_remove, name="session_remove"),
    path("course-types/", course_types.course_type_list, name="course_types"),
    path("course-types/<uuid:uid>/", course_types.course_type_edit, name="course_type_edit"),
    path("<uuid:uid>/nominate/", roster.class_nominate, name="nominate"),
    path("<uuid:uid>/accept/", roster.class_accept, name="accept"),
    path("<uuid:uid>/attendance/", roster.class_attendance, name="attendance"),
    path("<uuid:uid>/results/", roster.class_results, name="results"),
    path("<uuid:uid>/certificates/issue/", roster.class_issue, name="issue"),
    path(
        "<uuid:uid>/certificates.<str:fmt>",
        printing.class_certificates_print,
        name="certificates_print",
    ),
    path("<uuid:uid>/export.xlsx", printing.class_export, name="export"),
    path("enrolments/<uuid:uid>/withdraw/", roster.enrolment_withdraw, name="withdraw"),
    path("certificates/<uuid:uid>.<str:fmt>", printing.certificate_print, name="certificate_print"),
]
