"""The stages of the case, the documents of the dossier, the voting bodies and the
categories of the vote's exclusions (``shared/domain/rules-reference.md`` §2, §4, §5, §8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Suggested case states of the rules reference §8."""

    SOURCE_LIST = "source_list", _("On the source list")
    AWARENESS_CLASS = "awareness_class", _("Awareness class certificate")
    APPLICATION = "application", _("Application submitted (1-KNĐ)")
    BACKGROUND_DECLARED = "background_declared", _("Background declared (2-KNĐ)")
    VETTING = "vetting", _("Background vetted")
    INTRODUCTIONS_COLLECTED = "introductions_collected", _("Introductions collected")
    CELL_VOTED = "cell_voted", _("Cell resolution (6-KNĐ)")
    PARTIAL_COMMITTEE_APPRAISED = "partial_committee_appraised", _("Sub-committee appraisal")
    GRASSROOTS_VOTED = "grassroots_voted", _("Grassroots resolution (8-KNĐ)")
    DECIDED = "decided", _("Admission decided (9-KNĐ)")
    REJECTED = "rejected", _("Rejected")
    PROBATION = "probation", _("Probation (ceremony held)")
    RECOGNITION_CELL_VOTED = "recognition_cell_voted", _("Recognition: cell resolution")
    RECOGNITION_GRASSROOTS_VOTED = (
        "recognition_grassroots_voted",
        _("Recognition: grassroots resolution"),
    )
    RECOGNIZED = "recognized", _("Recognized as official member")
    REMOVED = "removed", _("Removed from the probationary list")
    ESCALATED = "escalated", _("Escalated to the competent committee")


OPEN_STAGES = frozenset(Stage.values) - {Stage.REJECTED, Stage.RECOGNIZED, Stage.REMOVED}


class CommunityRole(models.TextChoices):
    """The roles of the village-elder path (policy ``education.village_elder_roles``)."""

    VILLAGE_ELDER = "village_elder", _("Village elder (già làng)")
    HAMLET_HEAD = "hamlet_head", _("Hamlet head (trưởng bản)")
    PRESTIGIOUS_PERSON = "prestigious_person", _("Prestigious person (người có uy tín)")


class DocumentKind(models.TextChoices):
    AWARENESS_CERTIFICATE = "awareness_certificate", _("Awareness class certificate")
    APPLICATION = "application", _("Application (1-KNĐ)")
    BACKGROUND = "background", _("Background form (2-KNĐ)")
    VETTING = "vetting", _("Vetting results")
    INTRODUCTION = "introduction", _("Introduction letter (3-KNĐ / 3A-KNĐ)")
    YOUTH_UNION_RESOLUTION = "youth_union_resolution", _("Youth Union resolution (4-KNĐ)")
    TRADE_UNION_RESOLUTION = "trade_union_resolution", _("Trade union resolution (4A-KNĐ)")
    COMMENTS = "comments", _("Summary of comments (5-KNĐ)")
    CELL_RESOLUTION = "cell_resolution", _("Cell resolution (6-KNĐ)")
    SUB_COMMITTEE_REPORT = "sub_committee_report", _("Sub-committee appraisal (7-KNĐ)")
    GRASSROOTS_RESOLUTION = "grassroots_resolution", _("Grassroots resolution (8-KNĐ)")
    DECISION = "decision", _("Admission decision (9-KNĐ)")
    PROVINCIAL_CONSENT = "provincial_consent", _("Provincial standing committee consent")
    SELF_REVIEW = "self_review", _("Self-review (10-KNĐ)")
    HELPER_COMMENT = "helper_comment", _("Helper's comments (11-KNĐ)")
    RECOGNITION_COMMENTS = "recognition_comments", _("Recognition comments (12-KNĐ)")
    RECOGNITION_CELL_RESOLUTION = (
        "recognition_cell_resolution",
        _("Cell resolution on recognition (13-KNĐ)"),
    )
    RECOGNITION_GRASSROOTS_RESOLUTION = (
        "recognition_grassroots_resolution",
        _("Grassroots resolution on recognition (15-KNĐ)"),
    )
    RECOGNITION_DECISION = "recognition_decision", _("Recognition decision")
    NEW_MEMBER_CERTIFICATE = "new_member_certificate", _("New-member theory class certificate")


class DocumentStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class Body(models.TextChoices):
    CELL = "cell", _("Party cell")
    SUB_COMMITTEE = "sub_committee", _("Sub-committee")
    GRASSROOTS = "grassroots", _("Grassroots committee")
    UPPER = "upper", _("Competent committee")


class Purpose(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    RECOGNITION = "recognition", _("Recognition")


class ExclusionCategory(models.TextChoices):
    """Legal reasons to leave an official member out of a cell vote's denominator
    (policy ``vote.denominator_exclusions``; 24-QĐ/TW, 294-QĐ/TW 9.3.2)."""

    TEMPORARY_ELSEWHERE = "temporary_elsewhere", _("In temporary activity elsewhere")
    EXEMPTED_ABSENT = "exempted_absent", _("Exempted from activity and absent")
    SUSPENDED = "suspended", _("Suspended from party activity")
    PROSECUTED_DETAINED = "prosecuted_detained", _("Prosecuted, indicted or detained")
