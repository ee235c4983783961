"""``Fold(expr)``: the database's own spelling of :func:`ptdv.core.text.fold` — lower case,
no diacritics, đ → d — so that a search by a word "with or without diacritics" is a
filter in SQL (bounded by LIMIT) rather than a Python loop over every row.

PostgreSQL: ``lower(translate(expr, <every accented Vietnamese letter>, <its base>))``
(immutable, so it can be indexed). SQLite: a deterministic function registered on each
new connection that calls :func:`fold` itself."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func

from ptdv.core.text import fold

SQLITE_NAME = "ptdv_fold"


VIETNAMESE = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư" + "".join(
    chr(c) for c in range(0x1EA0, 0x1EFA)
)


def _table() -> tuple[str, str]:
    """(accented letters, their folded letter), one character each: the letters of
    Vietnamese, upper and lower case (lower() alone would leave Ơ as ơ on a C-locale
    database). PostgreSQL's translate() costs the length of this list per character, so
    it holds Vietnamese's 134 letters, not every accented Latin letter."""
    src, dst = [], []
    for ch in VIETNAMESE:
        f = fold(ch)
        if len(f) == 1 and f.isascii() and f.isalpha() and f != ch:
            src.append(ch)
            dst.append(f)
    return "".join(src), "".join(dst)


FROM, TO = _table()


class Fold(Func):
    """The folded text of an expression (see the module)."""

    function = "LOWER"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, FROM, TO]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function=SQLITE_NAME, **extra)


def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_NAME, 1, lambda v: None if v is None else fold(v), deterministic=True
        )


connection_created.connect(_register, dispatch_uid="ptdv.core.foldsql")
