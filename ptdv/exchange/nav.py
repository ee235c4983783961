from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [NavItem("exchange:index", _("Data import/export"), "exchange.import", order=70)]
