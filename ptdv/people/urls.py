from django.urls import path

from ptdv.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<uuid:uid>/", views.person_detail, name="detail"),
    path("<uuid:uid>/edit/", views.person_edit, name="edit"),
    path("<uuid:uid>/events/new/", views.event_add, name="event_add"),
    path("<uuid:uid>/citizen-id/", views.citizen_id_reveal, name="reveal_citizen_id"),
]
