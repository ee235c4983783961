from django.urls import path

from ptdv.documents import views

app_name = "documents"
urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:code>/", views.template_edit, name="template_edit"),
    path("templates/<str:code>/sample.<str:fmt>", views.template_sample, name="template_sample"),
]
