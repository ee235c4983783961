"""Data exchange: import batches (undoable), remembered column mappings and value
aliases. (Person merges live beside people: ``ptdv.people.merging``.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People (masses and members)")
    ORGANIZATIONS = "organizations", _("Party organizations")
    ENROLMENTS = "enrolments", _("Classes: trainees and results (political centre)")
    SOURCES = "sources", _("Candidate sources (outstanding masses)")
    RESTRUCTURING = "restructuring", _("Restructuring plan (merges, moves, new units)")


class ColumnMapping(PublicIdModel):
    """The mapping chosen for a file layout, remembered by its header signature."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    signature = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # column index (str) → field name
    used_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "signature"], name="mapping_kind_signature")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.signature[:8]}"


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PREVIEWED = "previewed", _("Checked")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Refused")
    UNDONE = "undone", _("Undone")


class ImportBatch(PublicIdModel):
    """One uploaded file through the wizard: mapping, preview, commit, undo."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(upload_to="exchange/uploads/%Y/%m/", blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    sheet = models.CharField(max_length=120, blank=True)
    header_rows = models.JSONField(default=list, blank=True)  # 1-based row numbers
    headers = models.JSONField(default=list, blank=True)
    signature = models.CharField(max_length=64, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    confirmed_rows = models.JSONField(default=list, blank=True)  # name+birth matches accepted
    report = models.JSONField(default=dict, blank=True)  # counts, problems, matches
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return self.file_name

    @property
    def change_count(self) -> int:
        return self.created_count + self.updated_count


class ImportChange(models.Model):
    """One row's effect: the object created or updated, with the old values."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    target_type = models.CharField(max_length=60)  # "people.person" / "organizations.orgunit"
    target_id = models.BigIntegerField()
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    event_ids = models.JSONField(default=list, blank=True)  # membership events added

    class Meta:
        ordering = ["batch", "row", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]


class ValueAlias(PublicIdModel):
    """A way of writing a value of a list column (education, occupation…) that the
    committees' files use, added by a user: "Cán bộ địa chính" → cadre / civil servant.
    The built-in spellings are in ``vocab.py``; these extend them for every import."""

    field = models.CharField(_("column"), max_length=40)
    text = models.CharField(_("as written in the files"), max_length=200)
    folded = models.CharField(max_length=200)
    value = models.CharField(_("value"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["field", "folded"]
        constraints = [
            models.UniqueConstraint(fields=["field", "folded"], name="value_alias_field_folded")
        ]
        verbose_name = _("value spelling")
        verbose_name_plural = _("value spellings")

    def __str__(self) -> str:
        return f"{self.field}: {self.text} → {self.value}"
