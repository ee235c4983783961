from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [
    NavItem("admissions:todo", _("To do"), "admissions.view", order=35),
    NavItem("admissions:case_list", _("Admissions"), "admissions.view", order=40),
]
