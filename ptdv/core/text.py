"""Vietnamese text helpers: diacritics folding for search and a collation key.

``fold`` turns "Nguyễn Văn Đức" into "nguyen van duc" so that a search typed without
diacritics finds names with them. ``name_sort_key`` produces a digits-only string whose
plain byte order is the Vietnamese order of personal names (given name first, then
middle and family names), so the database can sort and paginate without an ICU
collation on SQLite or PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata

_COMBINING_TONES = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
_VOWEL_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}

# Vietnamese alphabet order, with the Latin letters Vietnamese does not use slotted in
# where the Latin alphabet puts them (names of foreign origin).
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_RANK = {letter: i + 10 for i, letter in enumerate(_ALPHABET)}
_WITH_MARK = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}
_SPACES = re.compile(r"\s+")


def normalize_spaces(value: str) -> str:
    """NFC-normalise and collapse runs of whitespace (trailing spaces, tabs, NBSP)."""
    value = unicodedata.normalize("NFC", value or "").replace("\u00a0", " ")
    return _SPACES.sub(" ", value).strip()


def fold(value: str) -> str:
    """Lower-case, strip every diacritic, đ → d, collapse spaces."""
    value = unicodedata.normalize("NFD", normalize_spaces(value).lower())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return value.replace("đ", "d")


def _letters(word: str) -> list[tuple[str, int]]:
    """Split a word into (Vietnamese base letter, tone) pairs."""
    result: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        tone = 0
        mark = None
        for comb in decomposed[1:]:
            if comb in _COMBINING_TONES:
                tone = _COMBINING_TONES[comb]
            elif comb in _VOWEL_MARKS:
                mark = _VOWEL_MARKS[comb]
        if mark:
            base = _WITH_MARK.get((base, mark), base)
        result.append((base, tone))
    return result


def word_key(word: str) -> str:
    primary: list[str] = []
    tones: list[str] = []
    for base, tone in _letters(word):
        if base in _RANK:
            primary.append(f"{_RANK[base]:02d}")
        elif base.isdigit():
            primary.append(f"0{base}")
        else:
            continue  # hyphens, apostrophes (H'Mông) do not affect the order
        tones.append(str(tone))
    return "".join(primary) + "00" + "".join(tones)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name."""
    words = normalize_spaces(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """Digits-only key: given name, then middle names, then family name."""
    family, middle, given = split_name(full_name)
    parts = [given, *middle.split(" ")] if middle else [given]
    parts.append(family)
    return "".join(word_key(p) for p in parts if p)[:250]


def text_sort_key(text: str) -> str:
    """Vietnamese order for any text (organization names, places), word by word."""
    return "".join(word_key(w) for w in normalize_spaces(text).split(" ") if w)[:250]
