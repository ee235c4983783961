from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ptdv.access.permissions import active_positions
from ptdv.core.cli import resolve_user as resolve_user  # shared with restructure
from ptdv.organizations.models import OrgUnit


def resolve_org(code: str | None, user: Any) -> OrgUnit:
    if code:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(
                _("There is no party organization with code “%(code)s”.") % {"code": code}
            )
        return unit
    roots = sorted({p.org_unit for p in active_positions(user)}, key=lambda u: u.path)
    if len(roots) == 1:
        return roots[0]
    tops = list(OrgUnit.objects.filter(parent__isnull=True)[:2])
    if user.is_superuser and len(tops) == 1:
        return tops[0]
    raise CommandError(_("Give --org CODE: the organization the data belongs to."))
