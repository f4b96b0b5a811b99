"""Vietnamese formatting helpers shared by every part of Thi Đua DVC.

All helpers are exact: they accept ``int``, ``fractions.Fraction`` and ``decimal.Decimal``
and never go through binary floating point. Negative numbers use the real minus sign "−"
(U+2212), thousands are separated by dots and decimals by a comma, as written in Vietnam.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "MINUS",
    "format_date",
    "format_decimal",
    "format_int",
    "format_month",
    "format_points",
    "format_rate",
    "format_ratio",
    "format_signed",
    "format_size_over",
    "format_vnd",
]

MINUS = "\u2212"

Number = int | Fraction | Decimal


def format_int(value: int) -> str:
    """``1500`` → ``"1.500"``; ``-5`` → ``"−5"``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"format_int expects an int, got {type(value).__name__}")
    if value < 0:
        return MINUS + format_int(-value)
    if value < 1000:
        return str(value)
    return f"{value:,}".replace(",", ".")


def format_signed(value: int) -> str:
    """Points with an explicit sign: ``-2`` → ``"−2"``, ``5`` → ``"+5"``, ``0`` → ``"0"``."""
    if value > 0:
        return "+" + format_int(value)
    return format_int(value)


def format_points(value: int) -> str:
    """Points as a plain number, minus sign included: ``-5`` → ``"−5"``."""
    return format_int(value)


def format_report_penalties(late_bands, missing_points: int) -> str:
    """The rubric's deductions for late and missing reports in words: "Trễ 1–3 ngày trừ 2 điểm; trễ từ
    4 ngày trở lên trừ 5 điểm; không nộp trừ 5 điểm." (``late_bands``: objects with min_days, max_days, points)."""
    parts = []
    for band in late_bands:
        if band.max_days is None:
            span = f"từ {band.min_days} ngày trở lên"
        elif band.max_days == band.min_days:
            span = f"{band.min_days} ngày"
        else:
            span = f"{band.min_days}–{band.max_days} ngày"
        parts.append(f"trễ {span} trừ {format_int(-band.points)} điểm")
    parts.append(f"không nộp trừ {format_int(-missing_points)} điểm")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def format_vnd(amount: int) -> str:
    """``1000000`` → ``"1.000.000 đ"``."""
    return f"{format_int(amount)} đ"


