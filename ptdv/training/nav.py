from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("training:list", _("Classes"), "training.view", order=30)]
