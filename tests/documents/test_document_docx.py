"""The .docx renderer follows Decree 30/2020/NĐ-CP (page, type, header block, signature)."""

from __future__ import annotations

from fractions import Fraction

from documents_support import DECISION_NUMBER, docx_text, open_docx, paragraphs_text
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def _mm(*lengths) -> tuple[float, ...]:
    """Lengths in whole millimetres (Word stores twips: 210 mm is 11906 twips = 210.01 mm)."""
    return tuple(round(length.mm, 1) for length in lengths)


def _find(document, text):
    """The first paragraph (body or table cell) whose text is exactly ``text``."""
    for p in document.element.body.iter(qn("w:p")):
        if "".join(t.text or "" for t in p.iter(qn("w:t"))) == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def _run_props(p):
    r = p.find(qn("w:r"))
    rpr = r.find(qn("w:rPr"))
    size = rpr.find(qn("w:sz"))
    return {
        "size": int(size.get(qn("w:val"))) / 2 if size is not None else None,
        "bold": rpr.find(qn("w:b")) is not None,
        "italic": rpr.find(qn("w:i")) is not None,
    }


def test_the_to_trinh_carries_the_national_header_number_date_and_title():
    text = docx_text("01-to-trinh")
    lines = text.split("\n")
    for expected in (
        QUOC_HIEU,
        TIEU_NGU,
        "UBND HUYỆN CHÂU THÀNH A",
        "PHÒNG NỘI VỤ",
        "Số:      /TTr-PNV",
        "Châu Thành A, ngày 16 tháng 12 năm 2021",
        "TỜ TRÌNH",
        "Kính gửi: Chủ tịch Ủy ban nhân dân huyện Châu Thành A",
    ):
        assert expected in lines, expected
    assert "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc" in text


def test_the_to_trinh_lists_the_proposed_units_people_and_prize_money():
    text = docx_text("01-to-trinh")
    for name in (
        "Ủy ban nhân dân thị trấn Một Ngàn",
        "Ủy ban nhân dân xã Tân Hòa",
        "Ủy ban nhân dân thị trấn Cái Tắc",
        "Bộ phận tiếp nhận và trả kết quả huyện",
        "Phòng Tư pháp",
        "Bà Nguyễn Thị Thu Trang",
    ):
        assert name in text, name
    assert "10.000.000 đ" in text
    assert "7.000.000 đ" in text
    assert "22.000.000 đ (Bằng chữ: Hai mươi hai triệu đồng)" in text
    assert "Căn cứ Kế hoạch số 211/KH-UBND ngày 08 tháng 6 năm 2021" in text
    assert "kính trình Chủ tịch Ủy ban nhân dân huyện xem xét, quyết định./." in text


def test_the_page_is_a4_portrait_with_the_decree_margins():
    section = open_docx("01-to-trinh").sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert _mm(section.page_width, section.page_height) == (210, 297)
    assert _mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert _mm(section.left_margin, section.right_margin) == (30, 15)


def test_no_margin_is_rounded_below_the_decrees_minimum():
    # Word stores twips; 15 mm is 850.39 twips, and 850 twips is 14.993 mm: under the decree's 15 mm
    ranges = {"top_margin": (20, 25), "bottom_margin": (20, 25), "left_margin": (30, 35), "right_margin": (15, 20)}
    for stem in ("01-to-trinh", "03-bang-tong-hop"):
        section = open_docx(stem).sections[0]
        for name, (low, high) in ranges.items():
            mm = Fraction(getattr(section, name).twips * 254, 14400)
            assert low <= mm <= high, (stem, name, float(mm))


def test_the_body_font_is_times_new_roman_14_pt_for_every_script():
    document = open_docx("01-to-trinh")
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert rfonts.get(qn(attr)) == "Times New Roman", attr
    assert rfonts.get(qn("w:asciiTheme")) is None
    defaults = document.styles.element.find(qn("w:docDefaults")).find(
        qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:rFonts")
    )
    assert defaults.get(qn("w:eastAsia")) == "Times New Roman"
    # no run overrides the font family
    assert not [r for r in document.element.body.iter(qn("w:rFonts"))]