def format_date(value: date) -> str:
    """``date(2021, 6, 25)`` → ``"25/06/2021"``."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_month(month: str) -> str:
    """``"2021-06"`` → ``"tháng 6/2021"``."""
    year, _, mon = month.partition("-")
    if not (year.isdigit() and mon.isdigit() and len(year) == 4 and len(mon) == 2 and 1 <= int(mon) <= 12):
        raise ValueError(f"not a month YYYY-MM: {month!r}")
    return f"tháng {int(mon)}/{year}"


def month_as_typed(month: str) -> str:
    """``"2021-06"`` → ``"06/2021"``: a month as forms and files take it (parse_month reads it back)."""
    return f"{month[5:]}/{month[:4]}"


_MONTH_TEXT = re.compile(r"(?:(\d{1,2})/)?(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?|(\d{4})-(\d{1,2})")


def parse_month(text: str) -> str | None:
    """A month as Vietnamese offices write it — ``"09/2021"``, ``"9/2021"``, ``"tháng 9/2021"``, ``"2021-09"``,
    or a date in it (``"01/09/2021"``, an Excel date cell read as text) — as ``"2021-09"``; None otherwise."""
    words = text.split()
    if words and words[0].casefold() in ("tháng", "thang"):
        words = words[1:]
    found = _MONTH_TEXT.fullmatch(" ".join(words))
    if found is None:
        return None
    year, month = (found[3], found[2]) if found[3] else (found[4], found[5])
    if found[1] is not None and not 1 <= int(found[1]) <= 31:
        return None
    return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None


def _as_fraction(value: Number) -> Fraction:
    if isinstance(value, float):
        raise TypeError("binary floats are not accepted; use int, Fraction or Decimal")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return Fraction(value)
    return Fraction(value)


def format_decimal(value: Number, max_places: int = 4) -> str:
    """An exact number with a decimal comma and dot thousands: ``Fraction(197, 2)`` → ``"98,5"``.

    A value that needs more than ``max_places`` decimals is truncated to two decimals and
    prefixed with ``≈`` (truncation never shows a value as reaching a threshold it misses).
    """
    frac = _as_fraction(value)
    sign = ""
    if frac < 0:
        sign, frac = MINUS, -frac
    for places in range(max_places + 1):
        scaled = frac * 10**places
        if scaled.denominator == 1:
            return sign + _fixed(scaled.numerator, places)
    truncated = frac.numerator * 100 // frac.denominator
    return "≈" + sign + _fixed(truncated, 2)


def _fixed(scaled: int, places: int) -> str:
    whole, part = divmod(scaled, 10**places)
    text = format_int(whole)
    if places:
        text += "," + str(part).rjust(places, "0")
    return text


def format_mb(size: int) -> str:
    """A file size in MB, one decimal rounded half up, in integer arithmetic: ``1_572_864`` → ``"1,5 MB"``."""
    mib = 1024 * 1024
    return _fixed((size * 10 + mib // 2) // mib, 1) + " MB"


def format_size_over(size: int, limit: int) -> tuple[str, str]:
    """A file's size and the limit it goes over, worded so that the two never read as equal:
    ``(10_485_760 + 51_200, 10_485_760)`` → ``("10,04 MB", "10 MB")``.

    The unit (MB, KB or byte) follows the limit; the limit is shown exactly when it can be
    (``10 MB``, ``2 KB``); the size is rounded down with as many decimals (1 to 3) as it takes to
    read larger than the limit, or given in bytes, the limit's bytes beside it, when even that does not."""
    if limit >= 1024 * 1024:
        unit, name = 1024 * 1024, "MB"
    elif limit >= 1024:
        unit, name = 1024, "KB"
    else:
        unit, name = 1, "byte"
    limit_places = next((p for p in range(3) if (limit * 10**p) % unit == 0), None)
    if limit_places is None:
        limit_scaled = (limit * 10 + unit // 2) // unit
        limit_places = 1
    else:
        limit_scaled = limit * 10**limit_places // unit
    limit_text = f"{_fixed(limit_scaled, limit_places)} {name}"
    if unit == 1:
        return f"{format_int(size)} byte", limit_text
    for places in range(1, 4):
        shown = size * 10**places // unit  # rounded down: never more than the file holds
        if Fraction(shown, 10**places) > Fraction(limit_scaled, 10**limit_places):
            return f"{_fixed(shown, places)} {name}", limit_text
    return f"{format_int(size)} byte", f"{limit_text} ({format_int(limit)} byte)"


def format_ratio(numerator: int, denominator: int, max_places: int = 4) -> str:
    """``format_decimal(Fraction(numerator, denominator))`` in integer arithmetic only."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = ""
    if numerator < 0:
        sign, numerator = MINUS, -numerator
    scaled = numerator
    for places in range(max_places + 1):
        if scaled % denominator == 0:
            return sign + _fixed(scaled // denominator, places)
        scaled *= 10
    return "≈" + sign + _fixed(numerator * 100 // denominator, 2)


def format_rate(value: Number) -> str:
    """A percentage: ``Fraction(197, 2)`` → ``"98,5%"``, ``98`` → ``"98%"`` (the plan's own spelling, no space)."""
    return format_decimal(value) + "%"


def format_criterion_rule(criterion) -> str:
    """How a criterion scores, in words, from its numbers (so it stays true when they are changed):
    "Từ 200 hồ sơ: 30 điểm, mỗi 20 hồ sơ thêm cộng 5 điểm; dưới 200 hồ sơ: 0 điểm." (``criterion``: a
    YesNoCriterion, CountCriterion or RateCriterion of the rubric)."""
    kind = criterion.type
    if kind == "yes_no":
        text = (f"{criterion.yes_text[:1].upper()}{criterion.yes_text[1:]}: {format_int(criterion.points_yes)} điểm; "
                f"{criterion.no_text}: {format_int(criterion.points_no)} điểm.")
        return text
    unit = "%" if kind == "rate" else f" {criterion.unit_word}"
    threshold = format_decimal(criterion.threshold) if kind == "rate" else format_int(criterion.threshold)
    step = format_decimal(criterion.step) if kind == "rate" else format_int(criterion.step)
    parts = [f"Từ {threshold}{unit} trở lên: {format_int(criterion.base_points)} điểm"]
    if criterion.points_per_step:
        each = f"{unit.strip()}" if kind == "count" and criterion.step == 1 else f"{step}{unit}"
        parts[0] += f", mỗi {each} thêm cộng {format_int(criterion.points_per_step)} điểm"
    if kind == "count" and criterion.threshold <= 1 and criterion.zero_points is not None:
        parts.append(f"{criterion.zero_text or 'không có'}: {format_int(criterion.zero_points)} điểm")
    elif not (kind == "count" and criterion.threshold == 0):
        parts.append(f"dưới {threshold}{unit}: {format_int(criterion.below_threshold_points)} điểm")
        if kind == "count" and criterion.zero_points is not None:
            parts.append(f"{criterion.zero_text or 'không có'}: {format_int(criterion.zero_points)} điểm")
    if kind == "rate":
        parts.append(f"chưa có {criterion.count_word} đến hạn: {format_int(criterion.undefined_points)} điểm")
    return "; ".join(parts) + "."
