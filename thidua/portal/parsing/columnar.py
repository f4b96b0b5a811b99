"""A columnar scan of large CSV dossier lists, on Apache Arrow (pyarrow).

The row-by-row reader (``reader._dossier_pass``) looks at every row in Python: several seconds for
a province's year of a million dossiers, nearly all of them alike. Here pyarrow's C++ parser splits
the file into columns, on a second thread; each column's *distinct* raw values are read with the
row-by-row reader's own functions and caches (dates, levels, channels, unit names); the checks, the
per unit × month counts, the duplicate check and the records are then computed on whole columns.

Rows the columns cannot settle alone go one by one, in file order, through the row-by-row reader's
own logic with its state: rows without a code (a totals or footer line), rows with any problem,
codes beginning with T or C (a possible "Tổng cộng" label), rows of a unit the registry does not
know, and lines of another width than the first data row. The scan gives up (:class:`GiveUp`), and
the row-by-row reader reads the file alone and words every problem, on:

* any row error, or a duplicate code (the row-by-row reader names both rows);
* a row without a code that looks like data, followed by a row with a code (its "thiếu mã hồ sơ");
* a quoted value over two lines (row numbers would no longer be line numbers);
* more than :data:`MAX_ODD_ROWS` rows for the row-by-row logic; text that is not UTF-8; a NUL byte
  (checked before the first records are handed over).

On every file it accepts it finds what the row-by-row reader finds: the same valid rows and
records, counts, date range, skipped totals and footers, unknown unit names with their rows. The
tests run both over typical exports, every kind of problem and random files, and compare.
"""

from __future__ import annotations

import csv
import os
import queue
import re
import threading
from bisect import bisect_right
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import NamedTuple

# jemalloc, told to hand freed pages back to the system at once rather than after a while (its
# decay, set below), keeps a million-row import near 260 MB at the same speed; it peaked at 310 MB
# with the decay, and mimalloc, pyarrow's default, at 370 MB. An operator's own ARROW_DEFAULT_MEMORY_POOL wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

if pa.default_memory_pool().backend_name == "jemalloc":
    pa.jemalloc_set_decay_ms(0)

from .headers import HeaderMapping
from .reader import (
    _MISS,
    MAX_CODE_LENGTH,
    Progress,
    _channel_value,
    _dossier_pass,
    _finish,
    _level_value,
    _Scan,
    _State,
)
from .source import Table
from .text import UnitMatcher
from .values import BAD, IN_PERSON, ONLINE, POSTAL

BLOCK_BYTES = 1 << 20  # pyarrow's read unit; small blocks keep the peak memory low
MAX_ODD_ROWS = 10_000  # rows handed to the exact logic one by one before giving up
# What ``str.strip()`` removes, for the code column (the exact reader strips codes with it).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# A date written "dd/mm/yyyy" or "dd/mm/yyyy HH:MM" is read as its day part and its time part, each
# once per distinct value; any other writing goes whole through parse_datetime (see _Pass.dates).
_PLAIN_DAY = re.compile(rb"[0-9]{2}/[0-9]{2}/[0-9]{4}")
_PLAIN_TIME = re.compile(rb" ([0-9]{2}):([0-9]{2})")
_NOT_PLAIN = -9  # a day part not written "dd/mm/yyyy"
_TOTALS_INITIALS = pa.array([b"T", b"t", b"C", b"c"], pa.binary())
_I8 = {n: pa.scalar(n, pa.int8()) for n in (0, 1, 3)}
_I32 = {n: pa.scalar(n, pa.int32()) for n in (_NOT_PLAIN, -1, 0, 16, MAX_CODE_LENGTH)}
_DAY_PART, _TIME_PART, _INITIAL = pc.SliceOptions(0, 10), pc.SliceOptions(10, 16), pc.SliceOptions(0, 1)
_TRIM = pc.TrimOptions(WHITESPACE)
_CHANNELS = (None, ONLINE, IN_PERSON, POSTAL)  # channel id -> the record's channel; 0: none
_CHANNEL_IDS = {channel or "": i for i, channel in enumerate(_CHANNELS)}
_COUNTED = ("online", "resolved", "on_time", "due")  # summed per unit × month, beside the row count
_FIELDS = ("code", "level", "channel", "unit", "received_at", "due_at", "resolved_at")
_EPOCH = pa.scalar(date(1970, 1, 1).toordinal(), pa.int32())
_NO_DATE = pa.scalar(None, pa.int32())


class GiveUp(Exception):
    """The row-by-row reader must read this file (see the module docstring)."""


