"""Two-phase readers for dossier and account lists (see the package docstring)."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from operator import itemgetter
from typing import NamedTuple

from thidua.scoring.text import format_int

from .errors import PortalFileError, RowError
from .headers import (
    ACCOUNT_FIELDS,
    DOSSIER_FIELDS,
    HEADER_SCAN_ROWS,
    FieldSpec,
    HeaderMapping,
    find_header,
)
from .source import MAX_BYTES, Table, open_table
from .text import UnitMatcher, fold
from .values import BAD, ONLINE, cell_text, format_date, parse_channel, parse_datetime, parse_kind, parse_level

Progress = Callable[[int, int | None], None]
log = logging.getLogger(__name__)
PROGRESS_EVERY = 10_000
UNMATCHED_ROWS_KEPT = 1_000  # row numbers kept per unmatched unit name (the count is exact)
_DATE_CACHE_MAX = 200_000
# Longest dossier code and account name kept (the database columns' lengths): a longer one is a row error.
MAX_CODE_LENGTH = 100
MAX_ACCOUNT_LENGTH = 200
DATE_HINT = "(cần dạng ngày/tháng/năm, ví dụ 05/07/2021)"  # how a date the reader cannot read should be written
# A text with a NUL character (code 0) cannot be stored (PostgreSQL refuses it, SQLite's texts end
# there): a row error. Only a damaged file has one (or an xlsx cell written "_x0000_").
NUL = "\x00"
_NUL_MESSAGE = "{what} chứa ký tự NUL (mã 0), thường do tệp bị hỏng; hãy xuất lại tệp từ Cổng."
# Scans: "auto" reads a CSV dossier list of COLUMNAR_MIN_BYTES or more with the columnar scan
# (columnar.py), which leaves any file it cannot answer exactly to the row-by-row scan here;
# "columnar" tries it on any CSV dossier list; "python" reads row by row.
ENGINES = ("auto", "columnar", "python")
COLUMNAR_MIN_BYTES = 2 * 1024 * 1024

# What a single-pass scan hands to ``on_rows``: plain tuples in these orders, ready for a bulk
# write. Dates are ISO text ("YYYY-MM-DD"), months "YYYY-MM"; text is stripped, not shortened.
DOSSIER_RECORD_FIELDS = ("code", "unit_code", "procedure", "level", "channel", "received_on", "received_month",
                         "due_on", "resolved_on", "on_time", "status", "source_row")
ACCOUNT_RECORD_FIELDS = ("account", "unit_code", "kind", "created_on", "created_month", "source_row")


class DossierRow(NamedTuple):
    row: int
    code: str
    procedure: str
    level: int
    channel: str  # "online" | "in_person" | "postal"
    unit_code: str
    unit_name: str  # as written in the file
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    status: str


class AccountRow(NamedTuple):
    row: int
    account: str
    kind: str  # "citizen" | "business" | ""
    unit_code: str
    unit_name: str
    created_at: datetime


class MonthFigures(NamedTuple):
    """Exact counts for one unit in one month (month of ``received_at`` / ``created_at``)."""

    received: int = 0  # dossiers received, any channel
    online: int = 0  # online dossiers of level 3 or 4
    resolved: int = 0  # dossiers with a result
    on_time: int = 0  # resolved with resolved_at date <= due_at date
    due: int = 0  # resolved, or due_at date < as_of
    accounts: int = 0  # accounts created


@dataclass
class ParseResult:
    """Outcome of phase 1 (``scan``); ``iter_rows()`` runs phase 2 over the same file."""

    kind: str  # "dossiers" | "accounts"
    file_type: str
    mapping: HeaderMapping
    as_of: date
    rows_read: int = 0  # data rows (rows with a code), valid or not
    valid_rows: int = 0  # rows iter_rows() yields (valid and unit matched)
    errors: list[RowError] = field(default_factory=list)  # first ``max_errors`` errors
    error_count: int = 0  # all errors
    error_rows: int = 0  # rows with at least one error
    unmatched_units: dict[str, list[int]] = field(default_factory=dict)  # raw name -> row numbers
    unmatched_counts: dict[str, int] = field(default_factory=dict)  # raw name -> rows
    aggregates: dict[tuple[str, str], MonthFigures] = field(default_factory=dict)  # (unit, "YYYY-MM")
    skipped: list[tuple[int, str]] = field(default_factory=list)  # totals/footer rows left out
    first_date: date | None = None
    last_date: date | None = None
    _table: Table | None = field(default=None, repr=False)
    _matcher: UnitMatcher | None = field(default=None, repr=False)
    _skip_rows: frozenset[int] = field(default=frozenset(), repr=False)
    engine: str = "python"  # which scan read the file: "columnar" or "python" (see columnar.py)

    @property
    def ok(self) -> bool:
        """No row errors and every unit matched: the file can be imported as a whole."""
        return self.error_count == 0 and not self.unmatched_units

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def summary(self) -> list[str]:
        """Vietnamese lines for the user: counts, then the errors, then unmatched units."""
        what = "hồ sơ" if self.kind == "dossiers" else "tài khoản"
        lines = [f"Đọc {format_int(self.rows_read)} dòng {what}; {format_int(self.valid_rows)} dòng hợp lệ."]
        if self.first_date and self.last_date:
            lines.append(f"Khoảng thời gian: {format_date(self.first_date)} – {format_date(self.last_date)}.")
        if self.error_count:
            lines.append(f"{format_int(self.error_count)} lỗi ở {format_int(self.error_rows)} dòng:")
            lines.extend(str(e) for e in self.errors)
            if self.errors_truncated:
                lines.append(f"… và {format_int(self.error_count - len(self.errors))} lỗi khác.")
        for name, count in self.unmatched_counts.items():
            rows = self.unmatched_units[name]
            shown = ", ".join(str(r) for r in rows[:10]) + (", …" if count > 10 else "")
            lines.append(f"Đơn vị «{name}» chưa có trong danh mục ({format_int(count)} dòng: {shown}).")
        return lines

    def iter_rows(self, *, progress: Progress | None = None) -> Iterator[DossierRow | AccountRow]:
        """Phase 2: re-read the file and yield the valid, unit-matched rows, typed, in file order
        (the first row of a duplicated code is yielded, later ones are not). Memory stays flat."""
        assert self._table is not None and self._matcher is not None
        self._table.check_unchanged()
        rows = _data_rows(self._table, self.mapping)
        passer = _dossier_pass if self.kind == "dossiers" else _account_pass
        yield from passer(rows, self.mapping, self._matcher, None, self._skip_rows, progress, self._table)

    def iter_batches(self, size: int = 5_000, *, progress: Progress | None = None):
        """Phase 2 in lists of at most ``size`` rows (for ``bulk_create``)."""
        it = self.iter_rows(progress=progress)
        while batch := list(islice(it, size)):
            yield batch


class _Sink:
    """Collects errors during phase 1."""

    __slots__ = ("bad_rows", "count", "dups", "errors", "last_row", "max_errors", "skipped")

    def __init__(self, max_errors: int) -> None:
        self.errors: list[RowError] = []
        self.count = 0
        self.bad_rows = 0
        self.last_row = -1
        self.max_errors = max_errors
        self.skipped: list[tuple[int, str]] = []
        self.dups: set[int] = set()

    def add(self, row: int, fld: str | None, message: str) -> None:
        self.count += 1
        if row != self.last_row:
            self.bad_rows += 1
            self.last_row = row
        if len(self.errors) < self.max_errors:
            self.errors.append(RowError(row, fld, message))


def _is_totals(cells) -> bool:
    for cell in cells:
        if cell.__class__ is str:
            text = cell.strip()
            if not text:
                continue
        elif cell is None:
            continue
        else:
            return False
        low = unicodedata.normalize("NFC", text).lower()
        f = fold(text)
        return low.startswith(("tổng", "cộng")) or f == "tong" or f.startswith("tong ") or f == "cong"
    return False


def _data_rows(table: Table, mapping: HeaderMapping) -> Iterator[tuple[int, list]]:
    it = table.rows()
    for row_number, _cells in it:
        if row_number == mapping.row:
            break
    return it


def _header(table: Table, specs, mapping, what) -> tuple[HeaderMapping, Iterator]:
    it = table.rows()
    head = list(islice(it, HEADER_SCAN_ROWS))
    if not head or all(not any(c not in ("", None) for c in cells) for _, cells in head):
        raise PortalFileError("Tệp không có dữ liệu: không có dòng nào trong trang tính đầu tiên.")
    hm = find_header(head, specs, mapping, what=what)
    rest = [(n, c) for n, c in head if n > hm.row]
    return hm, chain(rest, it)


class _Dates:
    """Cache: raw cell -> None (empty) | BAD | (datetime, ordinal, "YYYY-MM", "YYYY-MM-DD")."""

    __slots__ = ("cache",)

    def __init__(self) -> None:
        self.cache: dict = {}

    def entry(self, raw):
        try:
            return self.cache[raw]
        except KeyError:
            pass
        dt = parse_datetime(raw)
        if dt is None or dt is BAD:
            value = dt
        else:
            month = f"{dt.year:04d}-{dt.month:02d}"
            value = (dt, dt.toordinal(), month, f"{month}-{dt.day:02d}")
        if len(self.cache) >= _DATE_CACHE_MAX:
            self.cache.clear()
        self.cache[raw] = value
        return value


class _State:
    """Per-pass caches and counters; lives across the chunks of one pass."""

    def __init__(self) -> None:
        self.dates = _Dates()
        self.levels: dict = {}
        self.channels: dict = {}
        self.seen: dict[str, int] = {}
        self.pending: list[int] = []
        self.lo: int | None = None
        self.hi: int | None = None
        self.n = 0
        self.valid = 0


def _show(raw) -> str:
    text = cell_text(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def _getter(mapping: HeaderMapping, keys: tuple[str, ...]):
    cols = [mapping.columns[k] for k in keys]
    return itemgetter(*cols), max(cols) + 1


class _Scan:
    """Phase-1 state shared by the passes: errors, aggregates, unmatched units, date range."""

    def __init__(self, max_errors: int, as_of: date, latest: date | None = None) -> None:
        self.sink = _Sink(max_errors)
        self.as_of_ord = as_of.toordinal()
        self.latest_ord = latest.toordinal() if latest else 0  # 0: no date is too late
        self.agg: dict[tuple[str, str], list[int]] = {}
        self.unmatched: dict[str, list[int]] = {}
        self.unmatched_counts: dict[str, int] = {}
        self.lo: int | None = None
        self.hi: int | None = None
        self.rows_read = 0
        self.valid = 0
        # Single-pass import: phase 1 also hands the valid rows, as records, to on_rows in batches.
        self.emit = False
        self.records: list[tuple] = []
        self.on_rows: Callable[[list[tuple]], None] | None = None  # or Arrow batches, see read_dossiers
        self.batch_size = 5_000
        self.handed = 0  # records handed over so far

    def hand_over(self) -> None:
        """Pass the records collected so far to ``on_rows``."""
        if self.records:
            assert self.on_rows is not None
            self.on_rows(self.records[:])
            self.handed += len(self.records)
            self.records.clear()

    def unmatched_row(self, unit_raw, rownum: int) -> None:
        name = cell_text(unit_raw)
        c = self.unmatched_counts.get(name, 0)
        self.unmatched_counts[name] = c + 1
        if c < UNMATCHED_ROWS_KEPT:
            self.unmatched.setdefault(name, []).append(rownum)


_MISS = object()


def _flush_pending(pending: list[int], sink: _Sink | None, fld: str, message: str) -> None:
    if sink is not None:
        for r in pending:
            sink.add(r, fld, message)
    pending.clear()


def _dossier_pass(rows, mapping: HeaderMapping, matcher: UnitMatcher, scan: _Scan | None,
                  skip: frozenset[int], progress: Progress | None, table: Table,
                  st: _State | None = None, final: bool = True):
    """One pass over the data rows, shared by both phases so they agree on every row.

    Phase 1 (``scan`` given): records errors, duplicates, unmatched units and aggregates inline;
    yields nothing. Phase 2 (``scan`` None): yields a DossierRow for each valid, matched row not
    in ``skip`` (the later rows of duplicated codes found in phase 1)."""
    get, width = _getter(mapping, ("code", "level", "channel", "unit", "received_at", "due_at", "resolved_at"))
    proc_col = mapping.columns.get("procedure")
    status_col = mapping.columns.get("status")
    width = max([width, *(c + 1 for c in (proc_col, status_col) if c is not None)])  # short rows: "" padded
    texts = tuple((fld, col, _NUL_MESSAGE.format(what=what)) for fld, col, what in (
        ("procedure", proc_col, "tên thủ tục"), ("status", status_col, "trạng thái")) if col is not None)
    sink = scan.sink if scan is not None else None
    agg = scan.agg if scan is not None else None
    emit = scan is not None and scan.emit
    if emit:
        records, keep, batch_size, hand_over = scan.records, scan.records.append, scan.batch_size, scan.hand_over
    as_of_ord = scan.as_of_ord if scan is not None else 0
    latest_ord = scan.latest_ord if scan is not None else 0
    st = st or _State()
    dget = st.dates.cache.get
    dentry = st.dates.entry
    levels = st.levels
    channels = st.channels
    ucache = matcher._cache
    match = matcher.match
    seen = st.seen
    pending = st.pending
    lo, hi, n, valid = st.lo, st.hi, st.n, st.valid
    for rownum, cells in rows:
        n += 1
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n, table.total_rows)
        if len(cells) < width:
            if not cells:
                continue
            cells = list(cells) + [""] * (width - len(cells))
        code, lvl_raw, ch_raw, unit_raw, rec_raw, due_raw, res_raw = get(cells)
        code = code.strip() if code.__class__ is str else cell_text(code)
        if not code or (code[0] in "TtCc" and _is_totals(cells)):
            if _is_totals(cells):
                if sink is not None:
                    sink.skipped.append((rownum, "totals"))
            elif sum(1 for v in (lvl_raw, ch_raw, unit_raw, rec_raw, due_raw) if cell_text(v)) >= 2:
                pending.append(rownum)  # codeless data-like row: an error unless it is a footer
            continue
        if pending:
            _flush_pending(pending, sink, "code", "thiếu mã hồ sơ.")
        if rownum in skip:
            continue
        errs: list[tuple[str, str]] | None = None
        if len(code) > MAX_CODE_LENGTH:
            errs = [("code", f"mã hồ sơ dài {len(code)} ký tự, quá {MAX_CODE_LENGTH} ký tự.")]
        if NUL in code:
            (errs := errs or []).append(("code", _NUL_MESSAGE.format(what="mã hồ sơ")))
        for fld, col, message in texts:
            text = cells[col]
            if text.__class__ is str and NUL in text:
                (errs := errs or []).append((fld, message))
        level = levels.get(lvl_raw)
        if level is None:
            level = levels[lvl_raw] = _level_value(lvl_raw)
        if not level:
            (errs := errs or []).append(("level", f"mức độ «{_show(lvl_raw)}» không hợp lệ (chỉ nhận 2, 3 hoặc 4)."
                     if level is BAD else "thiếu mức độ."))
        channel = channels.get(ch_raw)
        if channel is None:
            channel = channels[ch_raw] = _channel_value(ch_raw)
        if not channel:
            (errs := errs or []).append(
                ("channel", f"hình thức nộp «{_show(ch_raw)}» không rõ (cần Trực tuyến, Trực tiếp hoặc "
                 "Bưu chính)." if channel is BAD else "thiếu hình thức nộp."))
        rec = dget(rec_raw, _MISS)
        if rec is _MISS:
            rec = dentry(rec_raw)
        due = dget(due_raw, _MISS)
        if due is _MISS:
            due = dentry(due_raw)
        res = dget(res_raw, _MISS)
        if res is _MISS:
            res = dentry(res_raw)
        if rec.__class__ is tuple:
            if latest_ord and rec[1] > latest_ord:
                (errs := errs or []).append(("received_at", _too_late("ngày tiếp nhận", rec[0], latest_ord)))
            if due.__class__ is tuple:
                if due[1] < rec[1]:
                    (errs := errs or []).append(
                        ("due_at", f"ngày hẹn trả {format_date(due[0])} trước ngày tiếp nhận "
                         f"{format_date(rec[0])}."))
            else:
                (errs := errs or []).append(
                    ("due_at", f"ngày hẹn trả «{_show(due_raw)}» không đọc được {DATE_HINT}."
                     if due is BAD else "thiếu ngày hẹn trả."))
            if res.__class__ is tuple:
                if res[1] < rec[1]:
                    (errs := errs or []).append(
                        ("resolved_at", f"ngày có kết quả {format_date(res[0])} trước ngày tiếp nhận "
                         f"{format_date(rec[0])}."))
            elif res is BAD:
                (errs := errs or []).append(
                    ("resolved_at", f"ngày có kết quả «{_show(res_raw)}» không đọc được {DATE_HINT}."))
        else:
            (errs := errs or []).append(
                ("received_at", f"ngày tiếp nhận «{_show(rec_raw)}» không đọc được {DATE_HINT}."
                 if rec is BAD else "thiếu ngày tiếp nhận."))
            if due.__class__ is not tuple:
                (errs := errs or []).append(
                    ("due_at", f"ngày hẹn trả «{_show(due_raw)}» không đọc được {DATE_HINT}."
                     if due is BAD else "thiếu ngày hẹn trả."))
            if res is BAD:
                (errs := errs or []).append(
                    ("resolved_at", f"ngày có kết quả «{_show(res_raw)}» không đọc được {DATE_HINT}."))
        if sink is not None:
            first = seen.get(code)
            if first is None:
                seen[code] = rownum
            else:
                sink.dups.add(rownum)
                (errs := errs or []).append(("code", f"mã hồ sơ «{code}» trùng với dòng {first}."))
        unit = ucache.get(unit_raw, _MISS)
        if unit is _MISS:
            unit = match(unit_raw)
        if unit is None and not cell_text(unit_raw):
            (errs := errs or []).append(("unit", "thiếu đơn vị tiếp nhận."))
        if errs:
            if _is_totals(cells):
                if sink is not None:
                    sink.skipped.append((rownum, "totals"))
            elif sink is not None:
                for fld, msg in errs:
                    sink.add(rownum, fld, msg)
            continue
        if unit is None:
            if scan is not None:
                scan.unmatched_row(unit_raw, rownum)
            continue
        valid += 1
        if agg is not None:
            key = (unit, rec[2])
            counts = agg.get(key)
            if counts is None:
                counts = agg[key] = [0, 0, 0, 0, 0, 0]
            counts[0] += 1
            if channel is ONLINE and level >= 3:
                counts[1] += 1
            if res.__class__ is tuple:
                resolved_on, on_time = res[3], res[1] <= due[1]
                counts[2] += 1
                counts[4] += 1
                if on_time:
                    counts[3] += 1
            else:
                resolved_on = on_time = None
                if due[1] < as_of_ord:
                    counts[4] += 1
            ordinal = rec[1]
            if lo is None:
                lo = hi = ordinal
            elif ordinal < lo:
                lo = ordinal
            elif ordinal > hi:
                hi = ordinal
            if not emit:
                continue
            proc = cells[proc_col] if proc_col is not None else ""
            status = cells[status_col] if status_col is not None else ""
            keep((code, unit, proc.strip() if proc.__class__ is str else cell_text(proc), level, channel,
                  rec[3], rec[2], due[3], resolved_on, on_time is True,
                  status.strip() if status.__class__ is str else cell_text(status), rownum))
            if len(records) >= batch_size:
                hand_over()
            continue
        yield DossierRow(
            rownum, code,
            cell_text(cells[proc_col]) if proc_col is not None else "",
            level, channel, unit, cell_text(unit_raw), rec[0], due[0],
            res[0] if res.__class__ is tuple else None,
            cell_text(cells[status_col]) if status_col is not None else "",
        )
    st.lo, st.hi, st.n, st.valid = lo, hi, n, valid
    if final:
        _finish(st, scan, progress, table)


def _finish(st: _State, scan: _Scan | None, progress: Progress | None, table: Table) -> None:
    if scan is not None:
        if st.pending:
            scan.sink.skipped.extend((r, "footer") for r in st.pending)
        scan.valid += st.valid
        scan.lo, scan.hi = st.lo, st.hi
    st.pending.clear()
    if progress is not None:
        progress(st.n, table.total_rows)


def _level_value(raw):
    level = parse_level(raw)
    if level is None:
        return 0
    if level is not BAD and level not in (2, 3, 4):
        return BAD
    return level


def _channel_value(raw):
    return parse_channel(raw) or (BAD if cell_text(raw) else "")


def _too_late(what: str, when, latest_ord: int) -> str:
    """A date an export cannot hold yet: after the day the file is read (``latest``, today)."""
    return f"{what} {format_date(when)} ở sau ngày nhập tệp ({format_date(date.fromordinal(latest_ord))})."


def _account_pass(rows, mapping: HeaderMapping, matcher: UnitMatcher, scan: _Scan | None,
                  skip: frozenset[int], progress: Progress | None, table: Table):
    """Same contract as :func:`_dossier_pass`, for account lists."""
    get, width = _getter(mapping, ("account", "unit", "created_at"))
    kind_col = mapping.columns.get("kind")
    sink = scan.sink if scan is not None else None
    agg = scan.agg if scan is not None else None
    emit = scan is not None and scan.emit
    if emit:
        records, keep, batch_size, hand_over = scan.records, scan.records.append, scan.batch_size, scan.hand_over
    latest_ord = scan.latest_ord if scan is not None else 0
    dates = _Dates()
    dget = dates.cache.get
    dentry = dates.entry
    ucache = matcher._cache
    match = matcher.match
    seen: dict[str, int] = {}
    pending: list[int] = []
    lo = hi = None
    n = valid = 0
    for rownum, cells in rows:
        n += 1
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n, table.total_rows)
        if len(cells) < width:
            if not cells:
                continue
            cells = list(cells) + [""] * (width - len(cells))
        account, unit_raw, created_raw = get(cells)
        account = account.strip() if account.__class__ is str else cell_text(account)
        if not account or (account[0] in "TtCc" and _is_totals(cells)):
            if _is_totals(cells):
                if sink is not None:
                    sink.skipped.append((rownum, "totals"))
            elif cell_text(unit_raw) and cell_text(created_raw):
                pending.append(rownum)
            continue
        if pending:
            _flush_pending(pending, sink, "account", "thiếu tên tài khoản.")
        if rownum in skip:
            continue
        errs = None
        if len(account) > MAX_ACCOUNT_LENGTH:
            errs = [("account", f"tài khoản dài {len(account)} ký tự, quá {MAX_ACCOUNT_LENGTH} ký tự.")]
        if NUL in account:
            (errs := errs or []).append(("account", _NUL_MESSAGE.format(what="tài khoản")))
        created = dget(created_raw, _MISS)
        if created is _MISS:
            created = dentry(created_raw)
        if created.__class__ is not tuple:
            (errs := errs or []).append(
                ("created_at", f"ngày tạo «{_show(created_raw)}» không đọc được {DATE_HINT}."
                 if created is BAD else "thiếu ngày tạo."))
        elif latest_ord and created[1] > latest_ord:
            (errs := errs or []).append(("created_at", _too_late("ngày tạo", created[0], latest_ord)))
        if sink is not None:
            first = seen.get(account)
            if first is None:
                seen[account] = rownum
            else:
                sink.dups.add(rownum)
                (errs := errs or []).append(("account", f"tài khoản «{account}» trùng với dòng {first}."))
        unit = ucache.get(unit_raw, _MISS)
        if unit is _MISS:
            unit = match(unit_raw)
        if unit is None and not cell_text(unit_raw):
            (errs := errs or []).append(("unit", "thiếu đơn vị."))
        if errs:
            if _is_totals(cells):
                if sink is not None:
                    sink.skipped.append((rownum, "totals"))
            elif sink is not None:
                for fld, msg in errs:
                    sink.add(rownum, fld, msg)
            continue
        if unit is None:
            if scan is not None:
                scan.unmatched_row(unit_raw, rownum)
            continue
        valid += 1
        if agg is not None:
            key = (unit, created[2])
            counts = agg.get(key)
            if counts is None:
                counts = agg[key] = [0, 0, 0, 0, 0, 0]
            counts[5] += 1
            ordinal = created[1]
            if lo is None:
                lo = hi = ordinal
            elif ordinal < lo:
                lo = ordinal
            elif ordinal > hi:
                hi = ordinal
            if not emit:
                continue
        kind = parse_kind(cells[kind_col]) if kind_col is not None and kind_col < len(cells) else ""
        if emit:
            keep((account, unit, kind, created[3], created[2], rownum))
            if len(records) >= batch_size:
                hand_over()
            continue
        yield AccountRow(rownum, account, kind, unit, cell_text(unit_raw), created[0])
    if pending and sink is not None:
        sink.skipped.extend((r, "footer") for r in pending)
    if scan is not None:
        scan.valid += valid
        scan.lo, scan.hi = lo, hi
    if progress is not None:
        progress(n, table.total_rows)


def _columnar(kind: str, table: Table, engine: str, on_rows) -> bool:
    """Whether to try the columnar scan first (see columnar.py)."""
    if engine == "python" or kind != "dossiers" or table.file_type != "csv":
        return False
    if on_rows is not None and not callable(getattr(on_rows, "restart", None)):
        return False  # records handed over before it gives up could not be taken back
    return engine == "columnar" or table.size >= COLUMNAR_MIN_BYTES


def _read(kind, path, units, original_name, mapping, as_of, max_errors, progress, max_bytes,
          on_rows=None, batch_size: int = 5_000, engine: str = "auto", latest: date | None = None) -> ParseResult:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    table = open_table(path, original_name=original_name, max_bytes=max_bytes)
    specs: tuple[FieldSpec, ...] = DOSSIER_FIELDS if kind == "dossiers" else ACCOUNT_FIELDS
    hm, rows = _header(table, specs, mapping, "hồ sơ" if kind == "dossiers" else "tài khoản")
    as_of = as_of or date.today()

    def new_scan() -> _Scan:
        scan = _Scan(max_errors, as_of, latest)
        if on_rows is not None:
            # Single pass: hand the valid rows over in batches while scanning, as plain records
            # (DOSSIER_RECORD_FIELDS / ACCOUNT_RECORD_FIELDS); the caller writes them inside a
            # transaction and rolls back if the finished scan is not ok.
            scan.emit, scan.on_rows, scan.batch_size = True, on_rows, batch_size
        return scan

    used = "python"
    scan = new_scan()
    if _columnar(kind, table, engine, on_rows):
        from . import columnar

        first = next(rows, None)  # the first line after the header, already read: its width
        getattr(rows, "close", lambda: None)()  # the columnar scan reads the file itself
        try:
            columnar.scan_dossiers(table, hm, units, scan, progress, len(first[1]) if first else None)
            used = "columnar"
        except columnar.GiveUp as exc:
            log.info("the columnar scan left %s to the row-by-row scan: %s", table.path.name, exc)
            if scan.handed and on_rows is not None:
                on_rows.restart()
            scan = new_scan()
            hm, rows = _header(table, specs, mapping, "hồ sơ")
    if used == "python":
        passer = _dossier_pass if kind == "dossiers" else _account_pass
        for _ in passer(rows, hm, units, scan, frozenset(), progress, table):
            pass
    if on_rows is not None:
        scan.hand_over()
    sink = scan.sink
    rows_read = scan.valid + sum(scan.unmatched_counts.values()) + sink.bad_rows
    if rows_read == 0:  # a header (and perhaps a totals row) with nothing under it: an export cut short
        what = "hồ sơ" if kind == "dossiers" else "tài khoản"
        raise PortalFileError(f"Tệp chỉ có dòng tiêu đề (dòng {hm.row}), không có dòng {what} nào bên dưới; "
                              "hãy xuất lại danh sách từ cổng dịch vụ công.", "no_rows")
    return ParseResult(
        kind=kind, file_type=table.file_type, mapping=hm, as_of=as_of, rows_read=rows_read,
        valid_rows=scan.valid, errors=sink.errors, error_count=sink.count, error_rows=sink.bad_rows,
        unmatched_units=scan.unmatched, unmatched_counts=scan.unmatched_counts,
        aggregates={k: MonthFigures(*v) for k, v in sorted(scan.agg.items())},
        skipped=sink.skipped,
        first_date=date.fromordinal(scan.lo) if scan.lo else None,
        last_date=date.fromordinal(scan.hi) if scan.hi else None,
        _table=table, _matcher=units, _skip_rows=frozenset(sink.dups), engine=used,
    )


def read_dossiers(
    path,
    *,
    units: UnitMatcher,
    original_name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    as_of: date | None = None,
    max_errors: int = 200,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    on_rows: Callable[[list], None] | None = None,
    batch_size: int = 5_000,
    engine: str = "auto",
    latest: date | None = None,
) -> ParseResult:
    """Phase 1 over a dossier list: validate every row, aggregate per unit × month. A dossier received
    after ``latest`` (the application passes today) is a row error.

    With ``on_rows`` the same pass also hands the valid rows over, in lists of plain tuples
    ordered as DOSSIER_RECORD_FIELDS, ``batch_size`` at a time (call ``iter_rows()`` later for typed
    rows instead). A callback with a ``restart()`` method lets a large CSV be read by the columnar
    scan (``engine``, see ENGINES): if that scan gives up half-way, ``restart()`` is called and the
    rows are handed over again by the row-by-row scan; they may come in another order. A callback
    with a true ``takes_arrow`` gets the rows the columnar scan settles as Arrow record batches with
    the same columns (dates as Arrow dates, None for no date), the others as tuples."""
    return _read("dossiers", path, units, original_name, mapping, as_of, max_errors, progress, max_bytes, on_rows,
                 batch_size, engine, latest)


def read_accounts(
    path,
    *,
    units: UnitMatcher,
    original_name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    as_of: date | None = None,
    max_errors: int = 200,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    on_rows: Callable[[list], None] | None = None,
    batch_size: int = 5_000,
    latest: date | None = None,
) -> ParseResult:
    """Phase 1 over an account list: validate every row, count accounts per unit × month. An account
    created after ``latest`` (the application passes today) is a row error.

    With ``on_rows``, the valid rows in lists of plain tuples ordered as ACCOUNT_RECORD_FIELDS."""
    return _read("accounts", path, units, original_name, mapping, as_of, max_errors, progress, max_bytes, on_rows,
                 batch_size, latest=latest)
