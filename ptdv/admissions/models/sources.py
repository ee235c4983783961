"""The source lists of outstanding masses, their entries and fostering notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


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
