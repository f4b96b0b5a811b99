"""Unit names followed by their province or district ("Sở Tư pháp thành phố Cần Thơ") match the unit."""

from __future__ import annotations

import pytest

from thidua.portal.parsing import UnitMatcher
from thidua.units import chau_thanh_a

# A 2026 province (after the 2025 reform): the city, its departments ("Sở …") and wards.
CAN_THO = [
    ("CAN-THO", "Thành phố Cần Thơ", None),
    ("S-TU-PHAP", "Sở Tư pháp", "CAN-THO"),
    ("S-NOI-VU", "Sở Nội vụ", "CAN-THO"),
    ("TT-PVHCC", "Trung tâm Phục vụ hành chính công", "CAN-THO"),
    ("VP-UBND", "Văn phòng UBND thành phố Cần Thơ", "CAN-THO"),
    ("P-NINH-KIEU", "Phường Ninh Kiều", "CAN-THO"),
    ("P-CAI-KHE", "Phường Cái Khế", "CAN-THO"),
]
CHAU_THANH_A = [(u["code"], u["name"], u["parent"] or None) for u in chau_thanh_a.registry()]


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Sở Tư pháp thành phố Cần Thơ", "S-TU-PHAP"),
     ("Trung tâm Phục vụ hành chính công TP. Cần Thơ", "TT-PVHCC"),
     ("Sở Tư pháp TP Cần Thơ", "S-TU-PHAP"),
     ("Sở Tư pháp Tp.Cần Thơ", "S-TU-PHAP"),
     ("Sở Tư pháp - TP. Cần Thơ", "S-TU-PHAP"),
     ("Sở Nội vụ, thành phố Cần Thơ", "S-NOI-VU"),
     ("SỞ TƯ PHÁP THÀNH PHỐ CẦN THƠ", "S-TU-PHAP"),
     ("So Tu phap thanh pho Can Tho", "S-TU-PHAP"),
     ("Sở Tư pháp Cần Thơ", "S-TU-PHAP"),
     ("UBND phường Ninh Kiều", "P-NINH-KIEU"),
     ("UBND phường Ninh Kiều, TP. Cần Thơ", "P-NINH-KIEU"),
     ("Ninh Kiều thành phố Cần Thơ", "P-NINH-KIEU"),
     # a unit whose own name ends in the city's name is matched by that name first
     ("Văn phòng UBND thành phố Cần Thơ", "VP-UBND"),
     ("Thành phố Cần Thơ", "CAN-THO"),
     # abbreviations anywhere in a name: UBND, TP(.)
     ("Văn phòng UBND TP. Cần Thơ", "VP-UBND"),
     ("Văn phòng Ủy ban nhân dân TP Cần Thơ", "VP-UBND"),
     ("TP. Cần Thơ", "CAN-THO"),
     ("TP Cần Thơ", "CAN-THO"),
     ("UBND TP. Cần Thơ", "CAN-THO"),
     ("Sở Tư pháp UBND TP. Cần Thơ", None),
     # the rest matches no unit: the user maps it
     ("Sở Xây dựng thành phố Cần Thơ", None),
     ("thành phố Cần Thơ thành phố Cần Thơ", None),
     # not a province's name, only the end of a word
     ("Sở Tư phápCần Thơ", None)],
)
def test_a_name_followed_by_its_province_matches_the_unit(raw, code):
    assert UnitMatcher(CAN_THO).match(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Xã Tân Hòa huyện Châu Thành A", "X-TAN-HOA"),
     ("UBND xã Tân Hoà, huyện Châu Thành A", "X-TAN-HOA"),
     ("Xã Tân Hòa - huyện Châu Thành A - tỉnh Hậu Giang", "X-TAN-HOA"),
     ("Xã Tân Hòa tỉnh Hậu Giang", "X-TAN-HOA"),
     ("TT. Một Ngàn, Châu Thành A", "TT-MOT-NGAN"),
     ("Phòng Tư pháp huyện Châu Thành A", "P-TU-PHAP"),
     ("Tư pháp huyện Châu Thành A", "P-TU-PHAP"),
     # "Văn phòng HĐND và UBND huyện" + "Châu Thành A": the district's name without its level word
     ("Văn phòng HĐND và UBND huyện Châu Thành A", "VP-HDND-UBND"),
     ("Bộ phận tiếp nhận và trả kết quả huyện Châu Thành A", "BP-MOT-CUA"),
     ("Huyện Châu Thành A tỉnh Hậu Giang", "CHAU-THANH-A"),
     ("Xã Tân Hưng huyện Châu Thành A", None),
     # a district's level word in front of a province's name is not the province
     ("Xã Tân Hòa huyện Hậu Giang", None)],
)
def test_a_name_followed_by_its_district_or_province_matches_the_unit(raw, code):
    assert UnitMatcher(CHAU_THANH_A).match(raw) == code


def test_another_provinces_name_is_not_taken_off():
    units = UnitMatcher([*CAN_THO, ("HAU-GIANG", "Tỉnh Hậu Giang", None),
                         ("HG-P-VI-TAN", "Phường Vị Tân", "HAU-GIANG")])
    assert units.match("Sở Tư pháp tỉnh Hậu Giang") is None  # Hậu Giang is in the registry, not above this Sở
    assert units.match("Phường Vị Tân tỉnh Hậu Giang") == "HG-P-VI-TAN"
    assert units.match("Phường Vị Tân thành phố Cần Thơ") is None
    assert UnitMatcher(CAN_THO).match("Sở Tư pháp tỉnh Hậu Giang") is None  # a place the registry does not have