def test_body_paragraphs_are_justified_with_a_first_line_indent_and_6_pt_spacing():
    document = open_docx("01-to-trinh")
    p = next(p for p in document.paragraphs if p.text.startswith("Căn cứ Kế hoạch số 211/KH-UBND"))
    fmt = p.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent == Cm(1.27)
    assert fmt.space_before >= Pt(6)


def test_pages_are_numbered_from_page_two_at_the_top_centre():
    section = open_docx("01-to-trinh").sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instr = "".join(t.text for t in header._p.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"


def test_quoc_hieu_tieu_ngu_issuer_number_and_date_use_the_decree_type():
    document = open_docx("01-to-trinh")
    assert _run_props(_find(document, QUOC_HIEU)) == {"size": 13, "bold": True, "italic": False}
    assert _run_props(_find(document, TIEU_NGU)) == {"size": 14, "bold": True, "italic": False}
    assert _run_props(_find(document, "PHÒNG NỘI VỤ")) == {"size": 13, "bold": True, "italic": False}
    assert _run_props(_find(document, "UBND HUYỆN CHÂU THÀNH A"))["bold"] is False
    assert _run_props(_find(document, "Số:      /TTr-PNV"))["size"] == 13
    date_line = _run_props(_find(document, "Châu Thành A, ngày 16 tháng 12 năm 2021"))
    assert date_line == {"size": 14, "bold": False, "italic": True}
    assert _run_props(_find(document, "TỜ TRÌNH"))["bold"] is True


def test_the_header_block_is_a_borderless_two_column_table():
    document = open_docx("01-to-trinh")
    header = document.tables[0]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    left, right = header.rows[0].cells
    assert "PHÒNG NỘI VỤ" in left.text
    assert QUOC_HIEU in right.text
    # the Tiêu ngữ has a line under it: a paragraph with a bottom border
    assert right._tc.find(".//" + qn("w:pBdr")) is not None


def test_the_signature_and_noi_nhan_follow_the_decree():
    document = open_docx("01-to-trinh")
    label = _find(document, "Nơi nhận:")
    assert _run_props(label) == {"size": 12, "bold": True, "italic": True}
    cell_lines = paragraphs_text(label.getparent())
    assert cell_lines[-1] == "- Lưu: VT, PNV."
    assert _run_props(_find(document, "- Như trên;"))["size"] == 11
    assert _run_props(_find(document, "TRƯỞNG PHÒNG"))["bold"] is True
    name = _find(document, "Lê Thị Mỹ Hạnh")
    assert _run_props(name)["bold"] is True


def test_the_minutes_are_signed_by_the_secretary_and_the_chair_side_by_side():
    text = docx_text("02-bien-ban")
    for expected in (
        "BIÊN BẢN",
        "Số:      /BB-PNV",
        "Châu Thành A, ngày 15 tháng 12 năm 2021",
        "1. Chủ trì: Lê Thị Mỹ Hạnh - Trưởng phòng Nội vụ.",
        "2. Thư ký: Nguyễn Thanh Hải - Chuyên viên Phòng Nội vụ.",
        "- Mai Văn Sang - Trưởng phòng Tư pháp;",  # a list's items end with a semicolon, its last with a full stop
        "- Trần Thị Kim Loan - Phụ trách Bộ phận tiếp nhận và trả kết quả huyện.",
        "- Đinh Công Minh - Trưởng phòng Kinh tế và Hạ tầng (đi công tác).",
        "1. Khối xã, thị trấn",
        "2. Khối phòng, ban, ngành huyện",
        "Thị trấn Một Ngàn",
        "Xã Trường Long Tây",
        "Vào lúc 14 giờ 00 phút, ngày 15 tháng 12 năm 2021",
        "kết thúc vào lúc 16 giờ 30 phút cùng ngày",
    ):
        assert expected in text, expected
    document = open_docx("02-bien-ban")
    pair = document.tables[-1]
    top = [c.text.strip() for c in pair.rows[0].cells]
    names = [c.text.strip() for c in pair.rows[1].cells]
    assert top == ["THƯ KÝ", "CHỦ TRÌ"]
    assert names == ["Nguyễn Thanh Hải", "Lê Thị Mỹ Hạnh"]


def test_the_decision_has_its_legal_basis_three_articles_and_the_chairmans_signature():
    text = docx_text("06-quyet-dinh")
    lines = text.split("\n")
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN CHÂU THÀNH A",
        f"Số: {DECISION_NUMBER}",
        "Châu Thành A, ngày 20 tháng 12 năm 2021",
        "QUYẾT ĐỊNH",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH A",
        "QUYẾT ĐỊNH:",
        "CHỦ TỊCH",
        "Nguyễn Văn Thành",
        "- Như Điều 3;",
    ):
        assert expected in text.split("\n") or expected in text, expected
    assert any(line.startswith("Điều 1. Tặng Giấy khen") for line in lines)
    assert any(line.startswith("Điều 2. ") and "22.000.000 đ" in line for line in lines)
    assert any(line.startswith("Điều 3. ") for line in lines)
    assert "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017" in text
    assert "Tờ trình số      /TTr-PNV ngày 16 tháng 12 năm 2021" in text
    document = open_docx("06-quyet-dinh")
    basis = _find(document, next(line for line in lines if line.startswith("Căn cứ Luật Thi đua")))
    assert _run_props(basis)["italic"] is True
    article = _find(document, next(line for line in lines if line.startswith("Điều 1.")))
    assert _run_props(article)["bold"] is True  # the bold "Điều 1." lead


