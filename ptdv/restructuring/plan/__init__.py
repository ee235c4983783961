"""A restructuring plan: a spreadsheet of rows "old unit → new unit, new parent,
effective date, decision", checked as a whole, previewed, applied in one transaction
and undone as a whole. The import wizard (kind "restructuring"), ``ptdv restructure
plan`` and the demo step all go through ``plan_check`` / ``plan_apply`` here.

What a row means:

- old code = new code: the unit stays; it moves under the new parent and/or takes the
  new name from the effective date;
- old code → another code: the old unit ends the day before and is merged into the new
  one (several rows with the same new code merge several units). A new code that is not
  recorded yet is created from the first row naming it (name, parent, date);
- old code, no new code: the old unit is dissolved (it must keep nothing);
- no old code: a new unit is created (a province when it has no parent).

Rows are applied deepest unit first, so that a district ends after its communes were
merged and its agencies re-attached. What an ending unit keeps (villages, open cases,
sources, later targets, positions, people of the masses) goes to the unit it merges into
(``restructuring.services``).

The package: ``rows`` (the file and its rows), ``check`` (the plan as a whole, before any
write), ``apply`` (one operation for the whole plan, and its preview).
"""

from ptdv.restructuring.plan.apply import load as load
from ptdv.restructuring.plan.apply import plan_apply as plan_apply
from ptdv.restructuring.plan.apply import plan_preview as plan_preview
from ptdv.restructuring.plan.apply import plan_units as plan_units
from ptdv.restructuring.plan.check import Checked as Checked
from ptdv.restructuring.plan.check import NewUnit as NewUnit
from ptdv.restructuring.plan.check import plan_check as plan_check
from ptdv.restructuring.plan.rows import COLUMNS as COLUMNS
from ptdv.restructuring.plan.rows import PlanError as PlanError
from ptdv.restructuring.plan.rows import PlanRow as PlanRow
from ptdv.restructuring.plan.rows import Problem as Problem
from ptdv.restructuring.plan.rows import header_label as header_label
from ptdv.restructuring.plan.rows import parse_rows as parse_rows
from ptdv.restructuring.plan.rows import read_file as read_file
