"""Writes of transfers and exemptions. Every function: one transaction, validated, audited.

The counting rule (README): a member in transit is counted by the sending unit until the
receiving side confirms receipt; confirming an official transfer records a ``moved`` (or,
towards a unit outside the installation, a ``transferred_out``) membership event on the
receipt date, so the membership periods — and every "members on date" figure — change
side on that day and never before.

By concern: ``sending`` (issue, cancel, end a temporary transfer), ``receiving`` (confirm
receipt, an arrival from outside), ``exemptions``, and ``common`` (deadlines, checks, audit
labels).
"""

from ptdv.people.transfers.services.common import POLICY_KEYS as POLICY_KEYS
from ptdv.people.transfers.services.common import confirming_unit as confirming_unit
from ptdv.people.transfers.services.common import due_date as due_date
from ptdv.people.transfers.services.exemptions import exemption_add as exemption_add
from ptdv.people.transfers.services.exemptions import exemption_end as exemption_end
from ptdv.people.transfers.services.receiving import transfer_arrival as transfer_arrival
from ptdv.people.transfers.services.receiving import transfer_confirm as transfer_confirm
from ptdv.people.transfers.services.sending import transfer_cancel as transfer_cancel
from ptdv.people.transfers.services.sending import transfer_end_temporary as transfer_end_temporary
from ptdv.people.transfers.services.sending import transfer_issue as transfer_issue
