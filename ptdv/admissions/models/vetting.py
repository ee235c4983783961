"""The vetting requests to the places where the applicant and the relatives live, and
the grassroots committee's conclusion."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.admissions.models.case import AdmissionCase
from ptdv.core.models import PublicIdModel


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
