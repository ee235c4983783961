"""The owner's account pages (no namespace: Django's auth views reverse these names)."""

from django.urls import path

from ptdv.access import account_views

urlpatterns = [
    path("", account_views.account, name="account"),
    path("password/", account_views.PasswordChangeView.as_view(), name="account_password"),
    path("totp/", account_views.totp_setup, name="account_totp"),
    path("reset/", account_views.reset_request, name="account_reset"),
    path("reset/sent/", account_views.reset_done, name="account_reset_done"),
    path("reset/<uidb64>/<token>/", account_views.reset_confirm, name="account_reset_confirm"),
    path("reset/done/", account_views.reset_complete, name="account_reset_complete"),
]
