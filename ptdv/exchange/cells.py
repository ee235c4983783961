"""Cell values → typed values, each problem explained in Vietnamese. Pure functions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ptdv.exchange.reader import Cell, text_of
from ptdv.exchange.vocab import EXTENSIBLE, lookup


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def _make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("The date %(date)s does not exist.") % {"date": shown})


def parse_date(cell: Cell) -> dt.date | None:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000 and float(value).is_integer():
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()  # an Excel date serial shown as a number
        raise CellError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value})
    text = text_of(value)
    m = _DATE_TEXT.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        if year < 100:
            raise CellError(_("Write the year with four digits: “%(value)s”.") % {"value": text})
        return _make_date(year, month, day, text)
    m = _ISO_TEXT.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        return _make_date(year, month, day, text)
    if text.isdigit() and len(text) == 4:
        raise CellError(
            _("Only the year (%(value)s) is given; the full date dd/mm/yyyy is needed.")
            % {"value": text}
        )
    raise CellError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": text})


def parse_text(cell: Cell, *, max_length: int = 255) -> str:
    text = text_of(cell.value)
    if len(text) > max_length:
        raise CellError(
            _("The text is too long (%(n)s characters, at most %(max)s).")
            % {"n": len(text), "max": max_length}
        )
    return text


def _digits_of_number(value: Any, number_format: str) -> str:
    digits = str(int(value))
    zeros = re.fullmatch(r"0+", number_format or "")
    if zeros:
        digits = digits.zfill(len(zeros.group(0)))  # a "000000000000" format keeps zeros
    return digits


def parse_citizen_id(cell: Cell) -> str:
    """12 digits. A number lost its leading zeros (Excel), which are restored; typed
    text must have the 12 digits."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CellError(_("A citizen ID (CCCD) has exactly 12 digits."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("A citizen ID (CCCD) has exactly 12 digits."))
        value = int(value)
    if isinstance(value, int):
        digits = _digits_of_number(value, cell.number_format)
        if len(digits) < 12 and len(digits) >= 9:
            digits = digits.zfill(12)
    else:
        digits = re.sub(r"[\s.\-']", "", text_of(value))
    if not digits.isdigit() or len(digits) != 12:
        raise CellError(
            _("A citizen ID (CCCD) has exactly 12 digits; “%(value)s” has %(n)s.")
            % {"value": digits, "n": sum(ch.isdigit() for ch in digits)}
        )
    return digits


def parse_number_text(cell: Cell, *, max_length: int = 20) -> str:
    """Card numbers and the like: digits kept as text, numbers without ".0"."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _digits_of_number(value, cell.number_format)
    return parse_text(cell, max_length=max_length).replace(" ", "")


def parse_phone(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return "0" + digits if len(digits) == 9 else digits  # Excel dropped the 0
    return parse_text(cell, max_length=20)


def parse_choice(field: str, cell: Cell, aliases: dict[tuple[str, str], str] | None = None) -> Any:
    if cell.value is None:
        return None
    text = text_of(cell.value)
    found = lookup(field, text, aliases)
    if found is None:
        if field in EXTENSIBLE:
            raise CellError(
                _(
                    "“%(value)s” is not a known value of this column. If it is a usual way "
                    "of writing one, add it on the page “Values written in files” and check "
                    "the rows again."
                )
                % {"value": text}
            )
        raise CellError(_("“%(value)s” is not a known value of this column.") % {"value": text})
    return found


def parse_score(cell: Cell) -> Decimal | None:
    """A score out of 10, with a comma or a dot, at most two decimals: "8,5", 8.5, "7"."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("The score must be a number from 0 to 10."))
    text = str(value) if isinstance(value, int | float) else text_of(value).replace(",", ".")
    try:
        score = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        raise CellError(
            _("“%(value)s” is not a score (a number from 0 to 10).") % {"value": text_of(value)}
        ) from None
    if not score.is_finite() or not 0 <= score <= 10:
        raise CellError(
            _("The score must be a number from 0 to 10; “%(value)s” is not.")
            % {"value": text_of(value)}
        )
    if score != score.quantize(Decimal("0.01")):
        raise CellError(
            _("A score has at most two decimals: “%(value)s”.") % {"value": text_of(value)}
        )
    return score


def parse_year(cell: Cell) -> int | None:
    """The year of a yearly source list: a number or text of four digits."""
    value = cell.value
    if value is None:
        return None
    text = text_of(value).strip()
    if not text:
        return None
    if text.isdigit() and len(text) == 4 and 1930 <= int(text) <= 2100:
        return int(text)
    raise CellError(_("“%(value)s” is not a year (e.g. 2025).") % {"value": text})


_TERM_TEXT = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")


def parse_term(cell: Cell) -> str:
    """A congress term written 2020-2025 (also 2020 – 2025, 2020/2025)."""
    if cell.value is None:
        return ""
    text = text_of(cell.value).strip()
    if not text:
        return ""
    m = _TERM_TEXT.match(text)
    if not m or int(m.group(1)) >= int(m.group(2)):
        raise CellError(_("A term is written as 2020-2025; “%(value)s” is not.") % {"value": text})
    return f"{m.group(1)}-{m.group(2)}"


def parse_reference(cell: Cell) -> str:
    """A person named by name, card number or citizen ID: numbers as digits, text as is."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _digits_of_number(value, cell.number_format)
    return parse_text(cell, max_length=255)


def read(field: str, cell: Cell, aliases: dict[tuple[str, str], str] | None = None) -> Any:
    """Parse one cell of the given field; CellError on a problem. ``aliases``: the
    spellings of list values users added (``exchange.selectors.value_aliases``)."""
    if cell.uncached_formula:
        raise CellError(
            _(
                "The cell holds a formula whose result was never saved. Open the file in "
                "Excel and save it again, or paste the values instead of the formula."
            )
        )
    if field in {
        "date_of_birth",
        "date_of_birth_male",
        "date_of_birth_female",
        "admitted_on",
        "official_on",
        "valid_from",
        "start_on",
        "end_on",
        "added_on",
        "date",
        "decision_date",
    }:
        return parse_date(cell)
    if field == "year":
        return parse_year(cell)
    if field == "term":
        return parse_term(cell)
    if field in {"helper_1", "helper_2"}:
        return parse_reference(cell)
    if field == "note":
        return parse_text(cell, max_length=2000)
    if field == "citizen_id":
        return parse_citizen_id(cell)
    if field == "card_number":
        return parse_number_text(cell)
    if field == "org_code":  # a code, or a cell's name in a per-row "Chi bộ" column
        return parse_reference(cell)
    if field in {"code", "parent_code", "class_code", "institution_code"}:
        return parse_number_text(cell, max_length=40)
    if field == "phone":
        return parse_phone(cell)
    if field in {
        "gender",
        "ethnicity",
        "religion",
        "education_general",
        "education_professional",
        "political_theory",
        "occupation",
        "status",
        "youth_union_member",
        "authorised_to_admit",
        "kind",
        "sector",
        "passed",
    }:
        return parse_choice(field, cell, aliases)
    if field == "score":
        return parse_score(cell)
    if field == "grade":
        return parse_text(cell, max_length=40)
    if field in {"full_name", "other_names"}:
        return parse_text(cell, max_length=120)
    return parse_text(cell)
