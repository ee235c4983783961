from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


class Kind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    RESOLUTION = "resolution", _("Resolution")
    DECISION = "decision", _("Decision")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", _("Other document")


class DocumentTemplate(PublicIdModel):
    """A user's override of a default document template (``doc_templates/<code>.html``).
    Without a row, or with ``is_active`` off, the shipped default is used."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    body_html = models.TextField(_("template (HTML)"))
    docx_file = models.FileField(
        _("DOCX template"), upload_to="documents/templates/", blank=True, default=""
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class DocumentTemplateVersion(models.Model):
    """Every saved version, kept for history (the current one included)."""

    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    body_html = models.TextField(_("template (HTML)"))
    docx_file = models.CharField(_("DOCX template"), max_length=255, blank=True, default="")
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["template", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "version"], name="documents_tpl_version_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template.code} v{self.version}"
