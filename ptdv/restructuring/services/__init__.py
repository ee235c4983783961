"""Restructuring with everything that hangs on the units: one operation at a time (the
wizard) or a whole plan (the import, the CLI, the demo), each undone as a whole.

The tree itself changes through ``organizations.services`` (dated versions, lineage,
``Restructuring`` records). This module, above every app that keeps records on a unit,
carries those records from a unit that ends to the unit chosen for them, on the
operation's effective date, and writes what it carried into the operation's payload
(``payload["carried"]``) so that ``restructure_undo`` restores exactly the state before:

- members kept directly by the unit: a dated "moved" membership event to a cell;
- open admission cases of the unit (their cell), and the grassroots/deciding committee
  of open cases whose committee ended (read again from the tree after the change);
- source lists of the year of the change and later (entries joined to the successor's
  list of the same year when it has one);
- yearly targets for the years after the change (added to the successor's target of the
  same year when it has one);
- villages (residential units), and people of the masses kept by the unit;
- positions: the position at the unit ends the day before, the same position at the
  successor starts on the effective date.

The package, by concern: ``carry`` (what a unit keeps, carried and put back) and
``operations`` (each operation of the wizard, and the undo). The plan of many operations
is ``restructuring.plan``; the reads (what a unit keeps, why an operation cannot be undone)
are in ``restructuring.selectors``.
"""

from ptdv.restructuring.services.carry import Carry as Carry
from ptdv.restructuring.services.carry import carry_records as carry_records
from ptdv.restructuring.services.carry import refresh_open_cases as refresh_open_cases
from ptdv.restructuring.services.carry import uncarry_records as uncarry_records
from ptdv.restructuring.services.operations import AUDIT_LABELS as AUDIT_LABELS
from ptdv.restructuring.services.operations import Decision as Decision
from ptdv.restructuring.services.operations import audit_operation as audit_operation
from ptdv.restructuring.services.operations import create_unit as create_unit
from ptdv.restructuring.services.operations import dissolve as dissolve
from ptdv.restructuring.services.operations import merge as merge
from ptdv.restructuring.services.operations import move as move
from ptdv.restructuring.services.operations import rename as rename
from ptdv.restructuring.services.operations import restructure_undo as restructure_undo
from ptdv.restructuring.services.operations import split as split
