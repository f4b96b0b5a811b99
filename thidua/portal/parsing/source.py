"""Opening an export: type detection by content and streaming row iteration."""

from __future__ import annotations

import codecs
import csv
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from thidua.scoring.text import format_int, format_mb, format_size_over

from .errors import PortalFileError

MAX_BYTES = 50 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t")

PASSWORD_MESSAGE = (
    "Tệp được bảo vệ bằng mật khẩu; hãy mở khóa trong Excel rồi lưu lại trước khi nhập."
)
CORRUPT_MESSAGE = (
    "Tệp Excel bị hỏng hoặc chưa tải về hết; hãy xuất lại tệp từ cổng dịch vụ công rồi nhập lại."
)


def _label(path: Path, original_name: str | None) -> str:
    return f"Tệp «{original_name or path.name}»"


# python-calamine loads a whole sheet at once; the header check, the scan and the import of the
# same unchanged file reuse the last sheet loaded instead of parsing the workbook again.
_LAST_SHEET: dict[tuple, object] = {}
_ESTIMATE_EVERY = (1 << 13) - 1  # CSV: re-estimate the row count every 8,192 lines


@dataclass
class Table:
    """An opened export. ``rows()`` starts a fresh streaming pass each call and yields
    ``(row_number, cells)`` with the row number the user sees (Excel row / CSV line)."""

    path: Path
    file_type: str  # "xlsx" | "xls" | "xlsb" | "ods" | "csv"
    size: int
    mtime_ns: int
    delimiter: str | None = None
    original_name: str | None = None
    # Rows in the file, for progress bars: known for workbooks once a pass starts; for CSV an
    # estimate from the bytes read so far, refined while reading and exact at the end of a pass.
    total_rows: int | None = None

    def check_unchanged(self) -> None:
        try:
            st = self.path.stat()
        except OSError as exc:
            raise PortalFileError("Tệp đã bị xóa trong lúc nhập; hãy tải tệp lên lại.") from exc
        if st.st_size != self.size or st.st_mtime_ns != self.mtime_ns:
            raise PortalFileError("Tệp đã thay đổi trong lúc nhập; hãy tải tệp lên lại.")

    def rows(self) -> Iterator[tuple[int, list]]:
        if self.file_type == "csv":
            return self._csv_rows()
        return self._workbook_rows()

    # -- workbooks (python-calamine) -------------------------------------------------------------
    def _workbook_rows(self) -> Iterator[tuple[int, list]]:
        from python_calamine import CalamineError, CalamineWorkbook, PasswordError

        try:
            wb = CalamineWorkbook.from_path(str(self.path))
            index = 0
            try:
                for i, meta in enumerate(wb.sheets_metadata):
                    if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet"):
                        index = i
                        break
            except Exception:  # metadata unsupported for this format
                index = 0
            key = (str(self.path), self.size, self.mtime_ns, index)
            sheet = _LAST_SHEET.get(key)
            if sheet is None:
                sheet = wb.get_sheet_by_index(index)
                _LAST_SHEET.clear()
                _LAST_SHEET[key] = sheet
            end = sheet.end
            self.total_rows = (end[0] + 1) if end else 0
            rows = sheet.iter_rows()
        except PasswordError as exc:
            raise PortalFileError(PASSWORD_MESSAGE) from exc
        except (CalamineError, OSError, ValueError) as exc:
            raise PortalFileError(CORRUPT_MESSAGE, "corrupt") from exc
        # iter_rows yields from the sheet's first row (row 1), so the index is Excel's row number
        return _numbered(rows)

    # -- CSV ----------------------------------------------------------------------------------
    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        """Fast path: a line without quotes is split with ``str.split``; a line with a quote is
        parsed by :mod:`csv`, which reads on while a quoted field spans lines (RFC 4180)."""
        delim = self.delimiter or ","
        f = open(self.path, encoding="utf-8-sig", newline="")
        line_no = 0
        try:
            for line in f:
                line_no += 1
                start = line_no
                if not line_no & _ESTIMATE_EVERY:
                    read = f.buffer.tell()  # bytes handed to the decoder so far (a little ahead)
                    if read:
                        self.total_rows = max(line_no, line_no * self.size // read)
                if '"' in line:
                    # let csv take this record; it pulls more lines only while a quoted field is open
                    reader = csv.reader(chain((line,), f), delimiter=delim)
                    try:
                        cells = next(reader)
                    except csv.Error as exc:
                        raise PortalFileError(
                            f"Dòng {start}: tệp CSV sai định dạng ({exc}); hãy xuất lại tệp."
                        ) from exc
                    line_no += reader.line_num - 1
                    yield start, cells
                else:
                    yield start, line.rstrip("\r\n").split(delim)
        except UnicodeDecodeError as exc:
            raise PortalFileError(_not_utf8_message(self.path)) from exc
        finally:
            f.close()
        self.total_rows = line_no


def _numbered(rows) -> Iterator[tuple[int, list]]:
    from python_calamine import CalamineError

    try:
        yield from enumerate(rows, 1)
    except CalamineError as exc:
        raise PortalFileError(CORRUPT_MESSAGE, "corrupt") from exc


def _first_bad_utf8_line(path: Path) -> int:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return number
    return 1


def _not_utf8_message(path: Path) -> str:
    line = _first_bad_utf8_line(path)
    return (
        f"Tệp CSV không phải mã UTF-8 (lỗi đầu tiên ở dòng {line}); hãy mở bằng Excel và lưu lại "
        "với kiểu «CSV UTF-8 (Comma delimited)», hoặc lưu dạng .xlsx."
    )


# -- OLE2 compound files -------------------------------------------------------------------------


def ole_stream_names(path: Path) -> set[str]:
    """Names of the streams and storages in an OLE2 compound file (.xls, .doc, an encrypted .xlsx)."""
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        return {entry[-1] for entry in ole.listdir(streams=True, storages=True)}


def _detect_ole(path: Path, label: str) -> str:
    try:
        names = ole_stream_names(path)
    except Exception:  # olefile raises OSError, ValueError, struct.error, IndexError… on a damaged file
        names = None
    if names is None:
        # unreadable directory: fall back to looking for the stream name anywhere in the file
        with open(path, "rb") as f:
            if "EncryptionInfo".encode("utf-16-le") in f.read():
                raise PortalFileError(PASSWORD_MESSAGE)
        raise PortalFileError(CORRUPT_MESSAGE, "corrupt")
    lowered = {n.lower() for n in names}
    if "encryptioninfo" in lowered or "encryptedpackage" in lowered:
        raise PortalFileError(PASSWORD_MESSAGE)
    if "workbook" in lowered or "book" in lowered:
        return "xls"
    if "worddocument" in lowered:
        raise PortalFileError(f"{label} là văn bản Word, không phải bảng tính; hãy chọn tệp Excel hoặc CSV.")
    raise PortalFileError(f"{label} không phải bảng tính Excel (.xlsx, .xls) hay CSV.")


# A workbook is compressed some 5 to 15 times (the benchmark's 100,000-row export: 6 MB holding 74 MB of XML);
# a "zip bomb" thousands of times, to exhaust the server's memory when the sheet is read. Refused before reading:
# an archive that unpacks to more than UNPACK_RATIO times its size, once that is over UNPACK_FLOOR bytes.
UNPACK_RATIO = 200
UNPACK_FLOOR = 256 * 1024 * 1024


def _detect_zip(path: Path, label: str, size: int) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > max(UNPACK_RATIO * size, UNPACK_FLOOR):
                raise PortalFileError(
                    f"{label} khi giải nén lên tới {format_mb(unpacked)}, gấp {format_int(unpacked // size)} lần "
                    "kích thước tệp — không phải bảng tính xuất bình thường (có thể là tệp hỏng hoặc tệp độc hại). "
                    "Hãy mở bằng Excel, kiểm tra rồi lưu lại, hoặc xuất lại từ cổng dịch vụ công.",
                    "unpacked_too_large")
            if "mimetype" in names:
                mime = zf.read("mimetype").decode("ascii", "replace").strip()
                if mime == "application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PortalFileError(CORRUPT_MESSAGE, "corrupt") from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        raise PortalFileError(f"{label} là văn bản Word, không phải bảng tính; hãy chọn tệp Excel hoặc CSV.")
    raise PortalFileError(f"{label} là tệp nén (zip) nhưng không phải bảng tính Excel.")


# python-calamine lays a sheet out as one rectangle, from its first cell with a value to its last: two cells far
# apart (A1 and XFD1048576) in a workbook of a few hundred bytes ask it for 17 billion cells, and the allocation
# that fails aborts the server's worker (SIGABRT), where no exception can be caught. An uploaded workbook's extent
# is read from its cells first (not from the <dimension> a sheet declares, which a crafted file sets to anything),
# and one larger than MAX_SHEET_CELLS is refused at the upload: a million rows of 32 columns, wider than any
# export, some 1 GB once read (32 bytes a cell).
MAX_SHEET_CELLS = 1_048_576 * 32
_SCAN_CHUNK = 1 << 20
# Excel's (and the portal's) own way of writing a cell, <c r="B7" …>: read at C speed
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_PLAIN_CELL_REF = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"')
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s>/]")
# any other way (no reference, a prefixed name, other quotes or spaces): read tag by tag
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_CELL_REF = re.compile(rb"""(?<![\w:.-])r\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _chunks(stream):
    """The XML in pieces of about _SCAN_CHUNK bytes, each cut before its last "<" (a tag that goes on)."""
    tail = b""
    while chunk := stream.read(_SCAN_CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<")
        data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        yield data
    if tail:
        yield tail


def _sheet_extent(open_stream) -> tuple[int, int]:
    """(last row, last column) a worksheet's XML asks the reader for. Written as Excel writes it, every cell
    names its reference and the references are read at C speed (an empty cell counted too); otherwise the
    sheet is read again tag by tag."""
    last_row = 0
    letters: set[bytes] = set()
    with open_stream() as stream:
        for data in _chunks(stream):
            refs = _PLAIN_CELL_REF.findall(data)
            if len(refs) != sum(data.count(tag) for tag in _CELL_TAGS) or _PREFIXED_TAG.search(data):
                break
            if refs:
                columns, rows = zip(*refs, strict=True)
                letters.update(columns)
                last_row = max(last_row, *map(int, rows))
        else:
            return last_row, max((_column_number(c) for c in letters), default=0)
    with open_stream() as stream:
        return _sheet_extent_by_tags(stream)


def _sheet_extent_by_tags(stream) -> tuple[int, int]:
    """As the reader places cells: a row or cell without a reference takes the next one (an empty cell counted too)."""
    last_row = last_col = row = col = 0
    for data in _chunks(stream):
        for kind, attrs in _SHEET_TAG.findall(data):
            ref = _CELL_REF.search(attrs)
            if kind == b"row":
                row = int(ref[2]) if ref and ref[2] else row + 1
                col = 0
                continue
            if ref and ref[1]:
                col = _column_number(ref[1])
                if ref[2]:
                    row = int(ref[2])
            else:
                col += 1
            last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


# An OpenDocument sheet says «this cell N times» and «this row N times» (number-columns-repeated,
# number-rows-repeated): LibreOffice writes its empty cells to the sheet's edge so, which the reader leaves out,
# but a cell with a value repeated is read as that many cells, each with its own copy of the value: a file of
# 984 bytes (90,000 rows × 1,000 columns of «x») took 11 GB and half a minute. Beside the extent, the cells that
# repetition makes (not those written one by one) may be no more than MAX_REPEATED_CELLS.
MAX_REPEATED_CELLS = MAX_SHEET_CELLS // 8
_ODS_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
_ODS_REPEAT = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']\s*([0-9]+)""")


