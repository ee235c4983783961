from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from ptdv.access.gate import account, public
from ptdv.accounts import account_views
from ptdv.core import views as core_views
from ptdv.organizations import urls as org_urls
from ptdv.people import unit_pages
from ptdv.reminders import views as reminder_views
from ptdv.reports import home
from ptdv.reports import targets as targets_report
from ptdv.targets import urls as targets_urls

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", public(core_views.healthz), name="healthz"),
    path("login/", public(account_views.LoginView.as_view()), name="login"),
    path("login/totp/", public(account_views.login_totp), name="login_totp"),
    # the account's reminder settings: a page of reminders (above access) under /account/
    path("account/reminders/", account(reminder_views.preferences), name="account_reminders"),
    path("account/", include("ptdv.accounts.account_urls")),
    path("logout/", account(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    # the tree and the unit's page show member totals and lists: people.unit_pages, in the
    # organizations' namespace beside the board's forms
    path(
        "orgs/",
        include(
            (
                [
                    path("", unit_pages.tree, name="tree"),
                    path("<uuid:uid>/", unit_pages.detail, name="detail"),
                    path("<uuid:uid>/children/", unit_pages.children, name="children"),
                    *org_urls.urlpatterns,
                ],
                org_urls.app_name,
            )
        ),
    ),
    path("people/", include("ptdv.people.urls")),
    path("access/", include("ptdv.accounts.urls")),
    path("audit/", include("ptdv.audit.urls")),
    path("policy/", include("ptdv.policy.urls")),
    path("documents/", include("ptdv.documents.urls")),
    path("training/", include("ptdv.training.urls")),
    path("admissions/", include("ptdv.admissions.urls")),
    # the targets page is a report (ptdv.reports.targets) in the targets' namespace
    path(
        "targets/",
        include(
            (
                [path("", targets_report.index, name="index"), *targets_urls.urlpatterns],
                targets_urls.app_name,
            )
        ),
    ),
    path("reports/", include("ptdv.reports.urls")),
    path("exchange/", include("ptdv.exchange.urls")),
    path("restructuring/", include("ptdv.restructuring.urls")),
    path("inbox/", include("ptdv.reminders.urls")),
    path("api/v1/", include("ptdv.api.urls")),
    path("admin/", admin.site.urls),
]
# No route serves MEDIA_ROOT, in development or production: stored files are fetched
# through views that check scope and audit the download (ptdv.audit.files).

# Styled Vietnamese refusals: out of scope (or missing) is 404, a forbidden action 403.
handler400 = "ptdv.core.views.bad_request"
handler403 = "ptdv.core.views.forbidden"
handler404 = "ptdv.core.views.not_found"
