"""Legacy Vietnamese 8-bit encodings found in old Excel files, converted to Unicode.

Before Unicode, Vietnamese text was typed with fonts that reuse Latin-1 code points:
TCVN3 (ABC, the ``.VnTime`` fonts) replaces each accented letter by one byte, VNI
(``VNI-Times``) writes a base letter followed by one or two mark characters. Opened
without those fonts, a name reads "NguyÔn V¨n §øc" (TCVN3) or "Nguyeãn Vaên Ñöùc" (VNI).
``to_unicode`` detects the encoding per cell and converts; text that is already Unicode
(NFC or NFD) is left as it is, NFC-normalised.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3 (ABC): one Latin-1 character per Vietnamese letter. Lower-case letters; the
# capitals with a breve/circumflex/horn/stroke have their own codes, accented capitals
# were typed with a separate capital font (.VnTimeH) using the lower-case codes.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ "
    "Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ ×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ "
    "ïù óú ñủ òũ ôụ \xadư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TO_UNICODE: dict[str, str] = {p[0]: p[1] for p in _TCVN3_PAIRS.split(" ")}

# VNI Windows: base letter + mark(s). Lower and upper case use matching marks.
_VNI_LOWER = {
    "aø": "à", "aù": "á", "aû": "ả", "aõ": "ã", "aï": "ạ",
    "aê": "ă", "aè": "ằ", "aé": "ắ", "aú": "ẳ", "aü": "ẵ", "aë": "ặ",
    "aâ": "â", "aà": "ầ", "aá": "ấ", "aå": "ẩ", "aã": "ẫ", "aä": "ậ",
    "eø": "è", "eù": "é", "eû": "ẻ", "eõ": "ẽ", "eï": "ẹ",
    "eâ": "ê", "eà": "ề", "eá": "ế", "eå": "ể", "eã": "ễ", "eä": "ệ",
    "oø": "ò", "où": "ó", "oû": "ỏ", "oõ": "õ", "oï": "ọ",
    "oâ": "ô", "oà": "ồ", "oá": "ố", "oå": "ổ", "oã": "ỗ", "oä": "ộ",
    "ôø": "ờ", "ôù": "ớ", "ôû": "ở", "ôõ": "ỡ", "ôï": "ợ",
    "uø": "ù", "uù": "ú", "uû": "ủ", "uõ": "ũ", "uï": "ụ",
    "öø": "ừ", "öù": "ứ", "öû": "ử", "öõ": "ữ", "öï": "ự",
    "yø": "ỳ", "yù": "ý", "yû": "ỷ", "yõ": "ỹ",
    "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
    "ô": "ơ", "ö": "ư", "ñ": "đ",
}  # fmt: skip
VNI_TO_UNICODE: dict[str, str] = dict(_VNI_LOWER)
for _k, _v in _VNI_LOWER.items():
    VNI_TO_UNICODE[_k.upper()] = _v.upper()
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True))
)

# Letters of Vietnamese written in Unicode (NFC), besides ASCII.
_VIET_LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
VIET_LETTERS = frozenset(_VIET_LOWER + _VIET_LOWER.upper())
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Characters that cannot occur in Vietnamese Unicode text: a cell holding one of them is
# a candidate for conversion.
_SUSPECT = frozenset(set(TCVN3_TO_UNICODE) | set("øïûñöëåäæîØÏÛÑÖËÅÄÆÎ")) - VIET_LETTERS
_VNI_PAIRS = re.compile("[aAeEoO][âêÂÊ]")


def tcvn3_to_unicode(text: str) -> str:
    return "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)


def vni_to_unicode(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


# a/e/o followed by a circumflex vowel never occurs in Vietnamese ("oâ", "aê" are VNI)
_IMPOSSIBLE = re.compile("[aeoAEO][âêÂÊấầẩẫậếềểễệẤẦẨẪẬẾỀỂỄỆ]")


def _word_ok(word: str) -> bool:
    if _IMPOSSIBLE.search(word):
        return False
    tones = 0
    for ch in word:
        if ch.isascii() or ch in VIET_LETTERS:
            tones += sum(1 for c in unicodedata.normalize("NFD", ch) if c in _TONES)
            continue
        return False
    return tones <= 1


def plausibility(text: str) -> int:
    """How much a text looks like Vietnamese: +1 per plausible word, -2 per other."""
    score = 0
    for word in text.split():
        score += 1 if _word_ok(word) else -2
    return score


def detect(text: str) -> str:
    """ "unicode", "tcvn3" or "vni" for one cell's text."""
    if not text or text.isascii():
        return "unicode"
    nfc = unicodedata.normalize("NFC", text)
    if not (any(ch in _SUSPECT for ch in nfc) or _VNI_PAIRS.search(nfc)):
        return "unicode"
    candidates = [
        ("unicode", plausibility(nfc)),
        ("vni", plausibility(vni_to_unicode(nfc))),
        ("tcvn3", plausibility(tcvn3_to_unicode(nfc))),
    ]
    best = max(candidates, key=lambda c: c[1])  # first wins ties: unicode, then vni
    return best[0]


def to_unicode(text: str) -> tuple[str, str]:
    """(converted NFC text, detected encoding)."""
    encoding = detect(text)
    nfc = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        return _recapitalise(nfc, tcvn3_to_unicode(nfc)), encoding
    if encoding == "vni":
        return vni_to_unicode(nfc), encoding
    return nfc, encoding


