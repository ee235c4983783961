from django.urls import path

from ptdv.accounts import views

# the URL names (access:positions, …) and paths (/access/…) stayed when positions management
# moved out of the access kernel (issue 14)
app_name = "access"
urlpatterns = [
    path("positions/", views.positions, name="positions"),
    path("positions/<uuid:uid>/end/", views.position_end, name="position_end"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset/", views.user_reset_password, name="user_reset_password"),
]
