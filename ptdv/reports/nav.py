from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [
    NavItem("reports:dashboard", _("Overview"), "reports.view", order=5),
    NavItem("reports:statistics", _("Statistics"), "reports.view", order=55),
    NavItem("reports:article", _("Report"), "reports.view", order=56),
]
