"""Streaming readers for exports of the online public-service portal (pure Python, no Django).

Design: two phases over the same file, so memory stays bounded whatever the row count.

1. ``read_dossiers(path, units=...)`` / ``read_accounts(...)`` is the *scan*: it detects the file
   type by content (:func:`open_table`), finds the header row by alias (:func:`find_header`),
   validates every row and returns a :class:`ParseResult` holding only small things: the
   :class:`HeaderMapping`, the first ``max_errors`` :class:`RowError` (plus exact counts), the
   unmatched unit names with their row numbers, exact per ``(unit code, "YYYY-MM")``
   :class:`MonthFigures`, the date range and the row counts. Parsed rows are not kept; the only
   per-row state is the set of codes seen (for duplicate detection), freed when the scan ends.
2. ``result.iter_rows()`` (or ``iter_batches(5000)``) re-reads the file and yields typed
   :class:`DossierRow` / :class:`AccountRow` tuples for the valid rows whose unit matched, in file
   order. It raises :class:`PortalFileError` if the file changed between the phases.

A writer can instead scan and write in one pass: with ``on_rows=callback`` the scan hands the
valid rows over in batches of plain tuples (``DOSSIER_RECORD_FIELDS`` / ``ACCOUNT_RECORD_FIELDS``,
dates as ISO text) and the caller discards what it wrote if the finished scan is not ok.

``result.ok`` is true when there is no row error and no unmatched unit. After the user maps an
unmatched name (store ``normalize_unit_name(raw) -> code`` and pass it as ``remembered`` to
:class:`UnitMatcher`) run the scan again.

Row numbers are those the user sees: Excel's 1-based row, or the CSV line number.
Whole-file problems raise :class:`PortalFileError` with one Vietnamese sentence (``.message``).
Aggregates (per unit × month of ``received_at``; ``created_at`` for accounts):
``received`` (any channel), ``online`` (online and level 3/4), ``resolved``, ``on_time``
(resolved_at date ≤ due_at date), ``due`` (resolved, or due_at date < ``as_of``), ``accounts``.
"""

from .errors import PortalFileError, RowError
from .headers import ACCOUNT_FIELDS, DOSSIER_FIELDS, FieldSpec, HeaderMapping, find_header
from .reader import (
    ACCOUNT_RECORD_FIELDS,
    DOSSIER_RECORD_FIELDS,
    AccountRow,
    DossierRow,
    MonthFigures,
    ParseResult,
    read_accounts,
    read_dossiers,
)
from .source import MAX_BYTES, Table, check_sheet_extent, open_table
from .text import UnitMatcher, fold, normalize_tone_placement, normalize_unit_name, unit_exact_key
from .values import BAD, parse_channel, parse_datetime, parse_level

__all__ = [
    "ACCOUNT_FIELDS",
    "ACCOUNT_RECORD_FIELDS",
    "BAD",
    "DOSSIER_FIELDS",
    "DOSSIER_RECORD_FIELDS",
    "MAX_BYTES",
    "AccountRow",
    "DossierRow",
    "FieldSpec",
    "HeaderMapping",
    "MonthFigures",
    "ParseResult",
    "PortalFileError",
    "RowError",
    "Table",
    "UnitMatcher",
    "check_sheet_extent",
    "find_header",
    "fold",
    "normalize_tone_placement",
    "normalize_unit_name",
    "open_table",
    "parse_channel",
    "parse_datetime",
    "parse_level",
    "read_accounts",
    "read_dossiers",
    "unit_exact_key",
]
