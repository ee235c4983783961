from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("audit:list", _("Audit log"), "audit.view", order=90)]
