"""The reward dossier builders turn plain campaign data into the documents of plan section III."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest
from documents_support import DECISION_NUMBER, dossier

from thidua.documents import (
    Bullets,
    Heading,
    IndividualProposal,
    Paragraph,
    Person,
    RankedUnit,
    Table,
    bang_tong_hop_cham_diem,
    bao_cao_thanh_tich_ca_nhan,
    bao_cao_thanh_tich_tap_the,
    bien_ban_hop_xet,
    giay_khen,
    render_docx,
    render_pdf,
    to_trinh_de_nghi_khen_thuong,
)
from thidua.documents.demo import demo_district, demo_meeting, demo_plan, demo_proposals, demo_ranking


def test_the_year_end_dossier_holds_every_document_of_the_plan():
    kinds = Counter(doc.doc_type for doc in dossier().values())
    assert kinds == {
        "TỜ TRÌNH": 1,
        "BIÊN BẢN": 1,
        "BẢNG TỔNG HỢP": 1,
        "BÁO CÁO THÀNH TÍCH": 10 + 27,
        "QUYẾT ĐỊNH": 1,
        "GIẤY KHEN": 10 + 27,
    }


def test_each_individual_has_a_certificate_named_like_their_achievement_report():
    stems = list(dossier())
    reports = [s.removeprefix("05-bao-cao-") for s in stems if s.startswith("05-bao-cao-")]
    certificates = [s.removeprefix("07-giay-khen-") for s in stems if s.startswith("07-giay-khen-")]
    assert len(reports) == 27 and set(reports) <= set(certificates)
    assert certificates.index("TT-MOT-NGAN") < certificates.index("TT-MOT-NGAN-01") < certificates.index("X-TAN-HOA")
    first = demo_proposals()[0].individuals[0]  # Thị trấn Một Ngàn's first nominee
    assert dossier()["05-bao-cao-TT-MOT-NGAN-01"].title.endswith(first.full_name)
    certificate = [b.text for b in dossier()["07-giay-khen-TT-MOT-NGAN-01"].blocks]
    assert certificate[:2] == [f"Ông {first.full_name}", f"{first.position}, {first.unit_name}"]


def test_the_demo_proposals_follow_the_award_structure_of_the_plan():
    proposals = demo_proposals()
    communes = [p for p in proposals if p.group == "commune"]
    departments = [p for p in proposals if p.group == "department"]
    assert [(p.unit_name, p.place, p.prize_vnd, p.bonus_points, len(p.individuals)) for p in communes] == [
        ("Thị trấn Một Ngàn", 1, 10_000_000, 15, 5),
        ("Xã Tân Hòa", 2, 7_000_000, 10, 4),
        ("Thị trấn Cái Tắc", 3, 5_000_000, 5, 3),
    ]
    assert len(departments) == 7
    assert sum(len(p.individuals) for p in departments) == 15
    assert sum(p.prize_vnd for p in proposals) == 22_000_000


def test_the_demo_ranking_applies_the_plan_rules():
    by_code = {u.code: u for u in demo_ranking()}
    mot_ngan = by_code["TT-MOT-NGAN"]
    assert dict(mot_ngan.criteria) == {"plan": 10, "procedures": 30, "accounts": 45, "dossiers": 45, "resolution": 15}
    assert (mot_ngan.total, mot_ngan.rank, mot_ngan.eligible) == (141, 1, True)
    assert by_code["X-NHON-NGHIA-A"].total == 90 and by_code["X-NHON-NGHIA-A"].eligible
    assert by_code["X-TRUONG-LONG-A"].rank is None


def test_a_personal_certificate_names_the_person_with_the_honorific():
    person = IndividualProposal(
        full_name="Nguyễn Thị Thu Trang",
        position="Công chức Văn phòng - Thống kê",
        unit_name="Ủy ban nhân dân thị trấn Một Ngàn",
        achievement="...",
        gender="Nữ",
    )
    doc = giay_khen(demo_district(), demo_plan(), person, decision_number=DECISION_NUMBER)
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "Bà Nguyễn Thị Thu Trang"
    assert texts[1] == "Công chức Văn phòng - Thống kê, Ủy ban nhân dân thị trấn Một Ngàn"
    assert doc.landscape and doc.layout == "certificate"
    assert render_docx(doc)[:2] == b"PK"


def test_text_pasted_from_word_with_invisible_characters_still_makes_a_docx():
    """Word's manual line break is a vertical tab, which XML (so .docx) cannot hold: it becomes a line
    break, and the other invisible control characters are dropped."""
    import io
    import subprocess

    from docx import Document

    person = IndividualProposal(full_name="Trần\x0bVăn\x01 Lợi", position="Công chức\x00 Tư pháp",
                                unit_name="Ủy ban nhân dân xã Tân Hòa", achievement="Hoàn thành\u2028xuất sắc",
                                gender="Nam")
    doc = giay_khen(demo_district(), demo_plan(), person, decision_number=DECISION_NUMBER)
    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(doc))).paragraphs]
    assert "Ông Trần\nVăn Lợi" in paragraphs
    assert "Công chức Tư pháp, Ủy ban nhân dân xã Tân Hòa" in paragraphs
    text = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(doc), capture_output=True, check=True).stdout
    assert "Công chức Tư pháp".encode() in text and b"\x01" not in text and b"\x0b" not in text


def test_tied_units_are_flagged_until_the_council_decides():
    base = dict(group="commune", criteria={"plan": 10}, penalty=0, eligible=True)
    ranked = [
        RankedUnit(rank=1, code="A", name="Xã Tân Hòa", total=112, tie=True, **base),
        RankedUnit(rank=1, code="B", name="Xã Thạnh Xuân", total=112, tie=True, tie_resolved=True, **base),
        RankedUnit(rank=3, code="C", name="Thị trấn Rạch Gòi", total=97, **base),
        RankedUnit(
            rank=None,
            code="D",
            name="Xã Trường Long A",
            total=89,
            group="commune",
            criteria={"plan": 10},
            penalty=0,
            eligible=False,
        ),
    ]
    from datetime import date

    doc = bang_tong_hop_cham_diem(demo_district(), demo_plan(), ranked, as_of=date(2021, 12, 18))
    table = next(b for b in doc.blocks if isinstance(b, Table))
    notes = {row[1]: (row[-2], row[-1]) for row in table.rows}
    assert notes["Xã Tân Hòa"] == ("1", "Bằng điểm, chờ Hội đồng xét")
    assert notes["Xã Thạnh Xuân"] == ("1", "Bằng điểm, Hội đồng đã xếp thứ tự")
    assert notes["Xã Trường Long A"] == ("-", "Dưới 90 điểm")
    assert [b.text for b in doc.blocks if isinstance(b, Heading)] == ["I. KHỐI XÃ, THỊ TRẤN"]


def test_a_scorecard_converts_to_a_ranked_unit_without_importing_scoring():
    card = SimpleNamespace(
        rank=2,
        code="X-TAN-HOA",
        name="Xã Tân Hòa",
        group="commune",
        criteria_points={"plan": 10, "procedures": 25},
        penalty=-2,
        total=123,
        eligible=True,
        tie=False,
        tie_resolved=False,
    )
    unit = RankedUnit.from_scorecard(card)
    assert (unit.rank, unit.total, unit.criteria["procedures"]) == (2, 123, 25)


def test_a_table_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="expected 2"):
        Table(headers=("a", "b"), rows=(("1",),))


def test_the_documents_package_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, thidua.documents, thidua.documents.demo;"
        "from thidua.documents import render_docx;"
        "assert 'django' not in sys.modules, 'django imported';"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported eagerly';"
        "assert 'reportlab' not in sys.modules, 'reportlab imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_render_all_returns_every_file_in_dossier_order_also_across_processes():
    from thidua.documents import render_all

    items = [(stem, doc) for stem, doc in dossier().items() if stem.startswith("07-giay-khen")][:3]
    sequential = render_all(items, ("docx",))
    parallel = render_all(items, ("docx", "pdf"), workers=2)
    assert list(sequential) == [f"{stem}.docx" for stem, _ in items]
    assert list(parallel) == [f"{stem}.{fmt}" for stem, _ in items for fmt in ("docx", "pdf")]
    assert all(parallel[name].startswith(b"%PDF") for name in parallel if name.endswith(".pdf"))
    with pytest.raises(ValueError, match="unknown formats"):
        render_all(items, ("odt",))


def test_an_undated_document_leaves_day_and_month_blank_but_prints_the_campaign_year():
    from thidua.documents import render_docx, render_pdf, to_trinh_de_nghi_khen_thuong
    from thidua.documents.demo import demo_meeting

    plan = demo_plan()
    doc = to_trinh_de_nghi_khen_thuong(demo_district(), plan, demo_proposals(), ranked=demo_ranking(),
                                       meeting_date=demo_meeting().date, date=None)
    assert doc.date is None and doc.year == plan.year
    import io
    import subprocess

    from docx import Document

    text = "\n".join(p.text for cell_table in Document(io.BytesIO(render_docx(doc))).tables
                     for row in cell_table.rows for cell in row.cells for p in cell.paragraphs)
    assert "năm 2021" in text and "năm 20\n" not in text + "\n"
    pdf_text = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(doc), capture_output=True, check=True).stdout
    assert "năm 2021" in pdf_text.decode()


def test_an_issuer_is_worded_by_its_level_and_kind():
    from thidua.documents import DistrictInfo

    city = DistrictInfo(chairman_name="A", head_of_home_affairs_name="B", level="province", kind="thành phố",
                        province="Cần Thơ", district="")
    assert (city.committee, city.parent_body, city.issuer, city.issuer_symbol) == (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "UBND THÀNH PHỐ CẦN THƠ", "SỞ NỘI VỤ", "SNV")
    assert (city.locality, city.place, city.award, city.party_committee, city.home_affairs_head) == (
        "thành phố Cần Thơ", "Cần Thơ", "Bằng khen của Chủ tịch UBND thành phố", "Thành ủy", "Giám đốc Sở Nội vụ")
    district = DistrictInfo(chairman_name="A", head_of_home_affairs_name="B")
    assert (district.committee, district.issuer, district.award, district.home_affairs_local) == (
        "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH A", "PHÒNG NỘI VỤ", "Giấy khen của Chủ tịch UBND huyện", "Phòng Nội vụ huyện")
    with pytest.raises(ValueError):
        DistrictInfo(chairman_name="A", head_of_home_affairs_name="B", level="province", kind="huyện")
    with pytest.raises(ValueError):
        DistrictInfo(chairman_name="A", head_of_home_affairs_name="B", level="commune")


def test_an_award_names_its_recipients_without_a_zero():
    from thidua.documents.reward import _recipients

    assert _recipients(1, 0) == "1 tập thể"
    assert _recipients(0, 3) == "3 cá nhân"
    assert _recipients(2, 5) == "2 tập thể và 5 cá nhân"


def test_a_communes_report_is_dated_at_the_commune_a_numbered_one_under_its_full_name():
    district, plan = demo_district(), demo_plan()
    by_code = {p.unit_code: p for p in demo_proposals()}
    assert dossier()["04-bao-cao-X-TAN-HOA"].place == "Tân Hòa"
    assert dossier()["04-bao-cao-TT-CAI-TAC"].place == "Cái Tắc"
    assert dossier()["04-bao-cao-P-TU-PHAP"].place == "Châu Thành A"  # a district office: the district
    numbered = replace(by_code["X-TAN-HOA"], unit_name="Phường 1")
    assert bao_cao_thanh_tich_tap_the(district, plan, numbered).place == "Phường 1"
    # today's special zones (đặc khu, 2025) are communes too: «Vân Đồn, ngày …», as «Hạ Long, ngày …»
    for name, place in (("Đặc khu Vân Đồn", "Vân Đồn"), ("Phường Hạ Long", "Hạ Long")):
        assert bao_cao_thanh_tich_tap_the(district, plan, replace(by_code["X-TAN-HOA"], unit_name=name)).place == place


def test_an_individuals_report_is_dated_where_they_work():
    district, plan = demo_district(), demo_plan()
    by_code = {p.unit_code: p for p in demo_proposals()}
    for code, place in (("TT-CAI-TAC", "Cái Tắc"), ("P-TU-PHAP", "Châu Thành A")):
        unit = by_code[code]
        person = IndividualProposal(full_name="Trần Văn Lợi", position="Công chức", unit_name=unit.collective_name,
                                    achievement="Hướng dẫn người dân.")
        assert bao_cao_thanh_tich_ca_nhan(district, plan, person, unit=unit).place == place
    assert bao_cao_thanh_tich_ca_nhan(district, plan, person).place == "Châu Thành A"  # no unit given


def test_the_minutes_name_a_member_entered_without_a_position_without_a_dangling_dash():
    ranking = demo_ranking()
    meeting = replace(
        demo_meeting(),
        members_present=(Person(name="Nguyễn Văn Hậu", position=""),),
        members_absent=(Person(name="Đinh Công Minh", position="", note="đi công tác"),),
    )
    doc = bien_ban_hop_xet(demo_district(), demo_plan(), meeting, ranking, demo_proposals(ranking))
    items = [item for block in doc.blocks if isinstance(block, Bullets) for item in block.items]
    assert items == ["Nguyễn Văn Hậu.", "Đinh Công Minh (đi công tác)."]  # each list of one ends with a full stop


def test_the_proposals_places_are_listed_with_semicolons_and_a_full_stop_at_the_end():
    """Decree 30's way with an enumeration in a text (the Báo cáo thành tích's figures already ended so)."""
    ranking = demo_ranking()
    doc = to_trinh_de_nghi_khen_thuong(demo_district(), demo_plan(), demo_proposals(ranking), ranked=ranking)
    [places] = [block.items for block in doc.blocks if isinstance(block, Bullets)]
    assert [item[-1] for item in places] == [";", ";", "."]
    assert places[-1].endswith("cộng 5 điểm vào thành tích kinh tế - xã hội năm 2021.")


def test_points_past_a_thousand_are_grouped_like_every_other_number():
    # Plan 211's bonus points have no limit: a one-stop shop with thousands of dossiers passes 1.000 points
    ranking = demo_ranking()
    big = next(u for u in ranking if u.code == "BP-MOT-CUA")
    big = replace(big, criteria={**big.criteria, "dossiers": 1205}, total=big.total - big.criteria["dossiers"] + 1205)
    ranking = [big if u.code == big.code else u for u in ranking]
    summary = bang_tong_hop_cham_diem(demo_district(), demo_plan(), ranking, as_of=date(2021, 12, 18))
    rows = [row for block in summary.blocks if isinstance(block, Table) for row in block.rows]
    row = next(r for r in rows if r[1] == big.name)
    assert row[5:9] == ("1.205", "20", "0", "1.325")
    proposal = next(p for p in demo_proposals(ranking) if p.unit_code == big.code)
    report = bao_cao_thanh_tich_tap_the(demo_district(), demo_plan(), proposal, ranked=big)
    texts = [b.text for b in report.blocks if isinstance(b, Paragraph)]
    assert "Kết quả chấm điểm thi đua: 1.325 điểm, xếp hạng 1 khối phòng, ban, ngành huyện." in texts
    table = next(b for b in report.blocks if isinstance(b, Table))
    assert ("Hồ sơ", "1.205") in table.rows and ("Tổng điểm", "1.325") in table.rows
    assert ("Trừ điểm báo cáo", "0") in table.rows


def test_a_collective_s_figures_are_worded_as_its_plan_names_online_services():
    ranking = demo_ranking()
    proposal = next(p for p in demo_proposals(ranking) if "dossiers" in p.figures and "procedures" in p.figures)

    def bullets(plan):
        report = bao_cao_thanh_tich_tap_the(demo_district(), plan, proposal)
        return [item for block in report.blocks if isinstance(block, Bullets) for item in block.items]

    plan_211 = bullets(demo_plan())
    assert any(item.startswith("Tiếp nhận ") and item.endswith(" hồ sơ trực tuyến mức độ 3, 4;") for item in plan_211)
    decree_42 = bullets(replace(demo_plan(), online_wording="trực tuyến toàn trình, một phần"))
    assert any(item.endswith("thủ tục hành chính giải quyết trực tuyến toàn trình, một phần;") for item in decree_42)
    assert any(item.endswith(" hồ sơ trực tuyến toàn trình, một phần;") for item in decree_42)
    assert not any("mức độ" in item for item in decree_42)


@pytest.mark.parametrize(("name", "position", "lines"), [
    ("Trung tâm Phục vụ hành chính công tỉnh", "Giám đốc", ("GIÁM ĐỐC",)),
    ("Ban Quản lý Khu kinh tế", "Trưởng ban", ("TRƯỞNG BAN",)),
    ("Văn phòng UBND tỉnh", "Chánh Văn phòng", ("CHÁNH VĂN PHÒNG",)),
    ("Trung tâm Phục vụ hành chính công tỉnh", "", ("THỦ TRƯỞNG ĐƠN VỊ",)),  # nothing to go by
    ("Sở Tư pháp", "Giám đốc Sở", ("GIÁM ĐỐC",)),  # a Sở's and a Phòng's heads sign as they always do
    ("Phòng Tư pháp", "Trưởng phòng", ("TRƯỞNG PHÒNG",)),
])
def test_a_department_reports_under_its_heads_position_from_the_registry(name, position, lines):
    """A provincial centre, board or office is signed by its Giám đốc, Trưởng ban, Chánh Văn phòng, as the
    registry's «Chức vụ thủ trưởng» says, not under the placeholder «THỦ TRƯỞNG ĐƠN VỊ»."""
    district, plan = demo_district(), demo_plan()
    p = replace({p.unit_code: p for p in demo_proposals()}["P-TU-PHAP"], unit_name=name, head_position=position)
    assert bao_cao_thanh_tich_tap_the(district, plan, p).signature.authority_lines == lines


@pytest.mark.parametrize(("name", "symbol"), [
    ("Trung tâm Phục vụ hành chính công tỉnh", "BC-TTPVHCC"),  # «tỉnh» is the locality, as «huyện» is
    ("Văn phòng HĐND và UBND huyện", "BC-VPHU"),
    ("Sở Tư pháp", "BC-STP"),
])
def test_a_departments_report_symbol_leaves_out_its_locality_word(name, symbol):
    p = replace({p.unit_code: p for p in demo_proposals()}["P-TU-PHAP"], unit_name=name)
    assert bao_cao_thanh_tich_tap_the(demo_district(), demo_plan(), p).symbol == symbol
