from django.urls import path

from ptdv.organizations import views

app_name = "organizations"
# the tree and the unit's page (tree, detail, children) are people.unit_pages, mounted in
# this namespace by config.urls: they show member totals and lists
urlpatterns = [
    path("<uuid:uid>/children/new/", views.child_create, name="child_create"),
    path("<uuid:uid>/edit/", views.edit, name="edit"),
    path("<uuid:uid>/rename/", views.rename, name="rename"),
    path("<uuid:uid>/move/", views.move, name="move"),
    path("<uuid:uid>/close/", views.close, name="close"),
    path("<uuid:uid>/merge/", views.merge, name="merge"),
    path("<uuid:uid>/split/", views.split, name="split"),
]
