"""Writes of the documents app: saving a template override (a new version each time,
old versions kept), uploading a DOCX template, restoring the shipped default."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm_anywhere
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.documents.models import DocumentTemplate, DocumentTemplateVersion
from ptdv.documents.registry import SPECS
from ptdv.documents.sandbox import (
    SecurityError,
    TemplateRefused,
    check_html_source,
    plain_context,
)

PERM = "admissions.configure"
MAX_DOCX_BYTES = 5 * 1024 * 1024

register(
    {
        "documents.template.updated": gettext_lazy("Document template updated"),
        "documents.template.reset": gettext_lazy("Document template restored to the default"),
    }
)


def _require_editor(actor: Any) -> None:
    if not has_perm_anywhere(actor, PERM):
        raise PermissionDeniedError(_("Only the organization board may edit document templates."))


def _spec(code: str) -> Any:
    spec = SPECS.get(code)
    if spec is None:
        raise DomainError(
            _("There is no document template with the code %(code)s.") % {"code": code},
            code="unknown_template",
        )
    return spec


def _refused(what: str, field: str) -> DomainError:
    return DomainError(
        _(
            "The template was refused: it uses %(what)s, which document templates may not use. "
            "A template may only print the document's data (the keys listed beside the "
            "editor) with the filters vn_date and dmy; it cannot read hidden attributes, call "
            "functions, import, or reach the settings or the request."
        )
        % {"what": what},
        code="template_refused",
        field=field,
    )


def template_check(code: str, body_html: str) -> None:
    """Compile ``body_html`` and render it with the sample context of ``code``; any
    error becomes a Vietnamese ``DomainError`` on the field ``body_html``."""
    from django.template import Context

    from ptdv.documents.engine import compile_template, error_line
    from ptdv.documents.render import build_context

    spec = _spec(code)
    if not body_html.strip():
        raise DomainError(_("The template is empty."), code="empty_template", field="body_html")
    try:
        check_html_source(body_html)
    except TemplateRefused as exc:
        raise _refused(exc.what, "body_html") from exc
    try:
        compile_template(body_html, debug=True).render(
            Context(plain_context(build_context(code, spec.sample())), autoescape=True)
        )
    except TemplateSyntaxError as exc:
        line = error_line(exc)
        if line is not None:
            message = _("The template has a syntax error on line %(line)s: %(error)s") % {
                "line": line,
                "error": exc,
            }
        else:
            message = _("The template has a syntax error: %(error)s") % {"error": exc}
        raise DomainError(message, code="template_syntax", field="body_html") from exc
    except TemplateDoesNotExist as exc:
        raise DomainError(
            _("The template refers to a template that does not exist: %(name)s") % {"name": exc},
            code="template_syntax",
            field="body_html",
        ) from exc
    except Exception as exc:  # a filter or tag failing on the sample data
        raise DomainError(
            _("The template cannot be rendered with the sample data: %(error)s") % {"error": exc},
            code="template_render",
            field="body_html",
        ) from exc


def docx_check(code: str, data: bytes) -> None:
    """A DOCX template must be a Word file that docxtpl renders with the sample context."""
    from ptdv.documents.render import _docxtpl_render, build_context

    spec = _spec(code)
    if len(data) > MAX_DOCX_BYTES:
        raise DomainError(
            _("The DOCX file is larger than 5 MB."), code="docx_too_big", field="docx_file"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DomainError(
            _("The file is not a Word (.docx) document."), code="docx_invalid", field="docx_file"
        )
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".docx") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            _docxtpl_render(tmp.name, build_context(code, spec.sample()))
        except TemplateRefused as exc:
            raise _refused(exc.what, "docx_file") from exc
        except SecurityError as exc:
            raise _refused(str(exc), "docx_file") from exc
        except Exception as exc:
            raise DomainError(
                _("The DOCX template cannot be rendered: %(error)s") % {"error": exc},
                code="docx_invalid",
                field="docx_file",
            ) from exc


@transaction.atomic
def template_save(
    *,
    code: str,
    body_html: str,
    actor: Any,
    name: str = "",
    note: str = "",
    docx: tuple[str, bytes] | None = None,
    remove_docx: bool = False,
) -> DocumentTemplate:
    """Save a new version of the template ``code`` and make it the one in use."""
    _require_editor(actor)
    spec = _spec(code)
    body_html = body_html.replace("\r\n", "\n")
    template_check(code, body_html)
    if docx is not None:
        docx_check(code, docx[1])
    name = (name or "").strip() or str(spec.name)

    row = DocumentTemplate.objects.select_for_update().filter(code=code).first()
    old: dict[str, Any] = {}
    if row is None:
        row = DocumentTemplate(code=code, kind=spec.kind, version=0)
    else:
        old = {"version": row.version, "is_active": row.is_active, "name": row.name}
    row.name = name
    row.kind = spec.kind
    row.body_html = body_html
    row.version += 1
    row.is_active = True
    row.updated_by = actor
    if remove_docx:
        row.docx_file = ""
    if docx is not None:
        row.docx_file.save(f"{code}-v{row.version}.docx", ContentFile(docx[1]), save=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # two first saves of the same code at once
        raise DomainError(
            _("Someone else saved this template at the same time; reload the page and try again."),
            code="concurrent_save",
        ) from exc
    DocumentTemplateVersion.objects.create(
        template=row,
        version=row.version,
        name=row.name,
        body_html=row.body_html,
        docx_file=row.docx_file.name or "",
        is_active=True,
        note=note[:255],
        created_by=actor,
    )
    record(
        action="documents.template.updated",
        actor=actor,
        target=row,
        data={
            "code": code,
            "old": old,
            "new": {"version": row.version, "name": row.name, "docx": bool(row.docx_file)},
            "note": note,
        },
    )
    return row


@transaction.atomic
def template_reset(*, code: str, actor: Any) -> DocumentTemplate | None:
    """Stop using the override: the shipped default is used again (history kept)."""
    _require_editor(actor)
    _spec(code)
    row = DocumentTemplate.objects.select_for_update().filter(code=code).first()
    if row is None or not row.is_active:
        return row
    old_version = row.version
    row.is_active = False
    row.version += 1
    row.updated_by = actor
    row.save(update_fields=["is_active", "version", "updated_by", "updated_at"])
    DocumentTemplateVersion.objects.create(
        template=row,
        version=row.version,
        name=row.name,
        body_html=row.body_html,
        docx_file=row.docx_file.name or "",
        is_active=False,
        note=_("Default restored"),
        created_by=actor,
    )
    record(
        action="documents.template.reset",
        actor=actor,
        target=row,
        data={"code": code, "old": {"version": old_version}, "new": {"version": row.version}},
    )
    return row
