from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from thidua.scoring.text import (
    format_date,
    format_decimal,
    format_int,
    format_mb,
    format_month,
    format_rate,
    format_ratio,
    format_report_penalties,
    format_signed,
    format_size_over,
    format_vnd,
)


def test_integers_use_dot_thousands_separators():
    assert format_int(0) == "0"
    assert format_int(999) == "999"
    assert format_int(1500) == "1.500"
    assert format_int(1234567) == "1.234.567"


def test_negative_integers_use_the_real_minus_sign():
    assert format_int(-5) == "−5"
    assert format_int(-1500) == "−1.500"
    assert format_signed(-2) == "−2" and format_signed(5) == "+5" and format_signed(0) == "0"


def test_format_int_refuses_floats_and_bools():
    with pytest.raises(TypeError):
        format_int(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_int(True)


def test_money_is_written_in_dong():
    assert format_vnd(1_000_000) == "1.000.000 đ"
    assert format_vnd(28_000_000) == "28.000.000 đ"


def test_dates_are_day_month_year():
    assert format_date(date(2021, 6, 25)) == "25/06/2021"


def test_months_read_in_vietnamese():
    assert format_month("2021-06") == "tháng 6/2021"
    assert format_month("2021-11") == "tháng 11/2021"
    with pytest.raises(ValueError):
        format_month("2021-13")


def test_rates_use_a_decimal_comma_and_are_exact():
    assert format_rate(Fraction(197, 2)) == "98,5%"
    assert format_rate(98) == "98%"
    assert format_rate(Decimal("99.20")) == "99,2%"
    assert format_rate(Fraction(4900, 50)) == "98%"


def test_a_rate_without_a_short_decimal_form_is_truncated_and_marked_approximate():
    # 49/51 = 96.0784…%: truncation never shows a rate as reaching a threshold it misses
    assert format_rate(Fraction(4900, 51)) == "≈96,07%"
    assert format_rate(Fraction(979999, 10000)) == "97,9999%"
    assert format_decimal(Fraction(-1, 4)) == "−0,25"


@pytest.mark.parametrize(("size", "text"), [
    (0, "0,0 MB"), (1, "0,0 MB"), (52_428, "0,0 MB"), (52_429, "0,1 MB"),  # 0,05 MB rounds up, just below it down
    (1_572_864, "1,5 MB"), (50 * 1024 * 1024, "50,0 MB"), (1536 * 1024 * 1024, "1.536,0 MB"),
])
def test_format_mb_rounds_half_up_to_one_decimal_in_integers(size, text):
    assert format_mb(size) == text


@pytest.mark.parametrize(("size", "limit", "texts"), [
    (10 * 1024 * 1024 + 1024, 10 * 1024 * 1024, ("10.486.784 byte", "10 MB (10.485.760 byte)")),  # 10,0009… MB
    (10 * 1024 * 1024 + 51_200, 10 * 1024 * 1024, ("10,04 MB", "10 MB")),
    (10 * 1024 * 1024 + 200_000, 10 * 1024 * 1024, ("10,1 MB", "10 MB")),
    (10 * 1024 * 1024 + 1, 10 * 1024 * 1024, ("10.485.761 byte", "10 MB (10.485.760 byte)")),
    (3 * 1024 * 1024, 2 * 1024 * 1024, ("3,0 MB", "2 MB")),
    (4096 + 6, 2048, ("4,0 KB", "2 KB")),
    (1537, 1536, ("1.537 byte", "1,5 KB (1.536 byte)")),
    (900, 500, ("900 byte", "500 byte")),
])
def test_a_size_over_its_limit_never_reads_as_equal_to_it(size, limit, texts):
    assert format_size_over(size, limit) == texts


def test_format_ratio_agrees_with_format_decimal():
    for num, den in [(4900, 50), (9850, 100), (4900, 51), (1, 3), (0, 9), (123456789, 1000)]:
        assert format_ratio(num, den) == format_decimal(Fraction(num, den))


def test_format_rate_refuses_binary_floats():
    with pytest.raises(TypeError):
        format_rate(98.5)  # type: ignore[arg-type]


def test_the_report_penalties_are_worded_from_the_rubric():
    from thidua.scoring import plan_211
    from thidua.scoring.rubric import LateBand

    rules = plan_211().reports
    assert format_report_penalties(rules.late_bands, rules.missing_points) == (
        "Trễ 1–3 ngày trừ 2 điểm; trễ từ 4 ngày trở lên trừ 5 điểm; không nộp trừ 5 điểm.")
    bands = [LateBand(min_days=1, max_days=1, points=-1), LateBand(min_days=2, max_days=None, points=-3)]
    assert format_report_penalties(bands, -10) == (
        "Trễ 1 ngày trừ 1 điểm; trễ từ 2 ngày trở lên trừ 3 điểm; không nộp trừ 10 điểm.")


def test_each_criterion_is_worded_from_its_numbers():
    from thidua.scoring import plan_211
    from thidua.scoring.text import format_criterion_rule

    rules = {c.key: format_criterion_rule(c) for c in plan_211().groups["commune"].criteria}
    assert rules == {
        "plan": "Đã xây dựng Kế hoạch: 10 điểm; không xây dựng Kế hoạch: 0 điểm.",
        "procedures": "Từ 1 thủ tục trở lên: 15 điểm, mỗi thủ tục thêm cộng 5 điểm; "
                      "không đăng ký thủ tục nào: −5 điểm.",
        "accounts": "Từ 1.500 tài khoản trở lên: 35 điểm, mỗi 100 tài khoản thêm cộng 5 điểm; "
                    "dưới 1.500 tài khoản: 0 điểm.",
        "dossiers": "Từ 200 hồ sơ trở lên: 30 điểm, mỗi 20 hồ sơ thêm cộng 5 điểm; dưới 200 hồ sơ: 0 điểm.",
        "resolution": "Từ 98% trở lên: 10 điểm, mỗi 1% thêm cộng 5 điểm; dưới 98%: 0 điểm; "
                      "chưa có hồ sơ đến hạn: 0 điểm.",
    }
