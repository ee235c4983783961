"""The administrator-maintained part of the working-day calendar.

Public holidays come from the ``holidays`` package (see ``workdays.py``); this table holds
what the package cannot know or what a later government notice changed: extra days off
(e.g. a bridge day of a Tết break) and weekend days decreed as working days (làm bù).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


class SwapKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day (make-up)")


class SwappedDay(PublicIdModel):
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SwapKind.choices)
    reason = models.CharField(_("reason"), max_length=255)
    decision = models.CharField(_("decision or notice"), max_length=255, blank=True)
    uncertain = models.BooleanField(
        _("to be confirmed"),
        default=False,
        help_text=_("Tick when the day itself could not be confirmed by a notice (UNCERTAIN)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("swapped day")
        verbose_name_plural = _("swapped days")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"
