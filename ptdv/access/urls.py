from django.urls import path

from ptdv.access import views

app_name = "access"
urlpatterns = [
    path("positions/", views.positions, name="positions"),
    path("positions/<uuid:uid>/end/", views.position_end, name="position_end"),
]
