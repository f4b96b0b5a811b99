"""Cell value parsers: dates, service level, channel, codes.

Each parser takes a raw cell (``str`` from CSV; ``str``/``float``/``int``/``bool``/``date``/``datetime``
from calamine) and returns the typed value, ``None`` for an empty cell, or :data:`BAD`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from .text import fold

BAD = type("Bad", (), {"__repr__": lambda self: "BAD", "__bool__": lambda self: False})()
"""Sentinel: the cell holds something that cannot be read."""

MIN_YEAR, MAX_YEAR = 1990, 2100
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_MIN = (datetime(MIN_YEAR, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (datetime(MAX_YEAR + 1, 1, 1) - _EXCEL_EPOCH).days

_DMY = re.compile(
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
    r"(?:[ T,]+(\d{1,2})\s*[:hg]\s*(\d{1,2})(?:\s*:\s*(\d{1,2})(?:\.\d+)?)?\s*(?:[AaPp][Mm])?)?"
)
_TIME_DMY = re.compile(
    r"(\d{1,2})\s*[:hg]\s*(\d{1,2})(?::(\d{1,2}))?[ ,]+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
)
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_SERIAL = re.compile(r"\d{4,6}(?:[.,]\d+)?")


def _mk(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime | object:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return BAD
    try:
        return datetime(y, m, d, hh, mm, ss)
    except ValueError:
        return BAD


def from_serial(value: float) -> datetime | object:
    """Excel date number (1900 system) -> datetime, rounded to the second."""
    if not _SERIAL_MIN <= value < _SERIAL_MAX:
        return BAD
    days = int(value)
    seconds = round((value - days) * 86400)
    return _EXCEL_EPOCH + timedelta(days=days, seconds=seconds)


def _parse_text(s: str) -> datetime | object | None:
    s = s.strip()
    n = len(s)
    if n == 0:
        return None
    # fast path: dd/mm/yyyy[ HH:MM[:SS]] with two-digit day and month
    if n >= 10 and s[2] in "/-." and s[5] == s[2]:
        try:
            d = int(s[0:2])
            m = int(s[3:5])
            y = int(s[6:10])
            if n == 10:
                return _mk(y, m, d)
            if s[10] == " " and s[13] == ":" and (n == 16 or (n == 19 and s[16] == ":")):
                return _mk(y, m, d, int(s[11:13]), int(s[14:16]), int(s[17:19]) if n == 19 else 0)
        except (ValueError, IndexError):
            pass
    m_ = _DMY.fullmatch(s)
    if m_:
        d, mo, y, hh, mi, ss = m_.groups()
        hour = int(hh) if hh else 0
        if hh and s[-2:].lower() == "pm" and hour < 12:
            hour += 12
        elif hh and s[-2:].lower() == "am" and hour == 12:
            hour = 0
        return _mk(int(y), int(mo), int(d), hour, int(mi or 0), int(ss or 0))
    m_ = _ISO.fullmatch(s)
    if m_:
        y, mo, d, hh, mi, ss = m_.groups()
        return _mk(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
    m_ = _TIME_DMY.fullmatch(s)
    if m_:
        hh, mi, ss, d, mo, y = m_.groups()
        return _mk(int(y), int(mo), int(d), int(hh), int(mi), int(ss or 0))
    if _SERIAL.fullmatch(s):
        return from_serial(float(s.replace(",", ".")))
    return BAD


def parse_datetime(value: object) -> datetime | object | None:
    """Any date cell -> naive ``datetime``; ``None`` if empty; :data:`BAD` if unreadable.

    Accepts ``dd/mm/yyyy``, ``dd/mm/yyyy HH:MM[:SS]``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``d/m/yyyy``,
    ``HH:MM dd/mm/yyyy``, ISO ``yyyy-mm-dd[THH:MM[:SS]]``, Excel date numbers (as numbers or text),
    and native ``date``/``datetime`` cells. Years outside 1990–2100 are unreadable.
    """
    if value is None:
        return None
    cls = value.__class__
    if cls is str:
        return _parse_text(value)  # type: ignore[arg-type]
    if cls is datetime:
        return value if MIN_YEAR <= value.year <= MAX_YEAR else BAD  # type: ignore[attr-defined]
    if cls is date:
        return _mk(value.year, value.month, value.day)  # type: ignore[attr-defined]
    if cls is float or cls is int:
        return from_serial(value)  # type: ignore[arg-type]
    if isinstance(value, datetime):
        return datetime.combine(value.date(), value.time())
    if isinstance(value, date):
        return _mk(value.year, value.month, value.day)
    return BAD  # bool, time, timedelta, anything else


_LEVEL_WORDS = (("toan trinh", 4), ("mot phan", 3))
_DIGIT = re.compile(r"\d+")
_NEGATIVE = re.compile(r"-\s*\d")


def parse_level(value: object) -> int | object | None:
    """Service level cell -> 2, 3 or 4 (other numbers are returned as is for the caller to reject).

    ``3``, ``3.0``, ``"Mức độ 3"``, ``"Mức 4"``, ``"DVC mức độ 4"``, ``"DVCTT toàn trình"`` (4),
    ``"một phần"`` (3)."""
    if value is None:
        return None
    cls = value.__class__
    if cls is int:
        return value
    if cls is float:
        return int(value) if value.is_integer() else BAD  # type: ignore[attr-defined]
    if cls is not str:
        return BAD
    key = fold(value)  # type: ignore[arg-type]
    if not key:
        return None
    if _NEGATIVE.search(value):  # type: ignore[arg-type]
        return BAD
    numbers = _DIGIT.findall(key)
    if len(numbers) == 1:
        return int(numbers[0])
    if not numbers:
        for word, level in _LEVEL_WORDS:
            if word in key:
                return level
    if len(numbers) == 2 and numbers[1] == "0" and key.endswith(" 0"):  # "3.0" as text
        return int(numbers[0])
    return BAD


ONLINE, IN_PERSON, POSTAL = "online", "in_person", "postal"
_CHANNELS = (
    (("truc tuyen", "online", "qua mang", "internet", "dvc", "cong dich vu cong", "dien tu"), ONLINE),
    (("buu chinh", "bcci", "buu dien", "vnpost"), POSTAL),
    (("truc tiep", "tai quay", "mot cua", "tai bo phan", "offline"), IN_PERSON),
)


def parse_channel(value: object) -> str | object | None:
    """Channel cell -> ``"online"`` | ``"in_person"`` | ``"postal"``; ``None`` if empty; BAD otherwise."""
    if value is None:
        return None
    if value.__class__ is not str:
        return BAD
    key = fold(value)  # type: ignore[arg-type]
    if not key:
        return None
    for words, channel in _CHANNELS:
        for word in words:
            if word in key:
                return channel
    return BAD


_KINDS = (
    (("doanh nghiep", "to chuc", "cong ty", "hop tac xa"), "business"),
    (("cong dan", "ca nhan", "nguoi dan"), "citizen"),
)


def parse_kind(value: object) -> str:
    """Account kind -> ``"citizen"`` | ``"business"`` | ``""`` (unknown or empty; never an error)."""
    key = fold(cell_text(value))
    for words, kind in _KINDS:
        for word in words:
            if word in key:
                return kind
    return ""


def cell_text(value: object) -> str:
    """Cell -> stripped text; integral floats lose their ``.0`` (codes stored as numbers)."""
    if value is None:
        return ""
    cls = value.__class__
    if cls is str:
        return value.strip()  # type: ignore[attr-defined]
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[attr-defined]
    if cls is datetime:
        return format_datetime(value)  # type: ignore[arg-type]
    if cls is date:
        return value.strftime("%d/%m/%Y")  # type: ignore[attr-defined]
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, time | timedelta):
        return str(value)
    return str(value).strip()


def format_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime) -> str:
    if value.hour or value.minute or value.second:
        return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"
    return format_date(value)
