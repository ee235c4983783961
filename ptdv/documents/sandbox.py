"""The sandbox of user-editable document templates.

Whoever may edit a template must not be able to run code on the server, read settings or
call methods with side effects. Three walls:

1. **Plain data only.** ``plain()`` turns the document's context into read-only plain
   values (str, numbers, dates, tuples, read-only mappings); anything else (a model
   instance, a request, a queryset) becomes its text. A template therefore never holds an
   object with methods that write.
2. **The HTML (Django) engine** (``engine.py``) has no ``{% debug %}``, ``{% load %}``,
   ``{% url %}``, ``{% csrf_token %}`` nor ``|pprint``; it sees only ``doc_templates/``;
   Django itself refuses names starting with ``_``. ``check_html_source`` refuses those
   constructs at save time with a Vietnamese message.
3. **The DOCX (Jinja) engine** is ``jinja2.sandbox.ImmutableSandboxedEnvironment`` without
   globals (no ``cycler``, ``joiner``, ``namespace``, ``lipsum``, ``range``); every parsed
   template (body, headers, footers, properties) is walked first and refused if it reads
   an attribute starting with ``_``, calls anything, or imports/includes/extends.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ptdv.documents import rules

PLAIN_SCALARS = (str, int, float, Decimal, bool, dt.date, dt.datetime, dt.time, type(None))

# tags and filters an edited HTML template may not use (they are also absent from the engine)
FORBIDDEN_TAGS = frozenset({"debug", "load", "url", "csrf_token"})
FORBIDDEN_FILTERS = frozenset({"pprint"})


class TemplateRefused(Exception):  # noqa: N818 - the name says what happened
    """An edited template uses something the sandbox does not allow. ``what`` names it
    (``__class__``, ``{% debug %}``, ``a call``...)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def plain(value: Any) -> Any:
    """A read-only plain copy of ``value`` for a template."""
    if isinstance(value, PLAIN_SCALARS):
        return value
    if isinstance(value, Mapping):
        return types.MappingProxyType({str(k): plain(v) for k, v in value.items()})
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(plain(v) for v in value)
    return str(value)


def plain_context(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level context: a fresh dict of plain values (the engines need a dict)."""
    return {str(k): plain(v) for k, v in ctx.items()}


# --- the HTML (Django template) side ---------------------------------------------------------

_TAG = re.compile(r"{%-?\s*(\w+)")
_FILTER = re.compile(r"\|\s*(\w+)")
_HIDDEN = re.compile(r"(?:^|[\s.|:(\[,=])(_\w*)")


def check_html_source(source: str) -> None:
    """Refuse constructs that the sandbox forbids, before compiling: raises
    ``TemplateRefused`` naming the first one found."""
    from django.template.base import Lexer, TokenType

    for token in Lexer(source).tokenize():
        if token.token_type not in (TokenType.VAR, TokenType.BLOCK):
            continue
        text = token.contents
        if token.token_type == TokenType.BLOCK:
            match = _TAG.match("{% " + text)
            if match and match.group(1) in FORBIDDEN_TAGS:
                raise TemplateRefused("{% " + match.group(1) + " %}")
        for name in _FILTER.findall(text):
            if name in FORBIDDEN_FILTERS:
                raise TemplateRefused("|" + name)
        hidden = _hidden_name(text)
        if hidden:
            raise TemplateRefused(hidden)


def _hidden_name(text: str) -> str | None:
    # strings in quotes are data, not names
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)
    match = _HIDDEN.search(unquoted)
    return match.group(1) if match else None


# --- the DOCX (Jinja) side --------------------------------------------------------------------


def _check_jinja_ast(tree: nodes.Node) -> None:
    for node in tree.find_all(
        (
            nodes.Const,
            nodes.Getattr,
            nodes.Getitem,
            nodes.Call,
            nodes.Import,
            nodes.FromImport,
            nodes.Include,
            nodes.Extends,
        )
    ):
        # a string naming a hidden attribute: |attr('__class__'), map(attribute='_x')...
        if isinstance(node, nodes.Const) and str(node.value).startswith("_"):
            raise TemplateRefused(str(node.value))
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise TemplateRefused(node.attr)
        if isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                if arg.value.startswith("_"):
                    raise TemplateRefused(arg.value)
            elif not isinstance(arg, nodes.Const | nodes.Name):
                raise TemplateRefused("[…]")
        if isinstance(node, nodes.Call) and not _is_loop_cycle(node):
            raise TemplateRefused("(…)")
        if isinstance(node, nodes.Import | nodes.FromImport):
            raise TemplateRefused("{% import %}")
        if isinstance(node, nodes.Include):
            raise TemplateRefused("{% include %}")
        if isinstance(node, nodes.Extends):
            raise TemplateRefused("{% extends %}")


def _is_loop_cycle(node: nodes.Call) -> bool:
    target = node.node
    return (
        isinstance(target, nodes.Getattr)
        and target.attr == "cycle"
        and isinstance(target.node, nodes.Name)
        and target.node.name == "loop"
    )


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, without globals, that walks every template it parses
    and refuses hidden attributes, calls and imports (``TemplateRefused``). At render
    time the sandbox itself still refuses anything unsafe (``SecurityError``)."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _check_jinja_ast(tree)
        return tree

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        # only loop.cycle(...) passes the parse-time walk; nothing else may be called
        from jinja2.runtime import LoopContext

        return isinstance(getattr(obj, "__self__", None), LoopContext)


def jinja_env() -> DocumentSandbox:
    import jinja2

    from ptdv.documents.engine import MISSING

    class DottedUndefined(jinja2.Undefined):
        """A missing key prints as a dotted blank, as in the PDF."""

        def __str__(self) -> str:
            if self._undefined_exception is SecurityError:  # an unsafe attribute
                self._fail_with_undefined_error()
            return MISSING

    env = DocumentSandbox(autoescape=True, undefined=DottedUndefined)
    env.globals.clear()
    env.filters["vn_date"] = lambda v, place="": rules.vn_date(v, place or "")
    env.filters["dmy"] = rules.dmy
    return env


__all__ = [
    "DocumentSandbox",
    "SecurityError",
    "TemplateRefused",
    "check_html_source",
    "jinja_env",
    "plain",
    "plain_context",
]
