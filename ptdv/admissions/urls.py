from django.urls import path

from ptdv.admissions import source_views, vetting_views, views

app_name = "admissions"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("todo/", views.todo, name="todo"),
    path("backlog/", views.backlog, name="backlog"),
    path("cases/<uuid:uid>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:uid>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<uuid:uid>/dossier/", views.dossier_record, name="dossier_record"),
    path(
        "cases/<uuid:uid>/dossier/<uuid:item_uid>/scan",
        views.dossier_scan,
        name="dossier_scan",
    ),
    path(
        "cases/<uuid:uid>/documents/<str:code>.<str:fmt>",
        views.case_document,
        name="case_document",
    ),
    path(
        "cases/<uuid:uid>/vetting/", vetting_views.vetting_request_add, name="vetting_request_add"
    ),
    path(
        "cases/<uuid:uid>/vetting/<uuid:req>/reply/",
        vetting_views.vetting_reply,
        name="vetting_reply",
    ),
    path("people/<uuid:person_uid>/open/", views.case_open, name="case_open"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_list_create, name="source_list_create"),
    path("sources/<uuid:uid>/", source_views.source_list, name="source_list"),
    path("sources/<uuid:uid>/search/", source_views.source_search, name="source_search"),
    path("sources/<uuid:uid>/people/", source_views.source_people_add, name="source_people_add"),
    path("sources/entries/<uuid:uid>/helpers/", source_views.source_helpers, name="source_helpers"),
    path("sources/<uuid:uid>/add/", views.source_entry_add, name="source_entry_add"),
    path("sources/entries/<uuid:uid>/note/", views.source_note_add, name="source_note_add"),
    path(
        "sources/entries/<uuid:uid>/remove/", views.source_entry_remove, name="source_entry_remove"
    ),
]
