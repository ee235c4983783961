from django.urls import path

from ptdv.targets import views

app_name = "targets"
urlpatterns = [
    # "" (targets:index) is the targets page, a report: ptdv.reports.targets.index
    path("set/", views.target_set_view, name="set"),
    path("allocate/", views.allocate_view, name="allocate"),
    path("carry-over/", views.carry_over_view, name="carry_over"),
    path("terms/new/", views.term_create_view, name="term_create"),
]
