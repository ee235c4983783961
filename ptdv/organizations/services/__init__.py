"""Every change of the tree: one function per action, one transaction, audited.

By concern: ``units`` (create, edit, villages), ``changes`` (rename, move, close, merge,
split from a date), ``undo`` (an operation as a whole), and ``dated`` (what they share: the
operation record, cutting versions on a date, the signal and checks other apps plug in).
"""

from ptdv.organizations.services.changes import org_unit_close as org_unit_close
from ptdv.organizations.services.changes import org_unit_merge as org_unit_merge
from ptdv.organizations.services.changes import org_unit_move as org_unit_move
from ptdv.organizations.services.changes import org_unit_rename as org_unit_rename
from ptdv.organizations.services.changes import org_unit_split as org_unit_split
from ptdv.organizations.services.dated import closing_checks as closing_checks
from ptdv.organizations.services.dated import sync_current as sync_current
from ptdv.organizations.services.dated import tree_changed as tree_changed
from ptdv.organizations.services.dated import undo_checks as undo_checks
from ptdv.organizations.services.undo import restructuring_undo as restructuring_undo
from ptdv.organizations.services.undo import (
    restructuring_undo_problem as restructuring_undo_problem,
)
from ptdv.organizations.services.units import org_unit_create as org_unit_create
from ptdv.organizations.services.units import org_unit_update as org_unit_update
from ptdv.organizations.services.units import residential_unit_create as residential_unit_create
