from django.urls import path

from ptdv.training import views

app_name = "training"
urlpatterns = [
    path("", views.class_list, name="list"),
    path("calendar/", views.class_calendar, name="calendar"),
    path("new/", views.class_create, name="create"),
    path("<uuid:uid>/", views.class_detail, name="detail"),
    path("<uuid:uid>/status/", views.class_status, name="status"),
    path("<uuid:uid>/edit/", views.class_edit, name="edit"),
    path("<uuid:uid>/sessions/", views.class_sessions, name="sessions"),
    path("<uuid:uid>/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<uuid:uid>/sessions/<int:pk>/remove/", views.session_remove, name="session_remove"),
    path("course-types/", views.course_type_list, name="course_types"),
    path("course-types/<uuid:uid>/", views.course_type_edit, name="course_type_edit"),
    path("<uuid:uid>/nominate/", views.class_nominate, name="nominate"),
    path("<uuid:uid>/accept/", views.class_accept, name="accept"),
    path("<uuid:uid>/attendance/", views.class_attendance, name="attendance"),
    path("<uuid:uid>/results/", views.class_results, name="results"),
    path("<uuid:uid>/certificates/issue/", views.class_issue, name="issue"),
    path(
        "<uuid:uid>/certificates.<str:fmt>",
        views.class_certificates_print,
        name="certificates_print",
    ),
    path("<uuid:uid>/export.xlsx", views.class_export, name="export"),
    path("enrolments/<uuid:uid>/withdraw/", views.enrolment_withdraw, name="withdraw"),
    path("certificates/<uuid:uid>.<str:fmt>", views.certificate_print, name="certificate_print"),
]
