from django.urls import path

from ptdv.admissions import area_views, source_views, vetting_views
from ptdv.admissions.views import case_page, case_steps, documents, lists, sources

app_name = "admissions"
urlpatterns = [
    path("", lists.case_list, name="case_list"),
    path("todo/", lists.todo, name="todo"),
    path("backlog/", lists.backlog, name="backlog"),
    path("cases/<uuid:uid>/", case_page.case_detail, name="case_detail"),
    path("cases/<uuid:uid>/step/<slug:step>/", case_steps.case_step, name="case_step"),
    path("cases/<uuid:uid>/dossier/", case_steps.dossier_record, name="dossier_record"),
    path("cases/<uuid:uid>/area/confirm/", area_views.area_confirm, name="area_confirm"),
    path(
        "cases/<uuid:uid>/dossier/<uuid:item_uid>/scan",
        case_page.dossier_scan,
        name="dossier_scan",
    ),
    path(
        "cases/<uuid:uid>/documents/<str:code>.<str:fmt>",
        documents.case_document,
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
    path("people/<uuid:person_uid>/open/", case_steps.case_open, name="case_open"),
    path("sources/", sources.sources, name="sources"),
    path("sources/new/", sources.source_list_create, name="source_list_create"),
    path("sources/<uuid:uid>/", source_views.source_list, name="source_list"),
    path("sources/<uuid:uid>/search/", source_views.source_search, name="source_search"),
    path("sources/<uuid:uid>/people/", source_views.source_people_add, name="source_people_add"),
    path("sources/entries/<uuid:uid>/helpers/", source_views.source_helpers, name="source_helpers"),
    path("sources/entries/<uuid:uid>/note/", sources.source_note_add, name="source_note_add"),
    path(
        "sources/entries/<uuid:uid>/remove/",
        sources.source_entry_remove,
        name="source_entry_remove",
    ),
]
