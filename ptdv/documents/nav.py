from django.utils.translation import gettext_lazy as _

from ptdv.core.navigation import NavItem

NAV = [
    NavItem("documents:template_list", _("Document templates"), "admissions.configure", order=80)
]