def _recapitalise(original: str, converted: str) -> str:
    """TCVN3 typed accented capitals with a capital font and lower-case codes; in a text
    whose other words are capitalised (a name, a place), capitalise those words too."""
    words = converted.split(" ")
    originals = original.split(" ")
    others = [w for w, o in zip(words, originals, strict=False) if w and o and o[0].isascii()]
    if not others or not all(w[0].isupper() for w in others if w[0].isalpha()):
        return converted
    return " ".join(
        (w[0].upper() + w[1:]) if w and o and not o[0].isascii() and w[0].islower() else w
        for w, o in zip(words, originals, strict=True)
    )


def unicode_to_tcvn3(text: str) -> str:
    """For tests: write text the way a TCVN3 font file stores it."""
    back = {v: k for k, v in TCVN3_TO_UNICODE.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in back:
            out.append(back[ch])
        elif ch.lower() in back and ch not in "ĂÂĐÊÔƠƯ":
            out.append(back[ch.lower()])  # accented capital: lower-case code (.VnTimeH)
        else:
            out.append(ch)
    return "".join(out)


def unicode_to_vni(text: str) -> str:
    """For tests: write text the way a VNI font file stores it."""
    back: dict[str, str] = {}
    for k, v in VNI_TO_UNICODE.items():
        back.setdefault(v, k)
    return "".join(back.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --- a whole column --------------------------------------------------------------
#
# One cell often cannot tell: "Vâ Tó" is plausible Unicode and is also "Võ Tú" typed in
# TCVN3; "Lyù" reads as Unicode but is "Lý" in VNI. A column of a file was typed with one
# font, so the decision is taken from the statistics of the whole column and every cell
# of the column is read that way (a cell holding a character no 8-bit font can hold, such
# as "ễ" or "đ", was typed in Unicode and stays as it is).

ENCODINGS = ("unicode", "tcvn3", "vni")
AUTO = ""  # the user leaves the choice to the detection
SAMPLES = 3


class Decoded(str):
    """Text already converted from its column's encoding: not converted again."""

    __slots__ = ()


def _latin1(text: str) -> bool:
    return all(ord(ch) < 256 for ch in text)


def _decode(nfc: str, encoding: str) -> str:
    if encoding == "tcvn3":
        return _recapitalise(nfc, tcvn3_to_unicode(nfc))
    if encoding == "vni":
        return vni_to_unicode(nfc)
    return nfc


class ColumnStats:
    """The evidence of one column's cells, added one at a time (constant memory)."""

    def __init__(self) -> None:
        self.scores = dict.fromkeys(ENCODINGS, 0)  # summed plausibility of each reading
        self.telltale = dict.fromkeys(ENCODINGS, 0)  # cells a single reading fits best
        self.samples: list[str] = []  # non-ASCII texts, for the preview
        self.cells = 0

    def add(self, text: str) -> None:
        if not text or text.isascii():
            return
        nfc = unicodedata.normalize("NFC", text)
        self.cells += 1
        if not _latin1(nfc):
            self.telltale["unicode"] += 1  # no 8-bit font can hold it
            self._sample(nfc, changed=False)
            return
        readings = {enc: plausibility(_decode(nfc, enc)) for enc in ENCODINGS}
        for enc, score in readings.items():
            self.scores[enc] += score
        best = max(readings.values())
        winners = [enc for enc, score in readings.items() if score == best]
        if len(winners) == 1:
            self.telltale[winners[0]] += 1
        changed = any(_decode(nfc, enc) != nfc for enc in ("tcvn3", "vni"))
        self._sample(nfc, changed=changed)

    def _sample(self, nfc: str, *, changed: bool) -> None:
        if nfc in self.samples:
            return
        if len(self.samples) < SAMPLES:
            self.samples.append(nfc)
        elif changed:  # prefer texts that a conversion would change
            for i, s in enumerate(self.samples):
                if all(_decode(s, e) == s for e in ("tcvn3", "vni")):
                    self.samples[i] = nfc
                    break

    def encoding(self) -> str:
        """The column's encoding: a legacy one when its reading of the column is the
        most plausible and more cells fit it alone than fit Unicode alone."""
        legacy_best = max(("tcvn3", "vni"), key=lambda e: (self.scores[e], self.telltale[e]))
        if (
            self.scores[legacy_best] > self.scores["unicode"]
            and self.telltale[legacy_best] > self.telltale["unicode"]
        ):
            return legacy_best
        return "unicode"


def convert(text: str, encoding: str) -> Decoded:
    """One cell of a column whose encoding is known (``AUTO``: cell by cell, as
    ``to_unicode``). A legacy column's cells are read in its encoding unless that reading
    is less plausible than the text as it stands, or the cell holds characters beyond
    Latin-1 (typed in Unicode)."""
    nfc = unicodedata.normalize("NFC", text)
    if text.isascii():
        return Decoded(nfc)
    if encoding in ("tcvn3", "vni"):
        if _latin1(nfc):
            out = _decode(nfc, encoding)
            if plausibility(out) >= plausibility(nfc):
                return Decoded(out)
        return Decoded(nfc)
    if encoding == "unicode":
        return Decoded(nfc)
    return Decoded(to_unicode(text)[0])
