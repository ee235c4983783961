"""The admission case, the log of its stage changes, the written consents, the
exceptions for a missing paper and the confirmation of its special area."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.admissions.models.choices import (
    OPEN_STAGES,
    CommunityRole,
    DocumentKind,
    Purpose,
    Stage,
)
from ptdv.admissions.models.sources import SourceEntry
from ptdv.core.models import PublicIdModel


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
