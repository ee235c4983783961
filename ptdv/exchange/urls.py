from django.urls import path

from ptdv.exchange import job_views

app_name = "exchange"
urlpatterns = [
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<uuid:uid>/", job_views.job_detail, name="job"),
    path("jobs/<uuid:uid>/status", job_views.job_status, name="job_status"),
    path("jobs/<uuid:uid>/download", job_views.job_download, name="job_download"),
]
