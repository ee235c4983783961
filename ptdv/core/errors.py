"""Domain errors: raised by services and rules, shown to the user in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """A refusal that explains itself. ``message`` is already translated."""

    def __init__(
        self, message: str, *, code: str = "invalid", field: str | None = None, source: str = ""
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
        self.source = source


class PermissionDeniedError(DomainError):
    def __init__(self, message: str, *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)


@dataclass
class RowError:
    row: int
    message: str
    field: str | None = None


@dataclass
class BulkError(DomainError):
    """A bulk action refused as a whole; ``rows`` says which rows failed and why."""

    message: str
    rows: list[RowError] = field(default_factory=list)
    code: str = "bulk_invalid"

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message)
        self.field = None
        self.source = ""
