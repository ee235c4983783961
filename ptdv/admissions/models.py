"""Admission: sources of outstanding masses, the admission case from source to official
member, its dossier, introducers, votes, decisions and the log of stage changes.

Stages and the documents follow ``shared/domain/rules-reference.md`` §2, §4, §5 and §8.
Only ``admissions.services`` writes these rows (and the ``stage`` field).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


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


class SourceList(PublicIdModel):
    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly")
        TERM = "term", _("Congress term")

    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="source_lists",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.YEARLY)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    term = models.CharField(_("term"), max_length=9, blank=True)  # e.g. "2020-2025"
    resolution = models.CharField(_("resolution"), max_length=120, blank=True)

    class Meta:
        ordering = ["org_unit__path", "-year", "-term"]
        verbose_name = _("source list")
        verbose_name_plural = _("source lists")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "kind", "year", "term"], name="sourcelist_unique"
            )
        ]

    def __str__(self) -> str:
        period = str(self.year) if self.kind == self.Kind.YEARLY else self.term
        return f"{self.org_unit} — {period}"


class SourceEntry(PublicIdModel):
    class Progress(models.TextChoices):
        LISTED = "listed", _("Listed")
        FOSTERED = "fostered", _("Being fostered")
        CERTIFIED = "certified", _("Awareness certificate obtained")
        IN_PROCEDURE = "in_procedure", _("Admission procedure under way")
        ADMITTED = "admitted", _("Admitted")
        REMOVED = "removed", _("Removed from the list")
        CARRIED = "carried", _("Carried to the successor unit's list")

    source_list = models.ForeignKey(SourceList, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="source_entries"
    )
    added_on = models.DateField(_("added on"))
    helpers = models.ManyToManyField(
        "people.Person", verbose_name=_("helping members"), related_name="helped_entries"
    )
    status = models.CharField(
        _("progress"), max_length=16, choices=Progress.choices, default=Progress.LISTED
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_reason = models.CharField(_("reason"), max_length=255, blank=True)
    # A restructuring never moves an entry: it ends it on the old unit's list (status
    # CARRIED, ``removed_on`` = the change's date) and opens a copy on the successor's list
    # that points back here, so each unit's sourcing history stays as it was.
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("carried from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )

    class Meta:
        ordering = ["source_list", "person__sort_key"]
        verbose_name = _("source entry")
        constraints = [
            models.UniqueConstraint(fields=["source_list", "person"], name="sourceentry_unique")
        ]

    def __str__(self) -> str:
        return str(self.person)


class SourceNote(models.Model):
    entry = models.ForeignKey(SourceEntry, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("date"))
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["entry", "date", "id"]


class AdmissionCase(PublicIdModel):
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="admission_cases",
    )
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("party cell"),
        on_delete=models.PROTECT,
        related_name="admission_cases",
    )
    deciding_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("deciding committee"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grassroots = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("grassroots organization"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_entry = models.ForeignKey(
        SourceEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    helpers = models.ManyToManyField(
        "people.Person", verbose_name=_("helping members"), related_name="helped_cases"
    )
    stage = models.CharField(
        _("stage"), max_length=32, choices=Stage.choices, default=Stage.SOURCE_LIST, db_index=True
    )
    stage_on = models.DateField(_("date of the current stage"))
    opened_on = models.DateField(_("opened on"))
    policy_code = models.CharField(_("policy applied"), max_length=20, blank=True)
    # Special paths (rules reference §1.1, §1.2): flags and the documents they need.
    over_max_age_consent = models.BooleanField(_("over-60 consent obtained"), default=False)
    special_area = models.BooleanField(_("special area (education exception)"), default=False)
    village_elder = models.BooleanField(_("village elder / prestigious person"), default=False)
    # which one (policy ``education.village_elder_roles``): village_elder / hamlet_head /
    # prestigious_person; empty when the path is not used
    village_elder_role = models.CharField(
        _("role in the community"), max_length=24, choices=CommunityRole.choices, blank=True
    )
    unit_has_youth_union = models.BooleanField(_("unit has a Youth Union"), default=True)
    unit_has_trade_union = models.BooleanField(_("unit has a trade union"), default=False)
    # Dates of the steps (denormalised from the votes/decisions for deadlines and lists).
    cell_vote_on = models.DateField(null=True, blank=True)
    grassroots_vote_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decision_received_on = models.DateField(null=True, blank=True)
    ceremony_on = models.DateField(null=True, blank=True)
    official_on = models.DateField(null=True, blank=True)
    recognition_cell_vote_on = models.DateField(null=True, blank=True)
    recognition_decision_on = models.DateField(null=True, blank=True)
    member_record_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    failed_votes = models.PositiveSmallIntegerField(default=0)
    # The next deadline (kept by the services; the todo page sorts on it).
    due_on = models.DateField(null=True, blank=True, db_index=True)
    due_kind = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-opened_on", "id"]
        verbose_name = _("admission case")
        verbose_name_plural = _("admission cases")
        indexes = [models.Index(fields=["stage", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class Consent(PublicIdModel):
    """The written consent of the provincial standing committee a special path needs
    (over 60; village elder / prestigious person): its number, date and issuing body.
    Append-only; the latest of each kind applies."""

    class Kind(models.TextChoices):
        OVER_MAX_AGE = "over_max_age", _("Admission over 60")
        VILLAGE_ELDER = "village_elder", _("Village elder / prestigious person path")

    case = models.ForeignKey(AdmissionCase, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("path"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("document number"), max_length=60)
    date = models.DateField(_("date"))
    body = models.CharField(_("issuing body"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "kind", "date", "id"]
        verbose_name = _("written consent")


class DossierItem(PublicIdModel):
    case = models.ForeignKey(AdmissionCase, on_delete=models.CASCADE, related_name="dossier")
    kind = models.CharField(_("document"), max_length=40, choices=DocumentKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.MISSING
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    returned_reason = models.CharField(_("reason for return"), max_length=255, blank=True)
    scan = models.FileField(_("scan"), upload_to="admissions/%Y/", blank=True)

    class Meta:
        ordering = ["case", "kind", "id"]
        verbose_name = _("dossier item")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.get_kind_display()


class Introduction(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Official member")
        YOUTH_UNION = "youth_union", _("Youth Union executive committee")
        TRADE_UNION = "trade_union", _("Trade union executive committee")

    case = models.ForeignKey(AdmissionCase, on_delete=models.CASCADE, related_name="introductions")
    introducer = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEMBER)
    cowork_since = models.DateField(_("worked with the applicant since"), null=True, blank=True)
    replacement = models.BooleanField(_("replacement introducer"), default=False)
    issued_on = models.DateField(_("issued on"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["case", "id"]


class Vote(models.Model):
    case = models.ForeignKey(AdmissionCase, on_delete=models.CASCADE, related_name="votes")
    body = models.CharField(_("body"), max_length=16, choices=Body.choices)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    date = models.DateField(_("date"))
    expected = models.PositiveIntegerField(_("members counted"))
    present = models.PositiveIntegerField(_("present"))
    in_favour = models.PositiveIntegerField(_("in favour"))
    against = models.PositiveIntegerField(_("against"))
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    passed = models.BooleanField(_("passed"), default=True)
    resolution_number = models.CharField(_("resolution number"), max_length=60, blank=True)
    policy_code = models.CharField(max_length=20, blank=True)
    # a cell's vote: official members on the cell's roll that day (people.selectors); the
    # denominator ``expected`` = roll − exclusions (VoteExclusion), never fewer
    roll = models.PositiveIntegerField(_("official members on the roll"), null=True, blank=True)

    class Meta:
        ordering = ["case", "date", "id"]


class ExclusionCategory(models.TextChoices):
    """Legal reasons to leave an official member out of a cell vote's denominator
    (policy ``vote.denominator_exclusions``; 24-QĐ/TW, 294-QĐ/TW 9.3.2)."""

    TEMPORARY_ELSEWHERE = "temporary_elsewhere", _("In temporary activity elsewhere")
    EXEMPTED_ABSENT = "exempted_absent", _("Exempted from activity and absent")
    SUSPENDED = "suspended", _("Suspended from party activity")
    PROSECUTED_DETAINED = "prosecuted_detained", _("Prosecuted, indicted or detained")


class VoteExclusion(models.Model):
    """A member of the roll left out of a vote's denominator, by name and legal category."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=24, choices=ExclusionCategory.choices)

    class Meta:
        ordering = ["vote", "category", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "person"], name="voteexclusion_unique")
        ]


