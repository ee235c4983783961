from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [
    NavItem("people:list", _("People"), "people.view", order=10),
    NavItem("people:transfer_list", _("Transfers"), "people.view", order=12),
]
