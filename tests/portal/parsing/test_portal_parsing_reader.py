"""Reading dossier and account lists: header mapping, row errors, aggregates, the two phases."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.portal.parsing import (
    ACCOUNT_RECORD_FIELDS,
    DOSSIER_RECORD_FIELDS,
    AccountRow,
    DossierRow,
    MonthFigures,
    PortalFileError,
    UnitMatcher,
    normalize_unit_name,
    read_accounts,
    read_dossiers,
)

AS_OF = date(2021, 12, 31)


# -- samples -----------------------------------------------------------------------------------


def test_sample_dossiers(samples, units):
    r = read_dossiers(samples / "ho-so-mau.xlsx", units=units, as_of=AS_OF)
    assert r.ok, r.summary()
    assert (r.rows_read, r.valid_rows, r.mapping.row) == (300, 300, 3)
    assert r.skipped == [(304, "totals")]
    assert set(r.mapping.columns) == {"code", "procedure", "level", "channel", "unit", "received_at",
                                      "due_at", "resolved_at", "status"}
    rows = list(r.iter_rows())
    assert rows[0] == DossierRow(
        4, "MAU-00001", "Đăng ký khai sinh", 3, "in_person", "P-TU-PHAP", "Phòng Tư pháp",
        datetime(2021, 9, 28, 15), datetime(2021, 10, 3, 15), datetime(2021, 10, 8, 15), "Đã trả kết quả")
    assert rows[-1].row == 303 and rows[-1].resolved_at is None
    # aggregates agree with the typed rows
    assert sum(f.received for f in r.aggregates.values()) == 300
    assert sum(f.online for f in r.aggregates.values()) == sum(
        1 for x in rows if x.channel == "online" and x.level >= 3)
    assert sum(f.on_time for f in r.aggregates.values()) == sum(
        1 for x in rows if x.resolved_at and x.resolved_at.date() <= x.due_at.date())
    assert (r.first_date, r.last_date) == (date(2021, 6, 1), date(2021, 11, 28))


def test_sample_accounts(samples, units):
    r = read_accounts(samples / "tai-khoan-mau.xlsx", units=units)
    assert r.ok and r.valid_rows == 200
    rows = list(r.iter_rows())
    assert rows[0] == AccountRow(2, "032008081887", "business", "X-THANH-XUAN", "Xã Thạnh Xuân",
                                 datetime(2021, 10, 2, 9, 30))
    assert {x.kind for x in rows} == {"citizen", "business"}
    assert sum(f.accounts for f in r.aggregates.values()) == 200


# -- layouts ---------------------------------------------------------------------------------------


def test_xlsx_with_title_merged_stt_totals_native_and_serial_dates(write_xlsx, units, dossier_row):
    rows = [
        dossier_row("HS-1", received=datetime(2021, 3, 1, 8), due=datetime(2021, 3, 5), resolved=44259.5),
        dossier_row("HS-2", level=4.0, channel="Online", unit="Tân Hoà", received="44256",
                    due="10/03/2021", resolved=""),
        dossier_row(12345.0, level="DVC mức độ 2", unit="TT. Một Ngàn", channel="Bưu chính"),
    ]
    p = write_xlsx(rows)
    r = read_dossiers(p, units=units, as_of=date(2021, 3, 31))
    assert r.ok, r.summary()
    assert r.mapping.row == 3 and r.skipped == [(7, "totals")]
    typed = list(r.iter_rows())
    assert [x.row for x in typed] == [4, 5, 6]
    assert typed[0].resolved_at == datetime(2021, 3, 4, 12)
    assert typed[1].received_at == datetime(2021, 3, 1) and typed[1].unit_code == "X-TAN-HOA"
    assert typed[2].code == "12345" and typed[2].unit_code == "TT-MOT-NGAN" and typed[2].channel == "postal"
    assert r.aggregates == {
        ("TT-MOT-NGAN", "2021-03"): MonthFigures(received=1, online=0, resolved=1, on_time=1, due=1),
        ("X-TAN-HOA", "2021-03"): MonthFigures(received=2, online=2, resolved=1, on_time=1, due=2),
    }


def test_headers_without_diacritics_and_other_aliases(write_csv, units):
    header = ["So TT", "SO HO SO", "Thu tuc hanh chinh", "Muc do DVC", "Kenh nop", "Co quan giai quyet",
              "Ngay nhan", "Han xu ly", "Ngay hoan thanh (dd/mm/yyyy)", "Tinh trang"]
    p = write_csv([["1", "A1", "x", "3", "Truc tuyen", "Xa Tan Hoa", "01/03/2021", "05/03/2021",
                    "05/03/2021", "xong"]], header=header, bom=False, delimiter=",")
    r = read_dossiers(p, units=units)
    assert r.ok, r.summary()
    assert r.mapping.headers["resolved_at"] == "Ngay hoan thanh (dd/mm/yyyy)"
    assert r.mapping.columns["code"] == 1
    assert next(r.iter_rows()).status == "xong"


def test_saved_mapping_overrides_aliases(write_csv, units):
    header = ["Mã hồ sơ", "Mức độ", "Hình thức nộp", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả",
              "Ngày có kết quả", "Ngày xử lý thực tế"]
    row = ["A1", "3", "Trực tuyến", "Xã Tân Hòa", "01/03/2021", "09/03/2021", "", "08/03/2021"]
    p = write_csv([row], header=header)
    plain = read_dossiers(p, units=units)
    assert plain.mapping.columns["resolved_at"] == 6 and next(plain.iter_rows()).resolved_at is None
    saved = read_dossiers(p, units=units, mapping={"resolved_at": "ngay xu ly thuc te"})
    assert saved.mapping.columns["resolved_at"] == 7
    assert next(saved.iter_rows()).resolved_at == datetime(2021, 3, 8)
    assert saved.mapping.saved()["resolved_at"] == "Ngày xử lý thực tế"
    with pytest.raises(PortalFileError, match="cột đã lưu «Ngày xong»"):
        read_dossiers(p, units=units, mapping={"resolved_at": "Ngày xong"})
    with pytest.raises(PortalFileError, match="trường không biết"):
        read_dossiers(p, units=units, mapping={"foo": "Mã hồ sơ"})


def test_multiline_quoted_cell_keeps_line_numbers(tmp_path, units):
    p = tmp_path / "nhieu-dong.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Mã hồ sơ", "Tên thủ tục", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận",
                    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"])
        w.writerow(["A1", "Thủ tục\ncó xuống dòng\n\"trích\"", "3", "Trực tuyến", "Xã Tân Hòa",
                    "01/03/2021", "05/03/2021", ""])
        w.writerow(["A2", "x", "3", "Trực tuyến", "Xã Tân Hòa", "01/03/2021", "31/02/2021", ""])
    r = read_dossiers(p, units=units)
    assert [str(e) for e in r.errors] == [
        "Dòng 5: ngày hẹn trả «31/02/2021» không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/07/2021)."]
    assert next(r.iter_rows()).procedure == "Thủ tục\ncó xuống dòng\n\"trích\""


# -- row errors ------------------------------------------------------------------------------------


def test_row_errors_with_spreadsheet_row_numbers(write_xlsx, units, dossier_row):
    rows = [
        dossier_row("OK-1"),
        dossier_row("BAD-DATE", due="31/02/2021"),
        dossier_row("BAD-ORDER", received="10/03/2021", due="05/03/2021", resolved="09/03/2021"),
        dossier_row("BAD-LEVEL", level="Mức độ 5"),
        dossier_row("BAD-CHANNEL", channel="Fax"),
        dossier_row("", stt=6),
        dossier_row("OK-1", stt=7),
        dossier_row("NO-UNIT", unit=""),
        dossier_row("NO-RECEIVED", received=""),
        dossier_row("OK-2"),
    ]
    r = read_dossiers(write_xlsx(rows), units=units)
    assert [str(e) for e in r.errors] == [
        "Dòng 5: ngày hẹn trả «31/02/2021» không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/07/2021).",
        "Dòng 6: ngày hẹn trả 05/03/2021 trước ngày tiếp nhận 10/03/2021.",
        "Dòng 6: ngày có kết quả 09/03/2021 trước ngày tiếp nhận 10/03/2021.",
        "Dòng 7: mức độ «Mức độ 5» không hợp lệ (chỉ nhận 2, 3 hoặc 4).",
        "Dòng 8: hình thức nộp «Fax» không rõ (cần Trực tuyến, Trực tiếp hoặc Bưu chính).",
        "Dòng 9: thiếu mã hồ sơ.",
        "Dòng 10: mã hồ sơ «OK-1» trùng với dòng 4.",
        "Dòng 11: thiếu đơn vị tiếp nhận.",
        "Dòng 12: thiếu ngày tiếp nhận.",
    ]
    assert [e.field for e in r.errors][:2] == ["due_at", "due_at"]
    assert (r.error_count, r.error_rows, r.valid_rows, r.rows_read) == (9, 8, 2, 10)
    assert not r.ok
    assert [x.code for x in r.iter_rows()] == ["OK-1", "OK-2"]
    assert r.aggregates[("X-TAN-HOA", "2021-03")].received == 2
    summary = r.summary()
    assert summary[0] == "Đọc 10 dòng hồ sơ; 2 dòng hợp lệ."
    assert summary[2] == "9 lỗi ở 8 dòng:"


def test_negative_and_impossible_values(write_csv, units, dossier_row):
    p = write_csv([dossier_row("A", level="-3"), dossier_row("B", level="1"), dossier_row("C", level="0"),
                   dossier_row("D", received="-44256"), dossier_row("E", due="0")])
    r = read_dossiers(p, units=units)
    assert [e.row for e in r.errors] == [2, 3, 4, 5, 6]
    assert all(e.field in ("level", "received_at", "due_at") for e in r.errors)
    assert r.valid_rows == 0


def test_max_errors_keeps_counts_exact(write_csv, units, dossier_row):
    p = write_csv([dossier_row(f"A{i}", due="xx") for i in range(50)])
    r = read_dossiers(p, units=units, max_errors=5)
    assert len(r.errors) == 5 and r.error_count == 50 and r.errors_truncated
    assert r.summary()[-1] == "… và 45 lỗi khác."


def test_summary_counts_are_written_the_vietnamese_way(write_csv, units, dossier_row):
    p = write_csv([dossier_row(f"A{i}", due="xx") for i in range(1_205)])
    summary = read_dossiers(p, units=units, max_errors=5).summary()
    assert summary[0] == "Đọc 1.205 dòng hồ sơ; 0 dòng hợp lệ."
    assert summary[1] == "1.205 lỗi ở 1.205 dòng:" and summary[-1] == "… và 1.200 lỗi khác."


def test_duplicate_codes_name_both_rows_and_phase2_keeps_the_first(write_csv, units, dossier_row):
    p = write_csv([dossier_row("X"), dossier_row("Y"), dossier_row("X", unit="Phòng Tư pháp")])
    r = read_dossiers(p, units=units)
    assert [str(e) for e in r.errors] == ["Dòng 4: mã hồ sơ «X» trùng với dòng 2."]
    assert [(x.code, x.unit_code) for x in r.iter_rows()] == [("X", "X-TAN-HOA"), ("Y", "X-TAN-HOA")]


def test_unknown_units_then_remembered(write_csv, unit_list, dossier_row):
    p = write_csv([dossier_row("A", unit="Xã Tân Hưng"), dossier_row("B"), dossier_row("C", unit="Xã Tân Hưng ")])
    r = read_dossiers(p, units=UnitMatcher(unit_list))
    assert r.error_count == 0 and not r.ok
    assert r.unmatched_units == {"Xã Tân Hưng": [2, 4]}
    assert r.summary()[-1] == "Đơn vị «Xã Tân Hưng» chưa có trong danh mục (2 dòng: 2, 4)."
    assert [x.code for x in r.iter_rows()] == ["B"]
    remembered = {normalize_unit_name("Xã Tân Hưng"): "X-TAN-PHU-THANH"}
    r2 = read_dossiers(p, units=UnitMatcher(unit_list, remembered))
    assert r2.ok and r2.aggregates[("X-TAN-PHU-THANH", "2021-03")].received == 2


def test_totals_and_footer_rows_are_skipped(write_csv, units, dossier_row):
    rows = [dossier_row("A"), dossier_row("B"),
            ["", "Tổng cộng: 2 hồ sơ", "", "", "", "", "", "", "", ""],
            ["Cộng", "", "", "2", "", "", "", "", "", ""],
            ["", "", "", "", "", "", "", "", "", ""],
            ["", "", "", "", "", "Người lập biểu", "", "", "", ""],
            ["", "", "", "Mức độ 3", "Trực tuyến", "Xã Tân Hòa", "", "", "", ""]]
    r = read_dossiers(write_csv(rows), units=units)
    assert r.ok, r.summary()
    assert r.skipped == [(4, "totals"), (5, "totals"), (8, "footer")]
    assert r.valid_rows == 2


# -- aggregates ------------------------------------------------------------------------------------


def test_aggregates_due_and_on_time_by_date(write_csv, units, dossier_row):
    rows = [
        # resolved later the same day as due: on time (compared by date)
        dossier_row("A", received="01/03/2021 08:00", due="05/03/2021 08:00", resolved="05/03/2021 17:00"),
        # resolved late
        dossier_row("B", received="01/03/2021", due="05/03/2021", resolved="06/03/2021"),
        # open, due date passed at as_of -> due
        dossier_row("C", received="02/03/2021", due="20/03/2021", resolved=""),
        # open, not due yet at as_of
        dossier_row("D", received="03/03/2021", due="02/04/2021", resolved="", channel="Trực tiếp"),
        # level 2 online is not counted as online level 3/4
        dossier_row("E", level="2", received="01/04/2021", due="02/04/2021", resolved="02/04/2021"),
        dossier_row("F", unit="Phòng Tư pháp", received="15/04/2021", due="16/04/2021", resolved=""),
    ]
    r = read_dossiers(write_csv(rows), units=units, as_of=date(2021, 3, 31))
    assert r.aggregates == {
        ("P-TU-PHAP", "2021-04"): MonthFigures(received=1, online=1, resolved=0, on_time=0, due=0),
        ("X-TAN-HOA", "2021-03"): MonthFigures(received=4, online=3, resolved=2, on_time=1, due=3),
        ("X-TAN-HOA", "2021-04"): MonthFigures(received=1, online=0, resolved=1, on_time=1, due=1),
    }


def test_accounts_errors_and_duplicates(write_csv, units):
    header = ["STT", "Số CMND/CCCD", "Loại tài khoản", "Xã/Phường", "Ngày đăng ký"]
    rows = [["1", "001", "Công dân", "X. Tân Hòa", "01/03/2021"],
            ["2", "002", "Doanh nghiệp", "TT Một Ngàn", "2021-03-02"],
            ["3", "001", "Công dân", "Xã Tân Hòa", "03/03/2021"],
            ["4", "003", "", "Xã Tân Hòa", "hôm nay"],
            ["Tổng", "", "", "", ""]]
    r = read_accounts(write_csv(rows, header=header), units=units)
    assert [str(e) for e in r.errors] == [
        "Dòng 4: tài khoản «001» trùng với dòng 2.",
        "Dòng 5: ngày tạo «hôm nay» không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/07/2021).",
    ]
    assert r.aggregates == {("TT-MOT-NGAN", "2021-03"): MonthFigures(accounts=1),
                            ("X-TAN-HOA", "2021-03"): MonthFigures(accounts=1)}
    assert [(a.account, a.kind) for a in r.iter_rows()] == [("001", "citizen"), ("002", "business")]


def test_codes_and_accounts_longer_than_the_database_keeps_are_row_errors(write_csv, units, dossier_row):
    r = read_dossiers(write_csv([dossier_row("A" * 100), dossier_row("B" * 101)]), units=units, as_of=AS_OF)
    assert [str(e) for e in r.errors] == ["Dòng 3: mã hồ sơ dài 101 ký tự, quá 100 ký tự."]
    assert r.valid_rows == 1
    header = ["STT", "Tài khoản", "Đơn vị", "Ngày tạo"]
    r = read_accounts(write_csv([["1", "a" * 200, "Xã Tân Hòa", "01/03/2021"],
                                 ["2", "b" * 201, "Xã Tân Hòa", "hôm qua"]], header=header), units=units)
    assert [str(e) for e in r.errors] == [
        "Dòng 3: tài khoản dài 201 ký tự, quá 200 ký tự.",
        "Dòng 3: ngày tạo «hôm qua» không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/07/2021).",
    ]


def test_a_nul_character_in_a_kept_text_is_a_row_error(write_xlsx, units, dossier_row):
    """Neither database can keep it: PostgreSQL refuses the text, SQLite's would end there. In an xlsx
    file a cell holds it written "_x0000_", which the reader decodes; in a CSV file, see the columnar
    scan's tests (the first 64 KB with one are not a CSV at all)."""
    message = "chứa ký tự NUL (mã 0), thường do tệp bị hỏng; hãy xuất lại tệp từ Cổng."
    xlsx = write_xlsx([dossier_row("A1"), dossier_row("A@2"), dossier_row("A3", procedure="Đăng ký@khai sinh"),
                       dossier_row("A4", status="@")])
    assert read_dossiers(xlsx, units=units, as_of=AS_OF).ok  # the same rows without it
    _replace_in_zip(xlsx, b"@", b"_x0000_")
    r = read_dossiers(xlsx, units=units, as_of=AS_OF)
    assert [str(e) for e in r.errors] == [f"Dòng 5: mã hồ sơ {message}", f"Dòng 6: tên thủ tục {message}",
                                          f"Dòng 7: trạng thái {message}"]
    assert r.valid_rows == 1
    xlsx = write_xlsx([["1", "a@", "Xã Tân Hòa", "01/03/2021"]], header=["STT", "Tài khoản", "Đơn vị", "Ngày tạo"],
                      name="tk.xlsx", totals=False)
    _replace_in_zip(xlsx, b"@", b"_x0000_")
    r = read_accounts(xlsx, units=units)
    assert [str(e) for e in r.errors] == [f"Dòng 4: tài khoản {message}"]


