"""Admission: sources of outstanding masses, the admission case from source to official
member, its dossier, introducers, votes, decisions and the log of stage changes.

Stages and the documents follow ``shared/domain/rules-reference.md`` §2, §4, §5 and §8.
Only ``admissions.services`` writes these rows (and the ``stage`` field). The modules:
``choices``, ``sources``, ``case`` (the case, its stage log, consents, paper exceptions,
area confirmation), ``records`` (dossier, introductions, votes, decisions), ``vetting``;
``source_models`` (dated helpers) beside them. Every model is importable from here.
"""

from ptdv.admissions.models.case import AdmissionCase as AdmissionCase
from ptdv.admissions.models.case import AreaFlagConfirmation as AreaFlagConfirmation
from ptdv.admissions.models.case import Consent as Consent
from ptdv.admissions.models.case import PaperException as PaperException
from ptdv.admissions.models.case import StageChange as StageChange
from ptdv.admissions.models.choices import OPEN_STAGES as OPEN_STAGES
from ptdv.admissions.models.choices import Body as Body
from ptdv.admissions.models.choices import CommunityRole as CommunityRole
from ptdv.admissions.models.choices import DocumentKind as DocumentKind
from ptdv.admissions.models.choices import DocumentStatus as DocumentStatus
from ptdv.admissions.models.choices import ExclusionCategory as ExclusionCategory
from ptdv.admissions.models.choices import Purpose as Purpose
from ptdv.admissions.models.choices import Stage as Stage
from ptdv.admissions.models.records import Decision as Decision
from ptdv.admissions.models.records import DossierItem as DossierItem
from ptdv.admissions.models.records import Introduction as Introduction
from ptdv.admissions.models.records import Vote as Vote
from ptdv.admissions.models.records import VoteExclusion as VoteExclusion
from ptdv.admissions.models.sources import SourceEntry as SourceEntry
from ptdv.admissions.models.sources import SourceList as SourceList
from ptdv.admissions.models.sources import SourceNote as SourceNote
from ptdv.admissions.models.vetting import VettingConclusion as VettingConclusion
from ptdv.admissions.models.vetting import VettingRequest as VettingRequest
from ptdv.admissions.source_models import SourceHelper as SourceHelper  # issue 15 pt 8
