from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("targets:index", _("Targets"), "targets.view", order=50)]
