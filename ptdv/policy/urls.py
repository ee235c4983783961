from django.urls import path

from ptdv.policy import area_views, views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("areas/", area_views.area_lists_page, name="areas"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/add/", views.calendar_add, name="calendar_add"),
    path("calendar/<uuid:uid>/delete/", views.calendar_delete, name="calendar_delete"),
    path("<str:code>/", views.policy_detail, name="detail"),
]
