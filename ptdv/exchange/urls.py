from django.urls import path

from ptdv.exchange import job_views, views
from ptdv.people.merging import views as merging

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("upload", views.upload, name="upload"),
    path("export", views.export_start, name="export"),
    path("batches/<uuid:uid>/", views.batch_detail, name="batch"),
    path("batches/<uuid:uid>/mapping", views.batch_mapping, name="batch_mapping"),
    path("batches/<uuid:uid>/commit", views.batch_commit, name="batch_commit"),
    path("batches/<uuid:uid>/undo", views.batch_undo, name="batch_undo"),
    path("duplicates/", merging.duplicates, name="duplicates"),
    path("duplicates/merge", merging.duplicate_merge, name="duplicate_merge"),
    path("duplicates/dismiss", merging.duplicate_dismiss, name="duplicate_dismiss"),
    path("merges/<uuid:uid>/undo", merging.merge_undo, name="merge_undo"),
    path("values/", views.value_aliases, name="values"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:uid>/revoke", views.token_revoke, name="token_revoke"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<uuid:uid>/", job_views.job_detail, name="job"),
    path("jobs/<uuid:uid>/status", job_views.job_status, name="job_status"),
    path("jobs/<uuid:uid>/download", job_views.job_download, name="job_download"),
]
