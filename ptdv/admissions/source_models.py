"""Dated assignments of the helping members of a source entry (issue 15 point 8).

``SourceEntry.helpers`` holds the helpers assigned today (what the exports, imports and
papers read); ``SourceHelper`` keeps each assignment with its dates, so a change of helper
ends the old row on the day of the change instead of rewriting it. Only
``admissions.helper_periods`` writes these rows (through the services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceHelper(models.Model):
    entry = models.ForeignKey(
        "admissions.SourceEntry", on_delete=models.CASCADE, related_name="helper_periods"
    )
    helper = models.ForeignKey(
        "people.Person",
        verbose_name=_("helping member"),
        on_delete=models.PROTECT,
        related_name="helper_assignments",
    )
    start_on = models.DateField(_("assigned on"))
    # the day the assignment stopped (start ≤ D < end, as membership periods); open = today
    end_on = models.DateField(_("ended on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["entry", "start_on", "id"]
        verbose_name = _("helper assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "helper"],
                condition=models.Q(end_on__isnull=True),
                name="sourcehelper_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="sourcehelper_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.entry}"
