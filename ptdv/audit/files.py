"""Serving a stored file: only through a view that has already checked the requester may
see the file's subject (a scoped selector answered, else 404), and every download is
written to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy

from ptdv.audit.labels import register
from ptdv.audit.services import record

ACTION = "files.downloaded"
register({ACTION: gettext_lazy("File downloaded")})


def file_response(
    *,
    actor: Any,
    file: FieldFile | None,
    target: models.Model,
    filename: str,
    org_unit: Any = None,
    inline: bool = False,
) -> FileResponse:
    """The file as an attachment named ``filename``; 404 when there is none. The caller
    must have obtained ``target`` through a scoped selector."""
    if not file or not file.name or not file.storage.exists(file.name):
        raise Http404
    record(
        action=ACTION,
        actor=actor,
        target=target,
        org_unit=org_unit,
        data={"file": filename, "field": getattr(getattr(file, "field", None), "name", "")},
    )
    response = FileResponse(file.open("rb"), as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