def _replace_in_zip(path, old: bytes, new: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(path) as zin:
        parts = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for info, data in parts:
            zout.writestr(info, data.replace(old, new))


def test_a_single_pass_hands_over_plain_records_in_batches(write_csv, units, dossier_row):
    rows = [dossier_row("A1", procedure="  Đăng ký khai sinh ", status=" Đã trả kết quả "),
            dossier_row("A2", resolved="", status=""),
            dossier_row("A3", resolved="06/03/2021 07:00", channel="Bưu chính", level="Mức độ 2"),
            dossier_row("", level="", channel="", unit="", received="", due="", resolved="", status="")]
    rows += [dossier_row(f"B{i}") for i in range(5)]
    batches: list[list[tuple]] = []
    r = read_dossiers(write_csv(rows), units=units, as_of=AS_OF, on_rows=batches.append, batch_size=3)
    assert r.ok and [len(b) for b in batches] == [3, 3, 2]
    records = [x for b in batches for x in b]
    assert [dict(zip(DOSSIER_RECORD_FIELDS, x, strict=True)) for x in records[:3]] == [
        {"code": "A1", "unit_code": "X-TAN-HOA", "procedure": "Đăng ký khai sinh", "level": 3, "channel": "online",
         "received_on": "2021-03-01", "received_month": "2021-03", "due_on": "2021-03-05",
         "resolved_on": "2021-03-04", "on_time": True, "status": "Đã trả kết quả", "source_row": 2},
        {"code": "A2", "unit_code": "X-TAN-HOA", "procedure": "Đăng ký khai sinh", "level": 3, "channel": "online",
         "received_on": "2021-03-01", "received_month": "2021-03", "due_on": "2021-03-05",
         "resolved_on": None, "on_time": False, "status": "", "source_row": 3},
        {"code": "A3", "unit_code": "X-TAN-HOA", "procedure": "Đăng ký khai sinh", "level": 2, "channel": "postal",
         "received_on": "2021-03-01", "received_month": "2021-03", "due_on": "2021-03-05",
         "resolved_on": "2021-03-06", "on_time": False, "status": "Đã trả kết quả", "source_row": 4},
    ]
    # the records agree with phase 2's typed rows, row for row
    assert [(x[0], x[-1]) for x in records] == [(row.code, row.row) for row in r.iter_rows()]

    header = ["STT", "Tài khoản", "Loại", "Đơn vị", "Ngày tạo"]
    batches = []
    r = read_accounts(write_csv([["1", " 001 ", "Doanh nghiệp", "Xã Tân Hòa", "31/03/2021 23:59"]], header=header),
                      units=units, on_rows=batches.append)
    assert batches == [[("001", "X-TAN-HOA", "business", "2021-03-31", "2021-03", 2)]]
    assert ACCOUNT_RECORD_FIELDS == ("account", "unit_code", "kind", "created_on", "created_month", "source_row")


# -- the two phases --------------------------------------------------------------------------------


def test_progress_and_batches(write_csv, units, dossier_row):
    p = write_csv([dossier_row(f"A{i}") for i in range(25_001)])
    seen = []
    r = read_dossiers(p, units=units, progress=lambda done, total: seen.append((done, total)), engine="python")
    assert [done for done, _ in seen] == [10_000, 20_000, 25_001]
    # a CSV's row count is estimated from the bytes read (for progress bars), exact once read
    lines = 25_001 + 1  # and the header
    assert all(abs(total - lines) <= lines // 10 for _, total in seen), seen
    assert seen[-1][1] >= 25_001
    batches = list(r.iter_batches(10_000))
    assert [len(b) for b in batches] == [10_000, 10_000, 5_001]
    assert batches[-1][-1].row == 25_002


_cell = st.one_of(
    st.sampled_from(["", "Tổng cộng", "31/02/2021", "01/03/2021", "15/03/2021 10:30", "44270", "Mức độ 3",
                     "4", "Trực tuyến", "Trực tiếp", "Fax", "Xã Tân Hòa", "Xã Mới", "A1", "A2", "A3"]),
    st.text(max_size=5),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=11), max_size=25))
def test_phases_agree_on_any_input(write_csv, units, rows):
    """Whatever the rows, phase 2 yields exactly the rows phase 1 counted, and the aggregates
    recomputed from the typed rows equal phase 1's."""
    p = write_csv(rows)
    try:
        r = read_dossiers(p, units=units, as_of=date(2021, 3, 20))
    except PortalFileError:
        return
    typed = list(r.iter_rows())
    assert len(typed) == r.valid_rows
    assert len({x.code for x in typed}) == len(typed)
    recomputed: dict = {}
    for x in typed:
        key = (x.unit_code, f"{x.received_at:%Y-%m}")
        f = recomputed.get(key, MonthFigures())
        on_time = x.resolved_at is not None and x.resolved_at.date() <= x.due_at.date()
        due = x.resolved_at is not None or x.due_at.date() < date(2021, 3, 20)
        recomputed[key] = f._replace(
            received=f.received + 1, online=f.online + (x.channel == "online" and x.level >= 3),
            resolved=f.resolved + (x.resolved_at is not None), on_time=f.on_time + on_time, due=f.due + due)
    assert recomputed == r.aggregates
    assert r.rows_read == r.valid_rows + sum(r.unmatched_counts.values()) + r.error_rows
