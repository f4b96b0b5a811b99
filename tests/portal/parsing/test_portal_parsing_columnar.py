"""The columnar scan of large CSV dossier lists finds exactly what the row-by-row scan finds, or
gives up and leaves the file to it (thidua/portal/parsing/columnar.py)."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.portal.parsing import PortalFileError, UnitMatcher, columnar, read_accounts, read_dossiers
from thidua.portal.parsing.reader import COLUMNAR_MIN_BYTES, DOSSIER_RECORD_FIELDS

AS_OF = date(2021, 3, 20)


@pytest.fixture
def export(dossier_header, dossier_row):
    """typical_export(n) with the conftest's header and row builder."""
    return lambda n=120: typical_export(dossier_header, dossier_row, n)


@pytest.fixture
def scan_both(unit_list):
    """both(path, ...) with the conftest's registry."""
    return lambda path, **kwargs: both(path, UnitMatcher(unit_list), **kwargs)


class Collector:
    """An on_rows callback that can take back what it was handed (as the import's writer does)."""

    def __init__(self) -> None:
        self.records: list[tuple] = []
        self.batches = 0
        self.restarts = 0

    def __call__(self, batch: list[tuple]) -> None:
        self.records.extend(batch)
        self.batches += 1

    def restart(self) -> None:
        self.records.clear()
        self.restarts += 1


class ArrowCollector(Collector):
    """A Collector that takes the columnar scan's Arrow batches, as the PostgreSQL writer does."""

    takes_arrow = True

    def __init__(self) -> None:
        super().__init__()
        self.arrow_batches = 0

    def __call__(self, batch) -> None:
        if not isinstance(batch, list):
            assert batch.schema.names == list(DOSSIER_RECORD_FIELDS)
            self.arrow_batches += 1
            batch = list(zip(*((column.cast(pa.string()) if pa.types.is_date32(column.type) else column).to_pylist()
                               for column in batch.columns), strict=True))
        super().__call__(batch)


def _outcome(result, collector: Collector) -> dict:
    return {
        "rows_read": result.rows_read, "valid_rows": result.valid_rows, "ok": result.ok,
        "errors": [str(e) for e in result.errors], "error_count": result.error_count,
        "error_rows": result.error_rows, "unmatched_units": result.unmatched_units,
        "unmatched_counts": result.unmatched_counts, "aggregates": result.aggregates,
        "skipped": result.skipped, "first_date": result.first_date, "last_date": result.last_date,
        "records": sorted(collector.records, key=lambda record: record[-1]),
        "phase2": [(row.row, row.code) for row in result.iter_rows()],
    }


def both(path, units: UnitMatcher, *, as_of=AS_OF, **kwargs):
    """Read ``path`` with each scan; return (row-by-row outcome, columnar outcome, columnar result,
    the columnar scan's on_rows collector)."""
    exact = Collector()
    by_rows = read_dossiers(path, units=units, as_of=as_of, engine="python", on_rows=exact, **kwargs)
    columns = Collector()
    by_columns = read_dossiers(path, units=units, as_of=as_of, engine="columnar", on_rows=columns, **kwargs)
    assert by_rows.engine == "python"
    return _outcome(by_rows, exact), _outcome(by_columns, columns), by_columns, columns


