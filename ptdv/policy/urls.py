from django.urls import path

from ptdv.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/add/", views.calendar_add, name="calendar_add"),
    path("calendar/<uuid:uid>/delete/", views.calendar_delete, name="calendar_delete"),
    path("<str:code>/", views.policy_detail, name="detail"),
]
