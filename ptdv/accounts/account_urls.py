"""The owner's account pages (no namespace: Django's auth views reverse these names).

Own-account pages pass the gate as ``account`` (a read-only leader changes its own password
too); the e-mail reset pages are ``public`` (and 404 unless EMAIL_HOST is set). The
reminder settings (/account/reminders/) are mounted in ``config.urls``: reminders sit above."""

from django.urls import path

from ptdv.access.gate import account, public
from ptdv.accounts import account_views

urlpatterns = [
    path("", account(account_views.account), name="account"),
    path(
        "password/",
        account(account_views.PasswordChangeView.as_view()),
        name="account_password",
    ),
    path("totp/", account(account_views.totp_setup), name="account_totp"),
    path("reset/", public(account_views.reset_request), name="account_reset"),
    path("reset/sent/", public(account_views.reset_done), name="account_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        public(account_views.reset_confirm),
        name="account_reset_confirm",
    ),
    path("reset/done/", public(account_views.reset_complete), name="account_reset_complete"),
]
