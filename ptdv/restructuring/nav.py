from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("restructuring:index", _("Restructuring"), "orgs.edit", order=22)]
