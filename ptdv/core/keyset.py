"""Keyset pagination: the next page is the rows AFTER the last one shown, in the list's
order (``WHERE (a, b, id) > (…) ORDER BY a, b, id LIMIT n``), never an ``OFFSET`` that
reads and drops every row before it — page 2,000 of a province costs what page 2 does.

The cursor names the boundary row by its ordering values (no lookup). The page number
shown beside "Page n of N" travels with the links; ``?page=N`` (old links) still works
once, by offset.

The count shown above the list is bounded: counting every row matching a common word
among millions costs seconds, so it stops at ``COUNT_CAP`` ("more than 10,000"); the
pages go on by cursor beyond it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from ptdv.core.http import PER_PAGE

CURSOR_PARAMS = ("page", "after", "before", "p")
COUNT_CAP = 10_000  # rows counted at most (the count reads no more rows than this + 1)


@dataclass
class KeysetPage:
    object_list: list[Any]
    count: int
    number: int
    per_page: int
    next_cursor: str = ""
    previous_cursor: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    capped: bool = False  # more rows than ``count`` (the count stopped at the cap)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def next_number(self) -> int:
        return self.number + 1 if self.capped else min(self.number + 1, self.num_pages)

    @property
    def previous_number(self) -> int:
        return max(self.number - 1, 1)


def encode(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(qs: QuerySet[Any], fields: Sequence[str], token: str) -> list[Any] | None:
    """The ordering values of a cursor (None when it is not one of ours)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(fields):
            return None
        return [
            qs.model._meta.get_field(f).to_python(v) for f, v in zip(fields, values, strict=True)
        ]
    except (ValueError, TypeError, ValidationError):  # base64, JSON and date errors
        return None


def _beyond(fields: Sequence[str], values: Sequence[Any], op: str) -> Q:
    """(f1, f2, …) > (v1, v2, …) (or <), spelled out for every database."""
    q = Q(pk__in=[])
    for i, f in enumerate(fields):
        q |= Q(**dict(zip(fields[:i], values[:i], strict=True)), **{f"{f}__{op}": values[i]})
    return q


def keyset_page(
    request: HttpRequest, qs: QuerySet[Any], fields: Sequence[str], per_page: int = PER_PAGE
) -> KeysetPage:
    """One page of ``qs`` ordered by ``fields`` (unique together: end with the id), with
    the number of rows counted up to ``COUNT_CAP``."""
    get = request.GET
    cap = COUNT_CAP
    count = qs.order_by()[: cap + 1].count()
    capped = count > cap
    count = min(count, cap)
    try:
        number = max(1, int(get.get("p") or get.get("page") or 1))
    except ValueError:
        number = 1
    ordered = qs.order_by(*fields)
    after = decode(qs, fields, get.get("after", "")) if get.get("after") else None
    before = decode(qs, fields, get.get("before", "")) if get.get("before") else None
    if before is not None:
        rows = list(
            qs.filter(_beyond(fields, before, "lt")).order_by(*(f"-{f}" for f in fields))[
                : per_page + 1
            ]
        )
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        more_after = True
    elif after is not None:
        rows = list(ordered.filter(_beyond(fields, after, "gt"))[: per_page + 1])
        more_after = len(rows) > per_page
        rows = rows[:per_page]
        more_before = True
    else:
        if get.get("after") or get.get("before"):
            number = 1  # a cursor that is not ours: the first page
        number = min(number, max(1, -(-count // per_page)))  # an offset ≤ the cap
        start = (number - 1) * per_page
        rows = list(ordered[start : start + per_page + 1])
        more_after = len(rows) > per_page
        rows = rows[:per_page]
        more_before = start > 0
    if not rows:
        more_after = more_before = False
    return KeysetPage(
        object_list=rows,
        count=count,
        number=number,
        per_page=per_page,
        next_cursor=encode([getattr(rows[-1], f) for f in fields]) if more_after else "",
        previous_cursor=encode([getattr(rows[0], f) for f in fields]) if more_before else "",
        capped=capped,
    )


def query_without_cursor(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in CURSOR_PARAMS:
        params.pop(name, None)
    return params.urlencode()