class Decision(models.Model):
    class Kind(models.TextChoices):
        ADMISSION = "admission", _("Admission")
        RECOGNITION = "recognition", _("Recognition as official member")
        REMOVAL = "removal", _("Removal from the probationary list")
        REJECTION = "rejection", _("Rejection")

    case = models.ForeignKey(AdmissionCase, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"))
    received_on = models.DateField(_("received by the cell on"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    deciding_unit = models.ForeignKey(
        "organizations.OrgUnit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    policy_code = models.CharField(_("policy applied"), max_length=20, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["case", "date", "id"]


class StageChange(models.Model):
    case = models.ForeignKey(AdmissionCase, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(max_length=32, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=32, choices=Stage.choices)
    on = models.DateField(_("date"), db_index=True)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    policy_code = models.CharField(max_length=20, blank=True)
    # The case's party cell when the step was taken: figures attribute a step to the unit
    # that held the case then, so a case carried to a successor cell by a restructuring
    # leaves its earlier steps where they happened (ptdv/reports/README.md).
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("party cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "on", "id"]
        indexes = [models.Index(fields=["on", "to_stage"]), models.Index(fields=["case", "on"])]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.org_unit_id is None and self.case_id is not None:
            self.org_unit_id = (
                AdmissionCase.objects.filter(pk=self.case_id)
                .values_list("org_unit_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class VettingRequest(PublicIdModel):
    """A request to verify the background (thẩm tra, xác minh lý lịch) of the applicant or
    of one relative, sent to the place where they live or work (rules reference §1.5, §2.1
    item 4), with its letter, its due date and the reply."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Awaiting reply")
        CLEAR = "clear", _("Nothing found against")
        CONCERN = "concern", _("Problems found")

    case = models.ForeignKey(
        AdmissionCase, on_delete=models.CASCADE, related_name="vetting_requests"
    )
    relative = models.ForeignKey(
        "people.Relative",
        verbose_name=_("relative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vetting_requests",
    )  # None: the applicant themself
    addressee = models.CharField(_("sent to"), max_length=255)
    place = models.CharField(_("place to verify"), max_length=255)
    number = models.CharField(_("letter number"), max_length=60, blank=True)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("reply due on"), db_index=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=8, choices=Result.choices, default=Result.PENDING
    )
    reply_note = models.TextField(_("reply"), blank=True)

    class Meta:
        ordering = ["case", "sent_on", "id"]
        verbose_name = _("vetting request")
        verbose_name_plural = _("vetting requests")

    def __str__(self) -> str:
        return f"{self.subject} — {self.addressee}"

    @property
    def subject(self) -> str:
        return str(self.relative) if self.relative_id else str(self.case.person)


class VettingConclusion(models.Model):
    """The grassroots committee's conclusion on the vetting (recorded by the step
    ``vetting``); the cell's vote is refused until it exists and is favourable."""

    case = models.OneToOneField(
        AdmissionCase, on_delete=models.CASCADE, related_name="vetting_conclusion"
    )
    date = models.DateField(_("date"))
    number = models.CharField(_("number"), max_length=60, blank=True)
    satisfactory = models.BooleanField(_("background meets the standard"), default=True)
    text = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("vetting conclusion")


class PaperException(PublicIdModel):
    """A decision recorded although a required paper is missing: the reason, who and when
    (audited). Append-only."""

    case = models.ForeignKey(
        AdmissionCase, on_delete=models.CASCADE, related_name="paper_exceptions"
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    kind = models.CharField(_("document"), max_length=40, choices=DocumentKind.choices)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "purpose", "kind", "id"]
        verbose_name = _("exception for a missing paper")


class AreaFlagConfirmation(models.Model):
    """An officer's confirmation that the cell's special-area flag applies to this
    applicant, used only when the residence is not on a decision's list (audited)."""

    case = models.OneToOneField(
        AdmissionCase, on_delete=models.CASCADE, related_name="area_confirmation"
    )
    confirmed_on = models.DateField(_("confirmed on"))
    reason = models.CharField(_("reason"), max_length=500)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


from ptdv.admissions.source_models import SourceHelper  # noqa: E402, F401  (issue 15 pt 8)