def _ods_extent(stream) -> tuple[int, int, int]:
    """(last row, last column, cells made by repetition) of the cells with a value in an OpenDocument
    content.xml, over all its sheets."""
    last_row = last_col = repeated = 0
    row = col = row_repeat = valued_to = 0
    for data in _chunks(stream):
        for closing, kind, attrs in _ODS_TAG.findall(data):
            if kind == b"table":
                row = 0
                continue
            self_closing = attrs.endswith(b"/")
            if kind == b"table-row" and not closing:
                found = _ODS_REPEAT.search(attrs)
                row_repeat, col, valued_to = int(found[1]) if found else 1, 0, 0
            if kind != b"table-row" and not closing:  # a cell
                found = _ODS_REPEAT.search(attrs)
                times = int(found[1]) if found else 1
                if not self_closing or b"value-type" in attrs:
                    valued_to = col + times
                    if times * row_repeat > 1:
                        repeated += times * row_repeat
                col += times
            if kind == b"table-row" and (closing or self_closing):
                if valued_to:
                    last_row, last_col = max(last_row, row + row_repeat), max(last_col, valued_to)
                row += row_repeat
    return last_row, last_col, repeated


# An .xlsb worksheet is a stream of binary records (a type and a size, each a 7-bit varint): BrtRowHdr (type 0)
# starts a row (its number in the first 4 bytes), the cell records (types 1 to 11) name their column in theirs.
_XLSB_ROW, _XLSB_LAST_CELL = 0, 11


