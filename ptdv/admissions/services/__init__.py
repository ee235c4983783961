"""Every write of the admission procedure: one service per step.

Each step: the right role at the right level, one transaction, the case row locked
(``select_for_update``) so that two officers cannot take the same step twice, the order
of steps and of dates enforced, the policy in force on the relevant date checked (a
refusal carries the findings), a ``StageChange`` and an audit entry written, and the
person's membership events written through ``people.services.membership_event_add``.

The modules, by concern: ``base`` (what every step shares: refusal, role, lock, order
and dates, deadlines, ``advance``), ``sources`` (the source lists), ``case`` (opening
and the steps that file one document), ``introducers``, ``votes`` (the roll, thresholds,
escalation, the admission's votes), ``decisions`` (decision, rejection, ceremony, member
record), ``probation`` (recognition votes and decision, removal), ``dossier`` (documents
and exceptions for a missing paper), ``special_paths`` (village elder, written
consents). Callers use this package: ``from ptdv.admissions import services``.
"""

from ptdv.admissions.selectors import committees_on as committees_on
from ptdv.admissions.services.base import StepRefusedError as StepRefusedError
from ptdv.admissions.services.base import can_take as can_take
from ptdv.admissions.services.base import case_deadlines as case_deadlines
from ptdv.admissions.services.case import application_record as application_record
from ptdv.admissions.services.case import background_record as background_record
from ptdv.admissions.services.case import case_open as case_open
from ptdv.admissions.services.case import certificate_record as certificate_record
from ptdv.admissions.services.case import sub_committee_record as sub_committee_record
from ptdv.admissions.services.case import vetting_record as vetting_record
from ptdv.admissions.services.decisions import admission_decide as admission_decide
from ptdv.admissions.services.decisions import case_reject as case_reject
from ptdv.admissions.services.decisions import ceremony_record as ceremony_record
from ptdv.admissions.services.decisions import member_record_done as member_record_done
from ptdv.admissions.services.dossier import decision_purpose as decision_purpose
from ptdv.admissions.services.dossier import dossier_item_record as dossier_item_record
from ptdv.admissions.services.dossier import paper_exception_record as paper_exception_record
from ptdv.admissions.services.introducers import IntroducerInput as IntroducerInput
from ptdv.admissions.services.introducers import introductions_record as introductions_record
from ptdv.admissions.services.probation import (
    recognition_cell_vote_record as recognition_cell_vote_record,
)
from ptdv.admissions.services.probation import recognition_decide as recognition_decide
from ptdv.admissions.services.probation import (
    recognition_grassroots_vote_record as recognition_grassroots_vote_record,
)
from ptdv.admissions.services.probation import removal_decide as removal_decide
from ptdv.admissions.services.sources import source_entry_add as source_entry_add
from ptdv.admissions.services.sources import source_entry_remove as source_entry_remove
from ptdv.admissions.services.sources import source_entry_withdraw as source_entry_withdraw
from ptdv.admissions.services.sources import source_list_get_or_create as source_list_get_or_create
from ptdv.admissions.services.sources import source_note_add as source_note_add
from ptdv.admissions.services.special_paths import consent_record as consent_record
from ptdv.admissions.services.special_paths import special_path_set as special_path_set
from ptdv.admissions.services.votes import VoteCounts as VoteCounts
from ptdv.admissions.services.votes import cell_vote_record as cell_vote_record
from ptdv.admissions.services.votes import denominator_of as denominator_of
from ptdv.admissions.services.votes import grassroots_vote_record as grassroots_vote_record
from ptdv.admissions.services.votes import official_members_count as official_members_count
from ptdv.admissions.services.votes import rules_vote_key as rules_vote_key
