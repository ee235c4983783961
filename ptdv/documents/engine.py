"""The template engine of official documents: a Django engine of its own, which sees only
``doc_templates/`` (so an edited template cannot include application templates) and has
the ``official`` filters built in. A missing variable prints as a dotted blank. The
context it gets is made of plain read-only values (``sandbox.plain_context``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template import Engine, Template


class DocumentEngine(Engine):
    """Django's engine with a reduced set of default tags and filters
    (``ptdv.documents.safe_builtins``: no ``{% debug %}``, ``{% load %}``, ``{% url %}``,
    ``{% csrf_token %}``, ``|pprint``); see ``sandbox.py``."""

    default_builtins = [
        "ptdv.documents.safe_builtins",
        "django.template.loader_tags",
    ]


DOC_TEMPLATES_DIR = Path(__file__).resolve().parent / "doc_templates"
MISSING = "…………"


@cache
def engine(debug: bool = False) -> Engine:
    """``debug=True`` (used when checking an edited template) records the line of an
    error in ``exc.template_debug``."""
    return DocumentEngine(
        dirs=[str(DOC_TEMPLATES_DIR)],
        app_dirs=False,
        debug=debug,
        autoescape=True,
        string_if_invalid=MISSING,
        builtins=["ptdv.documents.templatetags.official"],
        libraries={},
    )


def compile_template(source: str, *, debug: bool = False) -> Template:
    """Compile ``source``; raises ``TemplateSyntaxError`` / ``TemplateDoesNotExist``."""
    return engine(debug).from_string(source)


def error_line(exc: BaseException) -> int | None:
    info = getattr(exc, "template_debug", None)
    return info.get("line") if isinstance(info, dict) else None


def default_source(code: str) -> str | None:
    path = DOC_TEMPLATES_DIR / f"{code}.html"
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8")