def _xlsb_header(data: bytes, i: int) -> tuple[int, int, int] | None:
    """(type, size, where the record's data starts) of the record at ``i``, or None when ``data`` ends first."""
    end = len(data)
    if i >= end:
        return None
    kind = data[i] & 0x7F
    if data[i] & 0x80:
        if i + 1 >= end:
            return None
        kind |= (data[i + 1] & 0x7F) << 7
        i += 1
    i += 1
    size = shift = 0
    for _ in range(4):
        if i >= end:
            return None
        size |= (data[i] & 0x7F) << shift
        shift += 7
        i += 1
        if not data[i - 1] & 0x80:
            break
    return kind, size, i


def _xlsb_extent(stream) -> tuple[int, int]:
    """(last row, last column) of the cell records of an .xlsb worksheet, read in chunks."""
    last_row = last_col = row = 0
    data, i, skip = b"", 0, 0
    while chunk := stream.read(_SCAN_CHUNK):
        data, i = data[i:] + chunk, 0
        if skip:  # the rest of a record longer than what was read before
            i = min(skip, len(data))
            skip -= i
        while (header := _xlsb_header(data, i)) is not None:
            kind, size, start = header
            if kind <= _XLSB_LAST_CELL:
                if start + 4 > len(data):
                    break  # read on, then this record again
                number = int.from_bytes(data[start:start + 4], "little")
                if kind == _XLSB_ROW:
                    row = number
                else:
                    last_row, last_col = max(last_row, row + 1), max(last_col, number + 1)
            if start + size > len(data):
                skip, i = start + size - len(data), len(data)
                break
            i = start + size
    return last_row, last_col


