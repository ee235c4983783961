"""What the steps record: the dossier's documents, introductions, votes with their
exclusions, decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.admissions.models.case import AdmissionCase
from ptdv.admissions.models.choices import (
    Body,
    DocumentKind,
    DocumentStatus,
    ExclusionCategory,
    Purpose,
)
from ptdv.core.models import PublicIdModel


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
