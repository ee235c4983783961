from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("policy:list", _("Rules and calendar"), "admissions.view", order=60)]
