from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("organizations:tree", _("Organizations"), "orgs.view", order=20)]
