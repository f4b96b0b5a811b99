"""Cell values, header folding and unit names."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.portal.parsing import (
    BAD,
    UnitMatcher,
    fold,
    normalize_tone_placement,
    normalize_unit_name,
    parse_channel,
    parse_datetime,
    parse_level,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("28/09/2021", datetime(2021, 9, 28)),
        ("28/09/2021 15:00", datetime(2021, 9, 28, 15, 0)),
        ("28/09/2021 15:00:07", datetime(2021, 9, 28, 15, 0, 7)),
        ("28-09-2021", datetime(2021, 9, 28)),
        ("28.09.2021", datetime(2021, 9, 28)),
        ("1/9/2021", datetime(2021, 9, 1)),
        ("1/9/2021 7:05", datetime(2021, 9, 1, 7, 5)),
        ("15:30 28/09/2021", datetime(2021, 9, 28, 15, 30)),
        ("2021-09-28", datetime(2021, 9, 28)),
        ("2021-09-28T15:30:00", datetime(2021, 9, 28, 15, 30)),
        ("2021-09-28 15:30", datetime(2021, 9, 28, 15, 30)),
        ("  28/09/2021  ", datetime(2021, 9, 28)),
        ("44467", datetime(2021, 9, 28)),
        ("44467.625", datetime(2021, 9, 28, 15, 0)),
        (44467.0, datetime(2021, 9, 28)),
        (44467, datetime(2021, 9, 28)),
        (44467.5, datetime(2021, 9, 28, 12, 0)),
        (datetime(2021, 9, 28, 15, 0), datetime(2021, 9, 28, 15, 0)),
        (date(2021, 9, 28), datetime(2021, 9, 28)),
    ],
)
def test_dates_read(raw, expected):
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["31/02/2021", "32/01/2021", "28/13/2021", "hôm qua", "28/09/21", "2021/09", "28/09/1899",
     "01/01/2200", 12.0, True, "12"],
)
def test_dates_unreadable(raw):
    assert parse_datetime(raw) is BAD


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_dates_empty(raw):
    assert parse_datetime(raw) is None


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_dates_round_trip(dt):
    dt = dt.replace(second=0, microsecond=0)
    assert parse_datetime(f"{dt.day:02d}/{dt.month:02d}/{dt.year} {dt.hour:02d}:{dt.minute:02d}") == dt
    assert parse_datetime(f"{dt.day}/{dt.month}/{dt.year}") == dt.replace(hour=0, minute=0)
    assert parse_datetime(dt.date().isoformat()) == dt.replace(hour=0, minute=0)
    serial = (dt - datetime(1899, 12, 30)).total_seconds() / 86400
    assert parse_datetime(serial) == dt


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Mức độ 3", 3), ("3", 3), (3.0, 3), (4, 4), ("Mức 4", 4), ("DVC mức độ 4", 4), ("muc do 2", 2),
     ("MỨC ĐỘ 2", 2), ("DVCTT toàn trình", 4), ("Một phần", 3), ("3.0", 3), ("", None), (None, None),
     ("Mức độ 5", 5), ("cao", BAD), (3.5, BAD), ("Mức 3/4", BAD)],
)
def test_levels(raw, expected):
    assert parse_level(raw) == expected if expected is not BAD else parse_level(raw) is BAD


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Trực tuyến", "online"), ("truc tuyen", "online"), ("Online", "online"), ("Qua mạng", "online"),
     ("Nộp trực tuyến", "online"), ("Trực tiếp", "in_person"), ("TRỰC TIẾP", "in_person"),
     ("Bưu chính", "postal"), ("BCCI", "postal"), ("Bưu chính công ích", "postal"), ("", None)],
)
def test_channels(raw, expected):
    assert parse_channel(raw) == expected


def test_channel_unknown():
    assert parse_channel("Fax") is BAD


def test_fold_ignores_case_diacritics_punctuation():
    assert fold("Ngày hẹn trả (*)") == "ngay hen tra"
    assert fold("NGÀY  HẸN\nTRẢ") == "ngay hen tra"
    assert fold("Đơn vị tiếp nhận") == "don vi tiep nhan"
    assert fold("Số CMND/CCCD") == "so cmnd cccd"
    assert fold(unicodedata.normalize("NFD", "Mã hồ sơ")) == "ma ho so"


def test_tone_placement():
    assert normalize_tone_placement("Tân Hoà") == "Tân Hòa"
    assert normalize_tone_placement("khoẻ") == "khỏe"
    assert normalize_tone_placement("Thuỷ") == "Thủy"
    assert normalize_tone_placement("Hoàng") == "Hoàng"  # final consonant: mark stays on a
    assert normalize_tone_placement("Quý") == "Quý"


def test_normalize_unit_name():
    assert normalize_unit_name("Xã Tân Hoà") == normalize_unit_name("Xã Tân Hòa") == "xa tan hoa"
    assert normalize_unit_name(unicodedata.normalize("NFD", "Xã Tân Hòa")) == "xa tan hoa"
    assert normalize_unit_name("TT. Một Ngàn") == "thi tran mot ngan"
    assert normalize_unit_name("TT Một Ngàn") == "thi tran mot ngan"
    assert normalize_unit_name("UBND xã Tân Hòa") == "xa tan hoa"
    assert normalize_unit_name("UBND TT. Bảy Ngàn") == "thi tran bay ngan"
    assert normalize_unit_name("X. Thạnh Xuân") == "xa thanh xuan"
    assert normalize_unit_name("P. Tư pháp") == "phong tu phap"
    assert normalize_unit_name("  Phòng   Tài chính – Kế hoạch ") == "phong tai chinh ke hoach"


@pytest.mark.parametrize(
    ("raw", "key"),
    [("TP. Cần Thơ", "thanh pho can tho"), ("TP Cần Thơ", "thanh pho can tho"), ("Tp.Cần Thơ", "thanh pho can tho"),
     ("UBND TP. Cần Thơ", "thanh pho can tho"), ("UBND thành phố Cần Thơ", "thanh pho can tho"),
     ("Uy ban nhan dan thanh pho Can Tho", "thanh pho can tho"), ("UBND. TP-Cần Thơ", "thanh pho can tho"),
     ("Văn phòng UBND TP. Cần Thơ", "van phong uy ban nhan dan thanh pho can tho"),
     ("Văn phòng Uỷ ban nhân dân TP Cần Thơ", "van phong uy ban nhan dan thanh pho can tho"),
     ("Sở Tư pháp TP. Cần Thơ", "so tu phap thanh pho can tho"),
     ("UBND TX. Long Mỹ", "thi xa long my"), ("TX Long Mỹ", "thi xa long my"),
     ("Văn phòng HĐND và UBND TX Long Mỹ", "van phong hoi dong nhan dan va uy ban nhan dan thi xa long my"),
     ("Văn phòng HDND và UBND huyện", "van phong hoi dong nhan dan va uy ban nhan dan huyen"),
     ("TT-Một Ngàn", "thi tran mot ngan"),
     # "TT" inside a name is as often "Trung tâm" as "thị trấn": kept as written
     ("Trạm Y tế TT Một Ngàn", "tram y te tt mot ngan"),
     ("Văn phòng TT. Phục vụ hành chính công", "van phong tt phuc vu hanh chinh cong"),
     # "TP"/"TX" not followed by a name is not a city or town ("Phòng TP": Tư pháp?); a word that only starts so
     ("Phòng TP", "phong tp"), ("Phòng TX", "phong tx"), ("Xã Tpxyz", "xa tpxyz"), ("UBND", "uy ban nhan dan")],
)
def test_normalize_unit_name_expands_abbreviations_anywhere(raw, key):
    assert normalize_unit_name(raw) == key


_NAME_PARTS = ["UBND", "Ủy ban nhân dân", "uy ban nhan dan", "HĐND", "TP", "Tp", "TX", "TT", "X", "P", "xã",
               "thành phố", "Văn phòng", "Cần Thơ", "Một Ngàn", "A"]


@given(st.lists(st.tuples(st.sampled_from(_NAME_PARTS), st.sampled_from([" ", ". ", ".", "-", ", ", " - ", "_"])),
                max_size=6))
def test_a_normalized_unit_name_is_its_own_key(parts):
    """The matcher normalizes the stored keys again (``UnitMatcher(remembered=…)``): a key must stay as it is."""
    key = normalize_unit_name("".join(part + sep for part, sep in parts))
    assert normalize_unit_name(key) == key


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Xã Tân Hòa", "X-TAN-HOA"), ("Xã Tân Hoà", "X-TAN-HOA"), ("xa tan hoa", "X-TAN-HOA"),
     ("UBND xã Tân Hòa", "X-TAN-HOA"), ("Tân Hoà", "X-TAN-HOA"), ("TT. Một Ngàn", "TT-MOT-NGAN"),
     ("Thị trấn Một Ngàn", "TT-MOT-NGAN"), ("P. Tư pháp", "P-TU-PHAP"), ("Tư pháp", "P-TU-PHAP"),
     ("x-tan-hoa", "X-TAN-HOA"), ("P-TU-PHAP", "P-TU-PHAP"), ("Phòng Tài chính-Kế hoạch", "P-TAI-CHINH-KH"),
     ("Xã Tân Hưng", None), ("", None), (None, None)],
)
def test_unit_matcher(units, raw, code):
    assert units.match(raw) == code


def test_unit_matcher_remembered_and_ambiguous(unit_list):
    m = UnitMatcher(unit_list, remembered={normalize_unit_name("UB xã Tân Hòa cũ"): "X-TAN-HOA"})
    assert m.match("UB xã Tân Hoà cũ") == "X-TAN-HOA"
    # two units whose names differ only by diacritics: the exact key decides, the loose one is ambiguous
    m2 = UnitMatcher([("A", "Xã Tân Hòa"), ("B", "Xã Tấn Hoa")])
    assert m2.match("Xã Tân Hòa") == "A"
    assert m2.match("Xã Tấn Hoa") == "B"
    assert m2.match("xa tan hoa") is None