def test_two_units_under_the_same_ancestor_are_never_guessed_between():
    units = UnitMatcher([
        ("HAU-GIANG", "Tỉnh Hậu Giang", None),
        ("CTA", "Huyện Châu Thành A", "HAU-GIANG"), ("CT", "Huyện Châu Thành", "HAU-GIANG"),
        ("CTA-TP", "Phòng Tư pháp", "CTA"), ("CT-TP", "Phòng Tư pháp", "CT"),
        ("CTA-TH", "Xã Tân Hòa", "CTA"), ("CT-TH", "Xã Tân Hoà", "CT"),
    ])
    assert units.match("Phòng Tư pháp tỉnh Hậu Giang") is None  # both are in Hậu Giang
    assert units.match("Phòng Tư pháp") is None  # as without the suffix
    assert units.match("Phòng Tư pháp huyện Châu Thành A") == "CTA-TP"
    assert units.match("Phòng Tư pháp huyện Châu Thành") == "CT-TP"
    assert units.match("Xã Tân Hòa, huyện Châu Thành A, tỉnh Hậu Giang") == "CTA-TH"
    assert units.match("Xã Tân Hòa Hậu Giang") is None


def test_two_ways_of_taking_a_place_off_that_lead_to_two_units_match_neither():
    units = UnitMatcher([
        ("HG", "Tỉnh Hậu Giang", None), ("A", "Xã Long Thạnh", "HG"),
        ("HG-B", "Huyện Giang", "HG"), ("B", "Xã Long Thạnh Hậu", "HG-B"),
    ])
    # "Xã Long Thạnh" + "Hậu Giang" (A) or "Xã Long Thạnh Hậu" + "Giang" (B)
    assert units.match("Xã Long Thạnh Hậu Giang") is None
    assert units.match("Xã Long Thạnh tỉnh Hậu Giang") == "A"


def test_without_parents_no_place_is_taken_off():
    assert UnitMatcher([(code, name) for code, name, _parent in CAN_THO]).match("Sở Tư pháp TP. Cần Thơ") is None


def test_a_remembered_name_and_a_unit_code_still_come_first():
    units = UnitMatcher(CAN_THO, remembered={"so tu phap tp can tho": "S-NOI-VU"})
    assert units.match("Sở Tư pháp TP. Cần Thơ") == "S-NOI-VU"
    assert units.match("s-tu-phap") == "S-TU-PHAP"


def test_a_parent_cycle_does_not_loop():
    units = UnitMatcher([("A", "Huyện Một", "B"), ("B", "Huyện Hai", "A"), ("C", "Xã Ba", "A")])
    assert units.match("Xã Ba huyện Một") == "C"
    assert units.match("Xã Ba huyện Hai") == "C"


def test_abbreviations_are_expanded_on_the_registrys_names_too():
    units = UnitMatcher([
        ("CAN-THO", "UBND thành phố Cần Thơ", None),
        ("VP-UBND", "Văn phòng Ủy ban nhân dân thành phố Cần Thơ", "CAN-THO"),
        ("S-TU-PHAP", "Sở Tư pháp", "CAN-THO"),
        ("LONG-MY", "Thị xã Long Mỹ", "CAN-THO"),
        ("LM-VP", "Văn phòng HĐND và UBND TX. Long Mỹ", "LONG-MY"),
        ("LM-TT", "Trung tâm Phục vụ hành chính công", "LONG-MY"),
    ])
    assert units.match("TP. Cần Thơ") == units.match("TP Cần Thơ") == units.match("UBND TP. Cần Thơ") == "CAN-THO"
    assert units.match("Văn phòng UBND TP Cần Thơ") == "VP-UBND"
    assert units.match("Văn phòng UBND thành phố Cần Thơ") == "VP-UBND"
    assert units.match("Sở Tư pháp TP. Cần Thơ") == "S-TU-PHAP"  # the place fallback
    assert units.match("UBND TX Long Mỹ") == "LONG-MY"
    assert units.match("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thị xã Long Mỹ") == "LM-VP"
    assert units.match("Văn phòng HDND và UBND TX Long Mỹ") == "LM-VP"
    assert units.match("Trung tâm Phục vụ hành chính công TX. Long Mỹ") == "LM-TT"
    assert units.match("TT Phục vụ hành chính công TX. Long Mỹ") is None  # "TT" first: thị trấn, not Trung tâm


def test_a_name_remembered_before_abbreviations_were_expanded_still_matches():
    # the key stored for "Văn phòng UBND TP. Cần Thơ" when only a leading "UBND"/"TT."/"X."/"P." was expanded
    units = UnitMatcher(CAN_THO, remembered={"van phong ubnd tp can tho": "S-NOI-VU"})
    assert units.match("Văn phòng UBND TP. Cần Thơ") == "S-NOI-VU"
    assert units.match("Văn phòng Ủy ban nhân dân thành phố Cần Thơ") == "S-NOI-VU"