def check_sheet_extent(file, *, name: str) -> None:
    """Refuse an uploaded .xlsx, .xlsb or .ods (a path or a binary file object; a file of another type passes)
    whose sheet spans more than MAX_SHEET_CELLS cells (an .ods: or repeats a cell into more than
    MAX_REPEATED_CELLS), or whose sheet cannot be read to its end; raises :class:`PortalFileError`
    ("sheet_too_large", "corrupt"), in Vietnamese."""
    try:
        try:
            zf = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return  # not a workbook of XML parts: the reader says what it is when it opens the file
        with zf:
            names = zf.namelist()
            sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            sheets += [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".bin")]  # .xlsb
            if "content.xml" in names and "mimetype" in names:  # an OpenDocument spreadsheet (.ods)
                sheets.append("content.xml")
            for sheet in sheets:
                try:
                    if sheet == "content.xml":
                        with zf.open(sheet) as stream:
                            rows, cols, repeated = _ods_extent(stream)
                    elif sheet.endswith(".bin"):
                        with zf.open(sheet) as stream:
                            (rows, cols), repeated = _xlsb_extent(stream), 0
                    else:
                        (rows, cols), repeated = _sheet_extent(lambda sheet=sheet: zf.open(sheet)), 0
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
                    raise PortalFileError(CORRUPT_MESSAGE, "corrupt") from exc
                if repeated > MAX_REPEATED_CELLS:
                    raise PortalFileError(
                        f"Tệp «{name}» có ô dữ liệu lặp lại thành {format_int(repeated)} ô — không phải bảng tính "
                        "xuất bình thường (có thể là tệp hỏng hoặc tệp độc hại). Hãy mở bằng LibreOffice hoặc Excel, "
                        "kiểm tra rồi lưu lại dạng .xlsx, hoặc xuất lại từ cổng dịch vụ công.", "sheet_too_large")
                if rows * cols > MAX_SHEET_CELLS:
                    raise PortalFileError(
                        f"Tệp «{name}» có ô dữ liệu trải trên {format_int(rows)} dòng × {format_int(cols)} cột — "
                        "không phải bảng tính xuất bình thường (có thể là tệp hỏng hoặc tệp độc hại). Hãy mở bằng "
                        "Excel, xóa các ô thừa nằm xa vùng dữ liệu rồi lưu lại, hoặc xuất lại từ cổng dịch vụ công.",
                        "sheet_too_large")
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


