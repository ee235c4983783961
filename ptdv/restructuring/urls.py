from django.urls import path

from ptdv.restructuring import views

app_name = "restructuring"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/undo/", views.undo, name="undo"),
    path("<slug:kind>/", views.operation, name="operation"),
]
