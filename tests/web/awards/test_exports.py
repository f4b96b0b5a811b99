"""Spreadsheet exports of every table, safe against formula injection."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


def workbook(client, name):
    response = client.get(f"/xuat/{name}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_score_sheet_has_every_criterion_the_penalty_and_the_total(standing, personas, client_for):
    book = workbook(client_for(personas["reviewer"]), "bang-diem")
    table = rows(book.worksheets[0])
    assert table[0][:3] == ["Mã đơn vị", "Đơn vị", "Khối"]
    assert table[0][3:10] == ["Kế hoạch", "Thủ tục", "Tài khoản", "Hồ sơ", "Tỷ lệ giải quyết", "Trừ điểm",
                              "Tổng điểm"]
    cai_tac = next(r for r in table if r[0] == "TT-CAI-TAC")
    assert cai_tac[3:10] == [10, 20, 60, 30, 20, -25, 115]
    assert cai_tac[10:12] == ["Đạt", 1]


def test_the_rankings_have_one_sheet_per_group_and_the_csv_one_table(standing, personas, client_for):
    client = client_for(personas["leader"])
    book = workbook(client, "xep-hang")
    assert book.sheetnames == ["Phòng, ban, ngành huyện", "Xã, thị trấn"]
    page = client.get("/xep-hang/").content.decode()  # the groups in the page's order too
    assert page.index("Phòng, ban, ngành huyện") < page.index("Xã, thị trấn")
    assert rows(book["Xã, thị trấn"])[1][:4] == [1, "TT-CAI-TAC", "Thị trấn Cái Tắc", 115]
    response = client.get("/xuat/xep-hang.csv")
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Khối" and ["Xã, thị trấn", "1", "TT-CAI-TAC", "Thị trấn Cái Tắc", "115", ""] in table


def test_the_submission_matrix_and_the_awards_export(standing, personas, client_for):
    client = client_for(personas["reviewer"])
    matrix = rows(workbook(client, "tinh-hinh-bao-cao").worksheets[0])
    assert matrix[0][3:] == ["tháng 6/2021", "tháng 7/2021", "tháng 8/2021", "tháng 9/2021", "tháng 10/2021",
                             "tháng 11/2021"]
    cai_tac = next(r for r in matrix if r[0] == "TT-CAI-TAC")
    assert cai_tac[3] == "Đúng hạn" and cai_tac[4] == "Chưa nộp"
    book = workbook(client, "khen-thuong")
    assert book.sheetnames == ["Khen thưởng", "Kinh phí"]
    budget = rows(book["Kinh phí"])
    assert budget[-1][0] == "Tổng cộng" and budget[-1][3] == 28_000_000
    assert budget[1][1] == 6 and budget[1][4].startswith("Dự kiến cho cả 6 tháng theo kế hoạch; đã quyết định ")
    assert client.get("/xuat/khen-thuong.csv").status_code == 200
    assert client.get("/xuat/tinh-hinh-bao-cao.csv").content.decode("utf-8-sig").startswith("Mã đơn vị,")


def test_a_unit_name_that_looks_like_a_formula_comes_back_as_inert_text(standing, personas, client_for):
    Unit.objects.filter(code="TT-CAI-TAC").update(name='=HYPERLINK("x")')
    from thidua.campaigns.services import campaign_touch

    campaign_touch(campaign=standing)
    client = client_for(personas["reviewer"])
    sheet = workbook(client, "bang-diem").worksheets[0]
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "TT-CAI-TAC")
    assert cell.value == "'=HYPERLINK(\"x\")" and cell.data_type == "s"
    text = client.get("/xuat/bang-diem.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(\"\"x\"\")" in text and ",=HYPERLINK" not in text


def test_money_and_counts_in_every_xlsx_export_show_thousands_separators(dossier, personas, client_for):
    from thidua.awards.exports import EXPORTS

    client = client_for(personas["reviewer"])
    book = workbook(client, "khen-thuong")
    budget = book["Kinh phí"]
    total = next(row for row in budget.iter_rows() if row[0].value == "Tổng cộng")[3]
    assert total.value == 28_000_000 and type(total.value) is int and total.number_format == "#,##0"
    prizes = [row[6] for row in book["Khen thưởng"].iter_rows(min_row=2) if row[6].value is not None]
    assert prizes and all(c.number_format == "#,##0" and type(c.value) is int for c in prizes)
    for name in EXPORTS:
        for sheet in workbook(client, name).worksheets:
            percent = {c.column for c in sheet[1] if str(c.value).endswith("(%)")}  # a rate that happens to be whole
            integers = [c for row in sheet.iter_rows(min_row=2) for c in row
                        if type(c.value) is int and c.column not in percent]
            assert all(c.number_format == "#,##0" for c in integers), (name, sheet.title)