_BINARY_KINDS = (
    (b"\x89PNG", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF8", "ảnh GIF"),
    (b"%PDF", "tệp PDF"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf", "tệp nén 7z"),
)


def _text_with_stray_nuls(head: bytes) -> bool:
    """A CSV with a few NUL bytes (a damaged export) rather than a binary file: without them it is UTF-8
    text, and they are rare. The reader then names the rows that have one."""
    nuls = head.count(b"\x00")
    if nuls * 100 > len(head):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head.replace(b"\x00", b""), final=len(head) < _SNIFF_BYTES)
    except UnicodeDecodeError:
        return False
    return True


def _detect_text(path: Path, head: bytes, label: str) -> str:
    for magic, what in _BINARY_KINDS:
        if head.startswith(magic):
            raise PortalFileError(f"{label} thực chất là {what}, không phải bảng tính Excel hay CSV.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PortalFileError(
            f"{label} là văn bản mã UTF-16 (kiểu «Unicode Text» của Excel), không phải CSV mã UTF-8; hãy mở bằng "
            "Excel và lưu lại với kiểu «CSV UTF-8 (Comma delimited)», hoặc lưu dạng .xlsx.")
    if b"\x00" in head and not _text_with_stray_nuls(head):
        raise PortalFileError(f"{label} không phải bảng tính Excel (.xlsx, .xls) hay CSV.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=len(head) < _SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise PortalFileError(_not_utf8_message(path)) from exc
    start = text.lstrip("\ufeff \t\r\n").lower()
    if not start:
        raise PortalFileError(f"{label} không có dữ liệu (chỉ có khoảng trắng).")
    if start.startswith(("<html", "<!doctype", "<table", "<meta")) or (
        start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start
    ):
        raise PortalFileError(
            f"{label} là trang HTML/XML được đổi đuôi thành Excel; hãy mở bằng Excel và lưu lại "
            "dạng .xlsx trước khi nhập."
        )
    return "csv"


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; TAB that splits the most lines into the same, largest number of fields."""
    lines = [ln for ln in text.lstrip("\ufeff").splitlines()[:50] if ln.strip()]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts: dict[int, int] = {}
        try:
            for cells in csv.reader(lines, delimiter=delim):
                if len(cells) > 1:
                    counts[len(cells)] = counts.get(len(cells), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width = max(counts, key=lambda k: (counts[k], k))
        score = (counts[width], width)
        if score > best_score:
            best, best_score = delim, score
    return best


def open_table(
    path: str | os.PathLike, *, original_name: str | None = None, max_bytes: int = MAX_BYTES
) -> Table:
    """Detect the real type by content (not by extension) and return a :class:`Table`.

    Raises :class:`PortalFileError` for: missing/empty file, file over ``max_bytes``, a renamed
    non-spreadsheet (image, PDF, Word, HTML…), a corrupt zip/workbook, a password-protected
    workbook, a CSV that is not UTF-8."""
    p = Path(path)
    label = _label(p, original_name)
    try:
        st = p.stat()
    except OSError as exc:
        raise PortalFileError(f"{label} không tồn tại hoặc không đọc được.", "missing") from exc
    if st.st_size == 0:
        raise PortalFileError(f"{label} rỗng (0 byte); hãy xuất lại danh sách từ cổng dịch vụ công.", "empty")
    if st.st_size > max_bytes:
        size_text, limit_text = format_size_over(st.st_size, max_bytes)
        raise PortalFileError(
            f"{label} quá lớn ({size_text}), vượt giới hạn {limit_text}. Hãy xuất theo từng tháng hoặc từng quý.",
            "too_large",
        )
    with open(p, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    delimiter = None
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        file_type = _detect_zip(p, label, st.st_size)
    elif head.startswith(_OLE_MAGIC):
        file_type = _detect_ole(p, label)
    else:
        file_type = _detect_text(p, head, label)
        delimiter = sniff_delimiter(head.decode("utf-8", "ignore"))
    return Table(p, file_type, st.st_size, st.st_mtime_ns, delimiter, original_name)
