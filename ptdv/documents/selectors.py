"""Reads of the documents app. Templates are global (not tied to an organization)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from ptdv.documents.engine import default_source
from ptdv.documents.models import DocumentTemplate, DocumentTemplateVersion
from ptdv.documents.registry import SPECS, Spec


@dataclass
class TemplateRow:
    spec: Spec
    override: DocumentTemplate | None

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def in_use(self) -> str:
        return "override" if self.override is not None and self.override.is_active else "default"

    @property
    def name(self) -> str:
        if self.override is not None and self.override.is_active:
            return self.override.name
        return str(self.spec.name)


def template_rows() -> list[TemplateRow]:
    overrides = {
        t.code: t for t in DocumentTemplate.objects.select_related("updated_by").order_by("code")
    }
    return [TemplateRow(spec, overrides.get(code)) for code, spec in sorted(SPECS.items())]


def template_row(code: str) -> TemplateRow:
    spec = SPECS.get(code)
    if spec is None:
        raise Http404
    override = DocumentTemplate.objects.select_related("updated_by").filter(code=code).first()
    return TemplateRow(spec, override)


def current_body(row: TemplateRow) -> str:
    if row.override is not None and row.override.is_active:
        return row.override.body_html
    return default_source(row.code) or ""


def template_versions(row: TemplateRow) -> list[DocumentTemplateVersion]:
    if row.override is None:
        return []
    return list(row.override.versions.select_related("created_by").order_by("-version")[:50])


def template_version(row: TemplateRow, version: int) -> DocumentTemplateVersion | None:
    if row.override is None:
        return None
    return row.override.versions.filter(version=version).first()


def default_body(code: str) -> str:
    return default_source(code) or ""


def sample_context(code: str) -> dict[str, Any]:
    return SPECS[code].sample()
