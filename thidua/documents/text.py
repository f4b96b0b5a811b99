"""Small Vietnamese text helpers for official documents.

Private to :mod:`thidua.documents` for now (``thidua.scoring.text`` will own the shared
versions; the lead dedupes later). Pure functions, no Django import.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# One set of number and date formats for the whole system (pure Python, no Django).
from thidua.scoring.text import format_date, format_int, format_vnd

__all__ = [
    "format_date",
    "format_int",
    "format_vnd",
    "nfc",
    "printable",
    "shown",
    "upper_vi",
    "vietnamese_order",
    "vn_date_line",
    "vn_date_words",
    "vnd_in_words",
]


# Line breaks other than "\n" as text pasted from Word or a web page brings them: Word's manual line
# break is a vertical tab (U+000B), a page break a form feed; NEL and the Unicode line and paragraph
# separators come from web pages.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# What XML 1.0 (so .docx and .xlsx) cannot hold, and no one can see: the other C0 controls (tab, line
# feed and carriage return stay), DEL, lone surrogates and the two non-characters U+FFFE, U+FFFF.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` as a person sees it: other line breaks as "\n", invisible control characters removed."""
    if _OTHER_BREAKS.search(text):
        text = _OTHER_BREAKS.sub("\n", text)
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def shown(text: str) -> str:
    """``text`` as a document prints it: :func:`printable`, in NFC. A name typed in a decomposed encoding
    (Unikey's "Unicode tổ hợp", text pasted from macOS) gets its precomposed letters: the PDF draws a
    combining mark after its letter, not on it ("Nguyễn" printed with its marks over the "n"), and a
    search in the file does not find the name as typed elsewhere."""
    return nfc(printable(text))


# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u. Tones
# come second: a word sorts by its letters first, then by its tones (ngang, huyền, hỏi, ngã, sắc, nặng).
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_MODIFIED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
             ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_order(text: str) -> tuple:
    """A sort key putting Vietnamese words in dictionary order ("Cập nhật" before "Chốt", "Đặt" after
    "Duyệt"), where plain code-point order puts every accented letter after "z"."""
    chars: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
        elif chars and (chars[-1], ch) in _MODIFIED:
            chars[-1] = _MODIFIED[(chars[-1], ch)]
        elif not unicodedata.combining(ch):
            chars.append(ch)
            tones.append(0)
    # spaces, digits and punctuation first, then the letters in their order, then anything else
    letters = tuple(1000 + _LETTERS.index(c) if c in _LETTERS else ord(c) if ord(c) < 1000 else 2000 + ord(c)
                    for c in chars)
    return letters, tuple(tones)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (precomposed Vietnamese letters)."""
    return unicodedata.normalize("NFC", text)


def upper_vi(text: str) -> str:
    """Upper-case Vietnamese text (``str.upper`` handles đ→Đ and tone marks) and NFC it."""
    return nfc(text).upper()


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    # Decree 30/2020, Appendix I: days below 10 and the months 1 and 2 take a leading zero.
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def vn_date_words(d: date | None, year: int | None = None) -> str:
    """``"ngày 08 tháng 6 năm 2021"``; ``None`` gives the blank form to be filled in by hand."""
    if d is None:
        return f"ngày      tháng      năm {year if year is not None else '20   '}"
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def vn_date_line(place: str, d: date | None, year: int | None = None) -> str:
    """``vn_date_line("Châu Thành A", date(2021, 6, 8))`` → ``"Châu Thành A, ngày 08 tháng 6 năm 2021"``."""
    return f"{nfc(place)}, {vn_date_words(d, year)}"


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ")


def _read_triple(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, (n // 10) % 10, n % 10
    words: list[str] = []
    if full or h:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and words:
            words.append("linh")
    elif t == 1:
        words.append("mười")
    else:
        words += [_DIGITS[t], "mươi"]
    if u:
        if u == 1 and t > 1:
            words.append("mốt")
        elif u == 5 and t > 0:
            words.append("lăm")
        else:
            words.append(_DIGITS[u])
    return words


def _read_number(n: int) -> list[str]:
    if n == 0:
        return ["không"]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    top = len(groups) - 1
    for i in range(top, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _read_triple(g, full=i != top)
        if i:
            # beyond "tỷ" the scales repeat: nghìn tỷ, triệu tỷ, ...
            scale = _SCALES[i % 3] if i % 3 else "tỷ"
            words.append(scale)
            if i > 3 and i % 3:
                words.append("tỷ")
    return words


def vnd_in_words(n: int) -> str:
    """``22000000`` → ``"Hai mươi hai triệu đồng"`` (the "bằng chữ" line of a decision)."""
    n = int(n)
    words = (["âm"] if n < 0 else []) + _read_number(abs(n)) + ["đồng"]
    text = " ".join(words)
    return text[0].upper() + text[1:]
