from django.urls import path

from ptdv.people import residence_views, views
from ptdv.people.transfers import views as tv

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("<uuid:uid>/", views.person_detail, name="detail"),
    path("<uuid:uid>/edit/", views.person_edit, name="edit"),
    path("<uuid:uid>/events/new/", views.event_add, name="event_add"),
    path("<uuid:uid>/citizen-id/", views.citizen_id_reveal, name="reveal_citizen_id"),
    path("<uuid:uid>/relatives/", views.relatives, name="relatives"),
    path("<uuid:uid>/residence/", residence_views.residence_move_view, name="residence_move"),
    path("<uuid:uid>/transfer/", tv.transfer_issue, name="transfer_issue"),
    path("<uuid:uid>/arrival/", tv.arrival_new, name="arrival_new"),
    path("<uuid:uid>/exemptions/new/", tv.exemption_new, name="exemption_new"),
    path("<uuid:uid>/exemptions/<uuid:ex>/end/", tv.exemption_end, name="exemption_end"),
    path("transfers/", tv.transfer_list, name="transfer_list"),
    path("transfers/<uuid:uid>/", tv.transfer_detail, name="transfer_detail"),
    path("transfers/<uuid:uid>/confirm/", tv.transfer_confirm, name="transfer_confirm"),
    path("transfers/<uuid:uid>/cancel/", tv.transfer_cancel, name="transfer_cancel"),
    path("transfers/<uuid:uid>/end/", tv.transfer_end, name="transfer_end"),
    path("transfers/<uuid:uid>/letter/", tv.transfer_letter, name="transfer_letter"),
]