def test_the_collective_report_has_the_three_sections_the_figures_and_the_head_signature():
    text = docx_text("04-bao-cao-TT-MOT-NGAN")
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "THỊ TRẤN MỘT NGÀN",
        "Số:      /BC-UBND",
        # a commune's own document is dated at the commune (Decree 30/2020, Appendix I), not the district
        "Một Ngàn, ngày      tháng      năm 2021",
        "BÁO CÁO THÀNH TÍCH",
        "Tên tập thể đề nghị: Ủy ban nhân dân thị trấn Một Ngàn",
        "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC NHẬN",
        "1.730 tài khoản",
        "262 hồ sơ",
        "99,2%",
        "Kết quả chấm điểm thi đua: 141 điểm, xếp hạng 1 khối xã, thị trấn.",
        "được thưởng 10.000.000 đ",
        "TM. ỦY BAN NHÂN DÂN",
        "Nguyễn Hoàng Sơn",
    ):
        assert expected in text, expected
    department = docx_text("04-bao-cao-P-TU-PHAP")
    assert "UBND HUYỆN CHÂU THÀNH A" in department
    assert "Châu Thành A, ngày      tháng      năm 2021" in department.split("\n")
    assert "PHÒNG TƯ PHÁP" in department
    assert "Số:      /BC-PTP" in department


def test_the_individual_report_has_the_biography_and_the_units_confirmation():
    text = docx_text("05-bao-cao-TT-MOT-NGAN-02")
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "I. SƠ LƯỢC LÝ LỊCH",
        "- Họ và tên: Nguyễn Thị Thu Trang",
        "- Sinh ngày, tháng, năm: 05/11/1990",
        "- Đơn vị công tác: Ủy ban nhân dân thị trấn Một Ngàn",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC NHẬN",
        "XÁC NHẬN CỦA",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
        "Nguyễn Hoàng Sơn",
    ):
        assert expected in text, expected


def test_the_certificate_is_a4_landscape_with_the_chairmans_award():
    document = open_docx("07-giay-khen-X-TAN-HOA")
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert _mm(section.page_width, section.page_height) == (297, 210)
    text = docx_text("07-giay-khen-X-TAN-HOA")
    for expected in (
        QUOC_HIEU,
        TIEU_NGU,
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH A",
        "TẶNG",
        "GIẤY KHEN",
        "Ủy ban nhân dân xã Tân Hòa",
        "(Hạng Nhì khối xã, thị trấn)",
        f"Quyết định số: {DECISION_NUMBER}",
        "Châu Thành A, ngày 20 tháng 12 năm 2021",
        "Nguyễn Văn Thành",
    ):
        assert expected in text, expected
    assert "Đã có thành tích xuất sắc trong phong trào thi đua" in text
    assert _run_props(_find(document, "GIẤY KHEN"))["size"] == 40


