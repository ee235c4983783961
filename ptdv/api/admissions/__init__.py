"""API of the admission cases: read (scoped like the case pages) and the steps the case
page offers, each through the same ``admissions.services`` call as the page. A step the
Charter's rules refuse answers 400 with the findings that explain why; the case is then
unchanged (every service runs in one transaction).

Modules: ``errors`` (refusals and body errors), ``inputs`` (step bodies), ``outputs`` (the
case as returned), ``cases`` (reads, opening a case), ``step_routes`` (a route per step).
"""