def write_lines(tmp_path, lines, *, name="ho-so.csv", newline="\n", bom=True, delimiter=";"):
    """A CSV written line by line (rows as lists are joined by csv, strings are written as they are)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    for line in lines:
        if isinstance(line, str):
            out.write(line + newline)
        else:
            writer.writerow(line)
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8"))
    return path


def typical_export(header: list[str], dossier, n: int) -> list:
    """An export as a portal writes it: title lines, the header, rows of every kind, totals, footer."""
    lines: list = [["UBND HUYỆN CHÂU THÀNH A"], ["DANH SÁCH HỒ SƠ TIẾP NHẬN (01/03/2021 - 31/03/2021)"], header]
    spellings = ["Xã Tân Hòa", "Xã Tân Hoà", "UBND xã Tân Hòa", "Thị trấn Một Ngàn", "TT. Một Ngàn", "Phòng Tư pháp",
                 "  Phòng Tư pháp  "]
    levels = ["Mức độ 3", "Mức độ 4", "2", "Mức 4", "DVC toàn trình"]
    channels = ["Trực tuyến", "Trực tiếp", "Bưu chính", "Qua mạng"]
    for i in range(n):
        day = 1 + i % 28
        lines.append(dossier(
            f"000.00.{i % 7:02d}.H29-2103{i:05d}" if i % 11 else f"  T-{i:05d} ",  # a code starting with T
            level=levels[i % len(levels)], channel=channels[i % len(channels)], unit=spellings[i % len(spellings)],
            received=f"{day:02d}/03/2021 {8 + i % 9:02d}:{i % 60:02d}",
            due=f"{min(day + i % 5, 31):02d}/03/2021" if i % 13 else f"{min(day + 2, 31)}/3/2021",  # d/m/yyyy
            resolved=["", f"{min(day + i % 4, 31):02d}/03/2021 16:30", "2021-03-31", "44286"][i % 4],
            stt=i + 1, procedure="Cấp giấy phép xây dựng; sửa chữa" if i % 17 == 0 else "Đăng ký khai sinh",
            status="Đã trả kết quả"))
    lines.append(["", f"Tổng cộng: {n} hồ sơ", "", "", "", "", "", "", "", ""])
    lines.append(";;;;;Người lập biểu;Nguyễn Văn A")  # a short footer line
    lines.append("")
    return lines


def test_the_columnar_scan_reads_a_typical_export_as_the_row_by_row_scan(tmp_path, export, scan_both):
    path = write_lines(tmp_path, export())
    exact, columns, result, _ = scan_both(path)
    assert result.engine == "columnar"
    assert exact == columns
    assert exact["ok"] and exact["valid_rows"] == 120
    assert exact["skipped"] == [(124, "totals"), (125, "footer")]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_line_ends_delimiters_and_byte_order_marks(tmp_path, export, scan_both, newline, delimiter, bom):
    path = write_lines(tmp_path, export(40), newline=newline, bom=bom, delimiter=delimiter)
    exact, columns, result, _ = scan_both(path)
    assert result.engine == "columnar"
    assert exact == columns


def test_unknown_units_are_listed_with_their_rows(tmp_path, export, scan_both, dossier_row):
    rows = export(30)
    rows.insert(10, dossier_row("X1", unit="Xã Tân Hưng"))
    rows.insert(20, dossier_row("X2", unit="Xã Tân Hưng "))
    exact, columns, result, _ = scan_both(write_lines(tmp_path, rows))
    assert result.engine == "columnar"
    assert exact == columns
    assert exact["unmatched_counts"] == {"Xã Tân Hưng": 2} and exact["unmatched_units"] == {"Xã Tân Hưng": [11, 21]}


def test_many_batches_with_odd_rows_across_their_borders(tmp_path, monkeypatch, export, scan_both, dossier_row):
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)  # about 30 rows a batch
    rows = export(600)
    for at in (40, 41, 250, 251, 252, 430):
        rows.insert(at, ["", "", "", "", "", "", "", "", "", ""])  # empty rows: the exact reader passes them
        rows.insert(at, dossier_row(f"T{at}", unit="Xã Tân Hưng"))
    exact, columns, result, _ = scan_both(write_lines(tmp_path, rows), batch_size=7)
    assert result.engine == "columnar"
    assert exact == columns
    assert exact["rows_read"] == 606


def test_lines_of_another_width_anywhere(tmp_path, monkeypatch, export, scan_both, dossier_row):
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)
    rows = export(200)
    for at in (5, 60, 61, 150):
        rows.insert(at, ";;x")  # short lines without a code: the exact reader passes them
    rows.insert(100, ";;;;;Xã Tân Hòa;;;;;;;")  # a long one
    rows.insert(120, "7;T-X;Đăng ký khai sinh;3;Trực tuyến;Xã Tân Hòa;01/03/2021;02/03/2021")  # short, valid
    exact, columns, result, _ = scan_both(write_lines(tmp_path, rows), batch_size=10)
    assert result.engine == "columnar"
    assert exact == columns
    assert exact["ok"] and exact["valid_rows"] == 201


@pytest.mark.parametrize("problem", [
    "duplicate", "bad date", "missing unit", "value over two lines", "codeless row before data",
    "too long code", "not utf-8",
])
def test_the_columnar_scan_gives_up_and_the_row_by_row_scan_words_the_problem(tmp_path, monkeypatch, export, scan_both,
                                                                             dossier_row, units, problem):
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)
    rows = export(200)
    if problem == "duplicate":
        rows.insert(150, dossier_row("000.00.01.H29-210300001"))
    elif problem == "bad date":
        rows.insert(150, dossier_row("Z1", received="31/02/2021 08:00"))
    elif problem == "missing unit":
        rows.insert(150, dossier_row("Z1", unit=""))
    elif problem == "value over two lines":
        rows.insert(150, dossier_row("Z1", procedure="Đăng ký\nkhai sinh"))
    elif problem == "codeless row before data":
        rows.insert(150, dossier_row("", unit="Xã Tân Hòa"))
    elif problem == "too long code":
        rows.insert(150, dossier_row("Z" * 101))
    path = write_lines(tmp_path, rows)
    if problem == "not utf-8":
        path.write_bytes(path.read_bytes().replace("Tổng cộng".encode(), b"T\xf4ng c\xf4ng"))  # Latin-1
        with pytest.raises(PortalFileError):
            read_dossiers(path, units=units, engine="columnar")
        return
    exact, columns, result, collector = scan_both(path, batch_size=10)
    assert result.engine == "python"
    assert exact == columns
    if problem == "value over two lines":
        assert exact["ok"]  # not a problem for the exact reader, which counts its lines
        assert collector.restarts == 1  # the rows handed over before the columnar scan gave up were taken back
    else:
        assert not exact["ok"]


def test_a_nul_byte_is_left_to_the_row_by_row_scan_before_any_record_is_handed_over(tmp_path, monkeypatch, export,
                                                                                    scan_both, dossier_row):
    """A damaged file: neither database can keep a text with NUL in it. Past the first 64 KB, which
    opening the file checks already."""
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)
    rows = export(1000)
    rows.insert(900, dossier_row("Z1", status="Đã trả\x00kết quả"))
    path = write_lines(tmp_path, rows)
    assert path.read_bytes().index(b"\x00") > 64 * 1024
    exact, columns, result, collector = scan_both(path, batch_size=10)
    assert result.engine == "python"
    assert exact == columns
    assert exact["errors"] == ["Dòng 901: trạng thái chứa ký tự NUL (mã 0), thường do tệp bị hỏng; hãy xuất "
                               "lại tệp từ Cổng."]
    assert collector.restarts == 0  # found before a single record settled by columns was handed over


def test_a_nul_byte_in_the_first_rows_is_named_by_its_row_too(tmp_path, export, scan_both, dossier_row):
    """Within the first 64 KB, which opening the file reads to tell a CSV from a binary file: a few NUL
    bytes in UTF-8 text are a damaged row, not "not a spreadsheet"."""
    rows = export(300)
    rows.insert(5, dossier_row("Z1", status="Đã trả\x00kết quả"))
    path = write_lines(tmp_path, rows)
    assert path.read_bytes().index(b"\x00") < 1024
    exact, columns, _, _ = scan_both(path, batch_size=10)
    assert exact == columns
    assert exact["errors"] == ["Dòng 6: trạng thái chứa ký tự NUL (mã 0), thường do tệp bị hỏng; hãy xuất "
                               "lại tệp từ Cổng."]


@pytest.mark.parametrize("lines_of_another_width", [False, True])
def test_a_callback_that_takes_arrow_batches_gets_the_same_records(tmp_path, monkeypatch, export, units,
                                                                   dossier_row, lines_of_another_width):
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)
    rows = export(300)
    rows.insert(60, dossier_row("Q1", procedure=' "Cấp phép"; sửa, chữa \\N ', status="\\."))
    rows.insert(70, dossier_row("Q2", procedure="   ", status="", resolved=""))
    if lines_of_another_width:
        rows.insert(100, ";;x")
        rows.insert(200, "7;Q3;Đăng ký khai sinh;3;Trực tuyến;Xã Tân Hòa;01/03/2021;02/03/2021")
    path = write_lines(tmp_path, rows)
    plain, arrow = Collector(), ArrowCollector()
    by_rows = read_dossiers(path, units=units, as_of=AS_OF, engine="python", on_rows=plain)
    by_columns = read_dossiers(path, units=units, as_of=AS_OF, engine="columnar", on_rows=arrow, batch_size=7)
    assert by_columns.engine == "columnar" and arrow.arrow_batches > 5
    assert sorted(arrow.records, key=lambda r: r[-1]) == sorted(plain.records, key=lambda r: r[-1])
    assert len(plain.records) == by_rows.valid_rows == by_columns.valid_rows
    q1 = next(r for r in arrow.records if r[0] == "Q1")
    assert (q1[2], q1[10]) == ('"Cấp phép"; sửa, chữa \\N', "\\.")
    q2 = next(r for r in arrow.records if r[0] == "Q2")
    assert (q2[2], q2[8], q2[9], q2[10]) == ("", None, False, "")


def test_which_scan_reads_a_file(tmp_path, write_csv, write_xlsx, export, units, dossier_row):
    small = write_lines(tmp_path, export(20), name="nho.csv")
    assert read_dossiers(small, units=units, as_of=AS_OF).engine == "python"  # small: row by row
    assert read_dossiers(small, units=units, as_of=AS_OF, engine="columnar").engine == "columnar"
    # a callback that cannot take back what it was handed keeps the row-by-row scan
    assert read_dossiers(small, units=units, as_of=AS_OF, engine="columnar", on_rows=list().extend).engine == "python"
    assert read_dossiers(write_xlsx([dossier_row("A")]), units=units, engine="columnar").engine == "python"
    accounts = write_csv([["1", "001", "Xã Tân Hòa", "01/03/2021"]], header=["STT", "Tài khoản", "Đơn vị", "Ngày tạo"])
    assert read_accounts(accounts, units=units).engine == "python"  # account lists: row by row
    big = write_lines(tmp_path, export(COLUMNAR_MIN_BYTES // 100), name="lon.csv")
    assert big.stat().st_size >= COLUMNAR_MIN_BYTES
    assert read_dossiers(big, units=units, as_of=AS_OF).engine == "columnar"
    with pytest.raises(ValueError):
        read_dossiers(small, units=units, engine="duckdb")


def test_progress_counts_up_to_the_lines_of_the_file(tmp_path, monkeypatch, export, units):
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)
    path = write_lines(tmp_path, export(300))
    seen: list[tuple[int, int | None]] = []
    result = read_dossiers(path, units=units, as_of=AS_OF, engine="columnar",
                           progress=lambda done, total: seen.append((done, total)))
    assert result.engine == "columnar" and len(seen) > 5
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (306 - 3, 306)  # the data lines after the header; the file's lines


def test_whitespace_is_what_str_strip_removes():
    assert set(columnar.WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


_cell = st.one_of(
    st.sampled_from(["", " ", "Tổng cộng", "Cộng", "T1", "c2", "31/02/2021", "01/03/2021", "15/03/2021 10:30",
                     "15/03/2021 24:00", "1/3/2021", "2021-03-05", "44270", "Mức độ 3", "4", "Trực tuyến",
                     "Trực tiếp", "Fax", "Xã Tân Hòa", "Xã Mới", "A1", "A2", "A3", "a;b", '"', "x\ny"]),
    st.text(max_size=5),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=11), max_size=25))
def test_both_scans_agree_on_any_input(tmp_path_factory, scan_both, dossier_header, rows):
    path = write_lines(tmp_path_factory.mktemp("csv"), [dossier_header, *rows])
    try:
        exact, columns, _, _ = scan_both(path)
    except PortalFileError:
        return
    assert exact == columns


def test_a_date_after_the_day_the_file_is_read_is_a_row_error_in_both_scans(tmp_path, export, scan_both, units):
    path = write_lines(tmp_path, export(120))
    plain = read_dossiers(path, units=units, as_of=AS_OF)
    assert plain.ok and plain.first_date < plain.last_date
    day_before_last = date.fromordinal(plain.last_date.toordinal() - 1)
    exact, columns, result, _ = scan_both(path, latest=day_before_last)
    assert exact == columns  # the columnar scan hands a late row to the exact logic, which words it
    assert result.engine == "python"  # a file with a row error is read row by row, naming every bad row
    assert not result.ok and 0 < result.error_count < 120
    late = f"ở sau ngày nhập tệp ({day_before_last:%d/%m/%Y})."
    assert all(late in str(error) and "ngày tiếp nhận" in str(error) for error in result.errors)
    assert read_dossiers(path, units=units, as_of=AS_OF, latest=plain.last_date).ok  # the last day itself is fine


def test_an_account_created_after_the_day_the_file_is_read_is_a_row_error(write_csv, units):
    accounts = write_csv([["1", "001", "Xã Tân Hòa", "01/03/2021"], ["2", "002", "Xã Tân Hòa", "02/06/2031"]],
                         header=["STT", "Tài khoản", "Đơn vị", "Ngày tạo"])
    result = read_accounts(accounts, units=units, latest=date(2021, 11, 22))
    assert [str(e) for e in result.errors] == ["Dòng 3: ngày tạo 02/06/2031 ở sau ngày nhập tệp (22/11/2021)."]