def _encode(column: pa.Array) -> tuple[list, pa.Array]:
    """A column as (distinct raw values, per-row index into them)."""
    encoded = pc.dictionary_encode(column)
    return encoded.dictionary.to_pylist(), encoded.indices


def _take(values: list, indices: pa.Array, type_: pa.DataType) -> pa.Array:
    return pc.take(pa.array(values, type_), indices)


def _prefetched(batches, depth: int = 4):
    """The batches, parsed ahead by a second thread while this one works on the last (pyarrow
    parses without the GIL, so the two overlap on two cores)."""
    ready: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    end = object()

    def put(item) -> bool:
        """Queue ``item`` unless the consumer has stopped; whether it was queued."""
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            item = end
        except BaseException as exc:  # handed to the consumer, raised there
            item = exc
        put(item)

    worker = threading.Thread(target=produce, name="thidua-csv-reader", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _count_lines(path) -> tuple[int, bool]:
    """Lines in the file as the exact reader counts them (``\\n``-ended; a last line without one
    counts too), and whether it has a NUL byte (the exact reader words the rows)."""
    count, last, nul = 0, b"\n", False
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            count += chunk.count(b"\n")
            nul = nul or b"\x00" in chunk
            last = chunk[-1:]
    return count + (last != b"\n"), nul


def _time_state(part: bytes) -> int:
    """The bytes after a "dd/mm/yyyy" day: 1 none or a valid " HH:MM", 0 an invalid one, -1 other."""
    if part == b"":
        return 1
    m = _PLAIN_TIME.fullmatch(part)
    if m is None:
        return -1
    return 1 if int(m[1]) < 24 and int(m[2]) < 60 else 0


class _DateColumn(NamedTuple):
    """A date column of a batch: date ordinals (0 empty, -1 unreadable) and month ids (see month_id)."""

    ordinal: pa.Array
    month: pa.Array


class _Units:
    """Unit name cell -> index into ``codes``; -1 for a name the registry does not know, -2 for none."""

    def __init__(self, matcher: UnitMatcher) -> None:
        self.matcher = matcher
        self.codes: list[str] = []
        self.index: dict[str, int] = {}

    def ids(self, values: list) -> list[int]:
        cache, match, out = self.matcher._cache, self.matcher.match, []
        for raw in values:
            code = cache.get(raw, _MISS)
            if code is _MISS:
                code = match(raw)
            if code is None:
                out.append(-1 if raw.strip() else -2)
                continue
            i = self.index.get(code)
            if i is None:
                i = self.index[code] = len(self.codes)
                self.codes.append(code)
            out.append(i)
        return out


def scan_dossiers(table: Table, hm: HeaderMapping, matcher: UnitMatcher, scan: _Scan,
                  progress: Progress | None, width: int | None) -> None:
    """Fill ``scan`` as ``_dossier_pass`` would over the CSV ``table``, or raise :class:`GiveUp`
    (``scan`` is then half-filled, and records may have been handed over: start afresh). ``width``:
    the cells of the first line after the header (None if there is none); lines of another width
    go through the row-by-row logic."""
    cols = hm.columns
    proc_col, status_col = cols.get("procedure"), cols.get("status")
    used = [cols[k] for k in _FIELDS] + [c for c in (proc_col, status_col) if c is not None]
    if width is None or width <= max(used):
        raise GiveUp("no data row, or a short first data row")
    names = [f"c{i}" for i in range(width)]
    lines: list[tuple[int, str]] = []  # lines of another width: (line number, text), in file order

    def on_invalid(row) -> str:  # called by the parsing thread; the exact logic takes these lines
        if row.number is None or len(lines) >= MAX_ODD_ROWS:
            return "error"
        lines.append((row.number, (row.text or "").rstrip("\r\n")))
        return "skip"

    try:
        batches = pacsv.open_csv(
            table.path,
            read_options=pacsv.ReadOptions(skip_rows=hm.row, column_names=names, block_size=BLOCK_BYTES,
                                           use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=table.delimiter or ",", ignore_empty_lines=False,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
        )
        _Pass(table, hm, matcher, scan, progress, width, lines).run(batches)
    except (pa.ArrowInvalid, OSError) as exc:  # unreadable text, a line handler's error
        raise GiveUp(str(exc)) from exc
    finally:
        pa.default_memory_pool().release_unused()  # the columns' memory back to the system, now


class _Pass:
    def __init__(self, table: Table, hm: HeaderMapping, matcher: UnitMatcher, scan: _Scan,
                 progress: Progress | None, width: int, other_lines: list[tuple[int, str]]) -> None:
        self.table, self.hm, self.matcher, self.scan, self.progress = table, hm, matcher, scan, progress
        self.width = width
        self.other_lines = other_lines  # filled by the parsing thread ahead of the batches
        self.taken = 0  # other lines handed to the exact logic so far
        self.line = hm.row + 1  # the line of the next row
        self.st = _State()  # the exact logic's caches and counters, shared with the columns
        self.units = _Units(matcher)
        self.as_of = pa.scalar(scan.as_of_ord, pa.int32())
        self.latest = pa.scalar(scan.latest_ord, pa.int32()) if scan.latest_ord else None
        self.codes: list[pa.Array] = []  # the codes of the rows settled by columns (duplicate check)
        self.figures: list[pa.RecordBatch] = []  # their unit, month and what they count for
        self.odd = 0  # rows handed to the exact logic
        self.lo: int | None = None
        self.hi: int | None = None
        self.months: dict[int, str] = {}  # month id -> "YYYY-MM"
        self.month_ids: dict[str, int] = {}
        self.day_cache: dict[bytes, tuple[int, int]] = {}  # day part -> day()
        self.lines_counted: Future[tuple[int, bool]] | None = None  # _count_lines, on a thread
        self.nul_checked = False

    # -- the exact logic, one row at a time --------------------------------------------------
    def exact(self, rownum: int, cells: list) -> None:
        self.odd += 1
        if self.odd > MAX_ODD_ROWS:
            raise GiveUp("too many rows for the exact logic")
        for _ in _dossier_pass([(rownum, cells)], self.hm, self.matcher, self.scan, frozenset(), None,
                               self.table, self.st, final=False):
            pass
        if self.scan.sink.count:
            raise GiveUp("a row error")

    def run(self, batches) -> None:
        table = self.table
        seen_bytes = 0
        counting = ThreadPoolExecutor(1, thread_name_prefix="thidua-csv-lines")
        self.lines_counted = lines_counted = counting.submit(_count_lines, table.path)  # overlaps the reading
        counting.shutdown(wait=False)
        for batch in _prefetched(batches):
            self.batch(batch)
            seen_bytes += batch.nbytes - 3 * self.width * batch.num_rows  # offsets less delimiters
            if self.progress is not None and seen_bytes > 0:
                table.total_rows = max(self.line - 1, (self.line - 1) * table.size // seen_bytes)
                self.progress(self.line - 1 - self.hm.row, table.total_rows)
        for number, text in self.other_lines[self.taken:]:  # after the last row
            if number != self.line:
                raise GiveUp("lines and rows differ")
            self.exact(number, self.cells(text))
            self.line += 1
        lines, nul = lines_counted.result()
        if nul:
            raise GiveUp("a NUL byte")
        if lines != self.line - 1:
            raise GiveUp("lines and rows differ (a value spanning lines)")
        st = self.st
        codes = pa.chunked_array([*self.codes, pa.array(list(st.seen), pa.string())], pa.string())
        if pc.count_distinct(codes).as_py() != len(codes):
            raise GiveUp("a duplicate code")
        self.count()
        # hand the totals over to the exact logic's counters, then finish as it does
        for ordinal in (self.lo, self.hi):
            if ordinal is not None:
                st.lo = ordinal if st.lo is None or ordinal < st.lo else st.lo
                st.hi = ordinal if st.hi is None or ordinal > st.hi else st.hi
        st.valid += sum(len(chunk) for chunk in self.codes)  # the rows settled by columns
        st.n = lines - self.hm.row
        table.total_rows = lines
        _finish(st, self.scan, self.progress, table)

    def count(self) -> None:
        """Add the rows settled by columns to the per unit × month figures."""
        if not self.figures:
            return
        figures = pa.Table.from_batches(self.figures).group_by(["unit", "month"]).aggregate(
            [("unit", "count"), *((name, "sum") for name in _COUNTED)])
        self.figures = []
        agg, unit_codes, months = self.scan.agg, self.units.codes, self.months
        for u, m, received, online, res_n, on_time_n, due_n in zip(
                *(figures.column(name).to_pylist()
                  for name in ("unit", "month", "unit_count", *(f"{c}_sum" for c in _COUNTED))), strict=True):
            key = (unit_codes[u], months[m])
            counts = agg.get(key)
            if counts is None:
                counts = agg[key] = [0, 0, 0, 0, 0, 0]
            counts[0] += received
            counts[1] += online
            counts[2] += res_n
            counts[3] += on_time_n
            counts[4] += due_n

    def cells(self, text: str) -> list[str]:
        delimiter = self.table.delimiter or ","
        if '"' in text:
            return next(csv.reader([text], delimiter=delimiter), [])
        return text.split(delimiter)

    # -- one batch ------------------------------------------------------------------------------
    def batch(self, batch: pa.RecordBatch) -> None:
        cols, st = self.hm.columns, self.st
        n = batch.num_rows
        # where the rows are: the lines from self.line on, less the lines of another width among them
        start, lines, taken = self.line, self.other_lines, self.taken
        m = 0
        while taken + m < len(lines) and lines[taken + m][0] < start + n + m:
            m += 1
        inside = lines[taken:taken + m]
        self.taken += m
        self.line = start + n + m
        # the rows from thresholds[j] on come after the j-th of those lines
        thresholds = [number - start - j for j, (number, _) in enumerate(inside)]
        if thresholds and (thresholds[0] < 0 or thresholds != sorted(thresholds)):
            raise GiveUp("lines and rows differ")

        def line_of(p: int) -> int:
            return start + p + bisect_right(thresholds, p)

        if not n:
            if inside:
                self.odd_rows(batch, None, None, inside, thresholds, line_of)
            return
        code = pc.utf8_trim(batch.column(cols["code"]), options=_TRIM)
        length = pc.utf8_length(code)
        lvl_values, lvl_idx = _encode(batch.column(cols["level"]))
        levels = st.levels
        level = _take([_int_level(levels, v) for v in lvl_values], lvl_idx, pa.int8())
        ch_values, ch_idx = _encode(batch.column(cols["channel"]))
        channels = st.channels
        ch_ids = []
        for v in ch_values:
            c = channels.get(v)
            if c is None:
                c = channels[v] = _channel_value(v)
            ch_ids.append(-1 if c is BAD else _CHANNEL_IDS[c])
        channel = _take(ch_ids, ch_idx, pa.int8())
        unit_values, unit_idx = _encode(batch.column(cols["unit"]))
        unit = _take(self.units.ids(unit_values), unit_idx, pa.int32())
        dates = {key: self.dates(batch.column(cols[key])) for key in ("received_at", "due_at", "resolved_at")}
        rec, due, res = (dates[k].ordinal for k in ("received_at", "due_at", "resolved_at"))
        resolved = pc.greater(res, _I32[0])
        ok = pc.and_(pc.and_(pc.greater(length, _I32[0]), pc.less_equal(length, _I32[MAX_CODE_LENGTH])),
                     pc.and_(pc.greater(level, _I8[0]), pc.greater(channel, _I8[0])))
        ok = pc.and_(ok, pc.and_(pc.greater(rec, _I32[0]), pc.greater_equal(due, rec)))
        if self.latest is not None:  # received after today: the exact logic words it
            ok = pc.and_(ok, pc.less_equal(rec, self.latest))
        ok = pc.and_(ok, pc.or_(pc.equal(res, _I32[0]), pc.greater_equal(res, rec)))
        ok = pc.and_(ok, pc.greater_equal(unit, _I32[0]))
        # rows for the exact logic: no code, any problem, or a code that may be a totals label
        initial = pc.binary_slice(code.cast(pa.binary()), options=_INITIAL)
        odd = pc.or_(pc.invert(ok), pc.is_in(initial, value_set=_TOTALS_INITIALS))
        fast = pc.invert(odd)
        if inside or pc.any(odd).as_py():
            self.odd_rows(batch, odd, fast, inside, thresholds, line_of)
        elif st.pending:  # footer-like rows before a coded row: the exact reader's "thiếu mã hồ sơ"
            raise GiveUp("a row without a code before a data row")
        if not pc.any(fast).as_py():
            return
        self.codes.append(pc.filter(code, fast))
        rec_f = pc.filter(rec, fast)
        lo, hi = pc.min_max(rec_f).values()
        self.lo = lo.as_py() if self.lo is None else min(self.lo, lo.as_py())
        self.hi = hi.as_py() if self.hi is None else max(self.hi, hi.as_py())
        month = dates["received_at"].month
        on_time = pc.and_(resolved, pc.less_equal(res, due))
        self.figures.append(pa.record_batch({
            "unit": unit, "month": month,
            "online": pc.and_(pc.greater_equal(level, _I8[3]), pc.equal(channel, _I8[1])),
            "resolved": resolved, "on_time": on_time,
            "due": pc.or_(resolved, pc.less(due, self.as_of)),
        }).filter(fast))
        if len(self.figures) >= 64:  # counted every 64 batches, so that they do not pile up
            self.count()
        if self.scan.emit:
            self.emit(batch, start if not inside else line_of, fast, code, level, channel, unit, dates, on_time)

    def dates(self, column: pa.Array) -> _DateColumn:
        """A date column read exactly as the exact reader reads it, with its parse_datetime.

        A date written "dd/mm/yyyy" or "dd/mm/yyyy HH:MM" (ASCII digits) is read as its day part,
        once per distinct day, and its time part, once per distinct time: both must be valid, as
        the exact reader's datetime() requires. Any other writing, and an empty cell, is read whole,
        once per distinct value."""
        raw = column.cast(pa.binary())
        day_values, day_idx = _encode(pc.binary_slice(raw, options=_DAY_PART))
        time_values, time_idx = _encode(pc.binary_slice(raw, options=_TIME_PART))
        day_cache, day = self.day_cache, self.day
        days = [day_cache[v] if v in day_cache else day(v) for v in day_values]
        time_state = _take([_time_state(v) for v in time_values], time_idx, pa.int8())
        ordinal = _take([d[0] for d in days], day_idx, pa.int32())
        # plain: a "dd/mm/yyyy" day, then nothing or " HH:MM", then nothing (16 bytes at most)
        plain = pc.and_(pc.and_(pc.not_equal(ordinal, _I32[_NOT_PLAIN]), pc.greater_equal(time_state, _I8[0])),
                        pc.less_equal(pc.binary_length(raw), _I32[16]))
        ordinal = pc.if_else(pc.equal(time_state, _I8[0]), _I32[-1], ordinal)  # a time like 25:00: unreadable
        month = _take([d[1] for d in days], day_idx, pa.int32())
        others = pc.invert(plain)
        if pc.any(others).as_py():
            values, rest = _encode(pc.filter(column, others))
            entry = self.st.dates.entry
            entries = [entry(v) for v in values]
            ords = [e[1] if e.__class__ is tuple else (0 if e is None else -1) for e in entries]
            ordinal = pc.replace_with_mask(ordinal, others, _take(ords, rest, pa.int32()))
            ids = [self.month_id(e[2]) if e.__class__ is tuple else -1 for e in entries]
            month = pc.replace_with_mask(month, others, _take(ids, rest, pa.int32()))
        return _DateColumn(ordinal, month)

    def day(self, part: bytes) -> tuple[int, int]:
        """A day part: (date ordinal, or -1 for no such day, or _NOT_PLAIN if it is not written
        "dd/mm/yyyy"; month id)."""
        if not _PLAIN_DAY.fullmatch(part):
            found = (_NOT_PLAIN, -1)
        else:
            e = self.st.dates.entry(part.decode("ascii"))
            found = (e[1], self.month_id(e[2])) if e.__class__ is tuple else (-1, -1)
        if len(self.day_cache) >= 100_000:
            self.day_cache.clear()
        self.day_cache[part] = found
        return found

    def month_id(self, month: str) -> int:
        key = self.month_ids.get(month)
        if key is None:
            key = self.month_ids[month] = len(self.months)
            self.months[key] = month
        return key

    def odd_rows(self, batch: pa.RecordBatch, odd: pa.Array | None, fast: pa.Array | None,
                 inside: list[tuple[int, str]], thresholds: list[int], line_of: Callable[[int], int]) -> None:
        """Hand the batch's odd rows and the lines of another width among them to the exact logic, in
        file order. A row without a code that looks like data is the exact reader's "thiếu mã hồ sơ"
        if a row with a code follows it; if that row is one the columns settle, give up."""
        positions = pc.indices_nonzero(odd).to_pylist() if odd is not None else []
        if self.odd + len(positions) + len(inside) > MAX_ODD_ROWS:
            raise GiveUp("too many rows for the exact logic")
        # (line, rows before it, first row after it, text of a line of another width)
        events = [(line_of(p), p, p + 1, None) for p in positions]
        events += [(number, thresholds[j], thresholds[j], text) for j, (number, text) in enumerate(inside)]
        events.sort(key=lambda event: event[0])
        columns = batch.columns
        after = 0
        for number, before, next_after, text in events:
            if self.st.pending and before > after and pc.any(fast.slice(after, before - after)).as_py():
                raise GiveUp("a row without a code before a data row")
            self.exact(number, self.cells(text) if text is not None else [c[before].as_py() for c in columns])
            after = next_after
        if self.st.pending and fast is not None and after < len(fast) and pc.any(fast.slice(after)).as_py():
            raise GiveUp("a row without a code before a data row")

    def emit(self, batch, lines: int | Callable[[int], int], fast, code, level, channel, unit, dates,
             on_time) -> None:
        """The records of the rows settled by columns, as ``_dossier_pass`` builds them; ``lines`` is
        the first row's line, or the row index -> line function if lines of another width are among them.

        A callback that takes Arrow batches (a true ``takes_arrow``) gets them as one Arrow record
        batch, others as plain records in file order (see :class:`_Records`)."""
        if not self.nul_checked:  # before the first record settled by columns leaves
            self.nul_checked = True
            if self.lines_counted is not None and self.lines_counted.result()[1]:
                raise GiveUp("a NUL byte")
        cols = self.hm.columns
        positions = pc.indices_nonzero(fast)
        count = len(positions)

        def text(col: int | None) -> tuple[list, pa.Array]:
            if col is None:
                return [""], pa.repeat(_I32[0], count)
            values, idx = _encode(batch.column(col))
            return [v.strip() for v in values], pc.filter(idx, fast)

        if isinstance(lines, int):
            rows = pc.add(positions, pa.scalar(lines, pa.uint64())).cast(pa.int64())
        else:
            rows = pa.array([lines(p) for p in positions.to_pylist()], pa.int64())
        records = _Records({
            "code": pc.filter(code, fast),
            "unit_code": (self.units.codes, pc.filter(unit, fast)),
            "procedure": text(cols.get("procedure")),
            "level": pc.filter(level, fast),
            "channel": (_CHANNELS, pc.filter(channel, fast)),
            "received_on": _Dates(pc.filter(dates["received_at"].ordinal, fast)),
            "received_month": (list(self.months.values()),  # ids are 0, 1, … in insertion order
                               pc.filter(dates["received_at"].month, fast)),
            "due_on": _Dates(pc.filter(dates["due_at"].ordinal, fast)),
            "resolved_on": _Dates(pc.filter(dates["resolved_at"].ordinal, fast)),
            "on_time": pc.filter(on_time, fast),
            "status": text(cols.get("status")),
            "source_row": rows,
        })
        scan = self.scan
        if getattr(scan.on_rows, "takes_arrow", False):
            scan.on_rows(records.arrow())
            scan.handed += count
            return
        scan.records.extend(records.plain())
        size = scan.batch_size
        while len(scan.records) >= size:
            scan.on_rows(scan.records[:size])
            scan.handed += size
            del scan.records[:size]


class _Dates:
    """A field of dates: their ordinals (``date.toordinal()``), 0 for no date."""

    __slots__ = ("ordinal",)

    def __init__(self, ordinal: pa.Array) -> None:
        self.ordinal = ordinal


class _Records:
    """The records of a batch's rows settled by columns, by field (DOSSIER_RECORD_FIELDS): an Arrow
    array, a pair (distinct values, per-row index into them) for a field of few values, or _Dates.

    As an Arrow record batch (dates as Arrow dates, None for no date), or as the plain tuples the
    row-by-row reader hands over (dates as ISO text), whose few-valued fields share their values as
    that reader's cached ones do: faster than a new object a row."""

    def __init__(self, fields: dict) -> None:
        self.fields = fields

    def arrow(self) -> pa.RecordBatch:
        columns = []
        for value in self.fields.values():
            if isinstance(value, _Dates):
                ordinal = pc.if_else(pc.equal(value.ordinal, _I32[0]), _NO_DATE, value.ordinal)
                value = pc.subtract(ordinal, _EPOCH).cast(pa.date32())
            elif isinstance(value, tuple):
                value = _take(value[0], value[1], pa.string())
            columns.append(value)
        return pa.record_batch(columns, names=list(self.fields))

    def plain(self) -> list[tuple]:
        columns = []
        for value in self.fields.values():
            if isinstance(value, _Dates):
                days, idx = _encode(value.ordinal)
                value = ([date.fromordinal(d).isoformat() if d > 0 else None for d in days], idx)
            if isinstance(value, tuple):
                values = value[0]
                columns.append([values[i] for i in value[1].to_pylist()])
            else:
                columns.append(value.to_pylist())
        return list(zip(*columns, strict=True))


def _int_level(cache: dict, raw) -> int:
    level = cache.get(raw)
    if level is None:
        level = cache[raw] = _level_value(raw)
    return -1 if level is BAD else level
