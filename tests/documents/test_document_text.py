"""Vietnamese text helpers used on every official document."""

from __future__ import annotations

from datetime import date

import pytest

from thidua.documents import OfficialDocument, format_vnd, vn_date_line, vnd_in_words
from thidua.documents.text import format_date, format_int, upper_vi, vn_date_words


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 6, 8), "Châu Thành A, ngày 08 tháng 6 năm 2021"),
        (date(2022, 1, 5), "Châu Thành A, ngày 05 tháng 01 năm 2022"),
        (date(2021, 12, 18), "Châu Thành A, ngày 18 tháng 12 năm 2021"),
        (date(2022, 2, 28), "Châu Thành A, ngày 28 tháng 02 năm 2022"),
        (date(2021, 3, 1), "Châu Thành A, ngày 01 tháng 3 năm 2021"),
        (date(2021, 10, 25), "Châu Thành A, ngày 25 tháng 10 năm 2021"),
    ],
)
def test_date_line_pads_days_below_ten_and_only_the_months_one_and_two(day, expected):
    assert vn_date_line("Châu Thành A", day) == expected


def test_a_missing_date_leaves_blanks_for_the_clerk_to_fill_in():
    assert vn_date_line("Châu Thành A", None, 2021) == "Châu Thành A, ngày      tháng      năm 2021"
    assert vn_date_words(None).startswith("ngày      tháng      năm 20")


def test_money_is_written_with_dot_separators_and_the_dong_sign():
    assert format_vnd(10_000_000) == "10.000.000 đ"
    assert format_vnd(1_000_000) == "1.000.000 đ"
    assert format_vnd(500) == "500 đ"
    assert format_int(-1234) == "−1.234"  # the real minus sign, as everywhere in the system
    assert format_date(date(2021, 6, 8)) == "08/06/2021"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (115, "Một trăm mười lăm đồng"),
        (1_000_000, "Một triệu đồng"),
        (10_000_000, "Mười triệu đồng"),
        (22_000_000, "Hai mươi hai triệu đồng"),
        (28_000_000, "Hai mươi tám triệu đồng"),
        (15_500_000, "Mười lăm triệu năm trăm nghìn đồng"),
        (1_000_050, "Một triệu không trăm năm mươi đồng"),
        (2_005_000_000, "Hai tỷ không trăm linh năm triệu đồng"),
    ],
)
def test_amounts_are_spelled_out_in_vietnamese_for_the_bang_chu_line(amount, words):
    assert vnd_in_words(amount) == words


def test_upper_case_keeps_vietnamese_letters():
    assert upper_vi("Thị trấn Một Ngàn") == "THỊ TRẤN MỘT NGÀN"
    assert upper_vi("Phòng Tư pháp, đơn vị") == "PHÒNG TƯ PHÁP, ĐƠN VỊ"


def _doc(number):
    return OfficialDocument(
        parent_body="UBND HUYỆN CHÂU THÀNH A",
        issuer="PHÒNG NỘI VỤ",
        number=number,
        symbol="TTr-PNV",
        place="Châu Thành A",
        date=None,
        doc_type="TỜ TRÌNH",
        subject=None,
        recipient_line=None,
        blocks=(),
        signature=None,
    )


def test_the_number_line_is_left_blank_until_the_clerk_issues_a_number():
    assert _doc("15/TTr-PNV").number_line() == "Số: 15/TTr-PNV"
    assert _doc(None).number_line() == "Số:      /TTr-PNV"


def test_vietnamese_words_sort_in_dictionary_order():
    from thidua.documents.text import vietnamese_order

    words = ["Trả lại báo cáo", "Đặt lại mật khẩu", "Chốt kết quả tháng", "Ăn", "Cập nhật", "Yêu cầu", "An",
             "Duyệt", "Tạo phong trào", "Áp dụng", "Ứng", "Uống", "Ân", "Mở khóa", "Mở"]
    assert sorted(words, key=vietnamese_order) == [
        "An", "Áp dụng", "Ăn", "Ân", "Cập nhật", "Chốt kết quả tháng", "Duyệt", "Đặt lại mật khẩu", "Mở",
        "Mở khóa", "Tạo phong trào", "Trả lại báo cáo", "Uống", "Ứng", "Yêu cầu"]
