"""Admission targets (chỉ tiêu kết nạp): per congress term or per year, per organization,
with the document that set them. A committee allocates its target to its child
organizations; the actual figures are computed, never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


class Term(PublicIdModel):
    """A congress term, e.g. 2020–2025."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="term_year_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Target(PublicIdModel):
    """The number of new members ``org_unit`` is to admit in ``year`` or over ``term``."""

    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    term = models.ForeignKey(
        Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.PositiveIntegerField(_("target (new members)"))
    document_number = models.CharField(_("document number"), max_length=60)
    document_date = models.DateField(_("document date"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["org_unit__path", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(year__isnull=True) & models.Q(term__isnull=False))
                | (models.Q(year__isnull=False) & models.Q(term__isnull=True)),
                name="target_year_xor_term",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "year"],
                condition=models.Q(year__isnull=False),
                name="target_unique_year",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "term"],
                condition=models.Q(term__isnull=False),
                name="target_unique_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} — {self.period_label}: {self.value}"

    @property
    def period_label(self) -> str:
        return str(self.year) if self.year else str(self.term)
