from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [
    NavItem("access:positions", _("Positions"), "access.manage", order=95),
    NavItem("access:users", _("Accounts"), "access.manage", order=96),
]