def test_the_scoring_summary_is_landscape_and_ranks_both_groups():
    document = open_docx("03-bang-tong-hop")
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert _mm(document.sections[0].page_width) == (297,)
    text = docx_text("03-bang-tong-hop")
    assert "I. KHỐI XÃ, THỊ TRẤN" in text
    assert "II. KHỐI PHÒNG, BAN, NGÀNH HUYỆN" in text
    ranking = document.tables[1]
    headers = [c.text for c in ranking.rows[0].cells]
    assert headers == [
        "STT",
        "Đơn vị",
        "Kế hoạch",
        "Thủ tục",
        "Tài khoản",
        "Hồ sơ",
        "Tỷ lệ giải quyết",
        "Trừ điểm",
        "Tổng điểm",
        "Đạt 90 điểm",
        "Xếp hạng",
        "Ghi chú",
    ]
    first = [c.text for c in ranking.rows[1].cells]
    assert first == ["1", "Thị trấn Một Ngàn", "10", "30", "45", "45", "15", "-4", "141", "Đạt", "1", ""]
    last = [c.text for c in ranking.rows[-1].cells]
    assert last[-3:] == ["Không", "-", "Dưới 90 điểm"]
    # the header row repeats on every page
    assert ranking.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def _keeps_with_next(p) -> bool:
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:keepNext")) is not None


def test_the_signature_never_stands_alone_at_the_top_of_a_page():
    # as in the PDF: the paragraph that ends the text keeps with the signature table, and the two
    # signatures' authority row keeps with the names' row
    for stem in ("01-to-trinh", "06-quyet-dinh", "05-bao-cao-X-TAN-HOA-01", "02-bien-ban"):
        body = open_docx(stem).element.body
        children = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
        signature = max(i for i, el in enumerate(children) if el.tag == qn("w:tbl"))
        before = children[signature - 1]
        assert before.tag == qn("w:p") and _keeps_with_next(before), stem
        assert "".join(t.text or "" for t in before.iter(qn("w:t"))).strip(), stem  # the text, not a spacer
        rows = children[signature].findall(qn("w:tr"))
        if len(rows) == 2:  # secretary and chair, the unit head and the person
            assert all(_keeps_with_next(p) for p in rows[0].iter(qn("w:p"))), stem
    # a keepNext stays at its place in the schema: first in the paragraph properties
    ppr = before.find(qn("w:pPr"))
    assert ppr[0].tag == qn("w:keepNext")


def test_a_table_that_ends_the_text_keeps_its_last_row_with_the_signature():
    # the scoring summary ends with the departments' ranking: its last row goes over with the signature
    # rather than leave «Nơi nhận» and the signature alone on a page (as LibreOffice laid it out)
    body = open_docx("03-bang-tong-hop").element.body
    tables = [el for el in body if el.tag == qn("w:tbl")]
    ranking, signature = tables[-2], tables[-1]
    start, end = body.index(ranking), body.index(signature)
    between = [el for el in body if el.tag == qn("w:p") and start < body.index(el) < end]
    assert all(not "".join(t.text or "" for t in p.iter(qn("w:t"))).strip() for p in between)  # spacing only
    last = ranking.findall(qn("w:tr"))[-1]
    assert all(_keeps_with_next(p) for p in last.iter(qn("w:p")))
    assert last.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
    assert last.find(qn("w:trPr")) is last[0] or last[0].tag == qn("w:tblPrEx")  # trPr before the cells
    # the rows above are left free to break across pages
    assert not all(_keeps_with_next(p) for p in ranking.findall(qn("w:tr"))[-2].iter(qn("w:p")))
