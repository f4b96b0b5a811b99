"""The month's Thông báo as a plain builder: a district's and a province's, with or without the month's award."""

from __future__ import annotations

from datetime import date

from thidua.documents import (
    Bullets,
    DistrictInfo,
    Heading,
    MonthAward,
    MonthReporting,
    Paragraph,
    Table,
    render_docx,
    render_pdf,
    thong_bao_ket_qua_thang,
)
from thidua.documents.demo import demo_district, demo_plan, demo_ranking

REPORTING = MonthReporting(due=date(2021, 10, 25), owed=22, on_time=19, late=(("Xã Tân Phú Thạnh", 2),),
                           missing=("Phòng Y tế", "Xã Thạnh Xuân (quá hạn 3 ngày)"), deductions="trễ trừ 2 điểm.")


def texts(doc) -> list[str]:
    out = []
    for block in doc.blocks:
        if isinstance(block, Paragraph | Heading):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(block.items)
    return out


def test_a_districts_notice_has_its_sections_and_tables_and_asks_the_radio():
    doc = thong_bao_ket_qua_thang(demo_district(), demo_plan(), "2021-10", demo_ranking(), REPORTING,
                                  as_of=date(2021, 10, 31), year=2021,
                                  award=MonthAward(unit_name="Thị trấn Cái Tắc", prize_vnd=1_000_000))
    lines = texts(doc)
    assert (doc.doc_type, doc.number_line(), doc.date, doc.year) == ("THÔNG BÁO", "Số:      /TB-PNV", None, 2021)
    assert doc.subject.startswith("Kết quả chấm điểm, xếp hạng tháng 10/2021 phong trào thi đua")
    assert [line for line in lines if line[:3] in ("I. ", "II.", "III", "IV.")] == [
        "I. TÌNH HÌNH BÁO CÁO", "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG TÍNH ĐẾN HẾT THÁNG 10/2021",
        "III. KHEN THƯỞNG THÁNG 10/2021", "IV. ĐỀ NGHỊ"]
    assert "Hạn báo cáo tháng 10/2021: ngày 25/10/2021. Có 19/22 cơ quan, đơn vị báo cáo đúng hạn." in lines
    assert "Báo cáo trễ hạn: Xã Tân Phú Thạnh (trễ 2 ngày)." in lines
    assert "Không báo cáo: Phòng Y tế; Xã Thạnh Xuân (quá hạn 3 ngày)." in lines
    assert not any(line.startswith("Báo cáo không trung thực") for line in lines)
    assert ("Phòng Nội vụ huyện đề nghị Chủ tịch Ủy ban nhân dân huyện tặng Giấy khen kèm tiền thưởng 1.000.000 đ "
            "cho Thị trấn Cái Tắc, là tập thể tiêu biểu nhất tháng 10/2021.") in lines
    assert any("Đề nghị Đài Truyền thanh huyện đưa tin" in line for line in lines)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.headers for t in tables] == [("STT", "Đơn vị", "Trừ điểm", "Tổng điểm", "Xếp hạng", "Ghi chú")] * 2
    communes = tables[0].rows
    assert [row[0] for row in communes] == [str(i) for i in range(1, len(communes) + 1)]
    assert communes[0][1:5] == ("Thị trấn Một Ngàn", "-4", "141", "1")
    assert communes[-1][1:] == ("Xã Trường Long A", "-5", "0", "-", "Dưới 90 điểm")
    assert doc.recipients[-2:] == ("Đài Truyền thanh huyện;", "Lưu: VT, PNV.")
    assert render_docx(doc)[:2] == b"PK" and render_pdf(doc)[:5] == b"%PDF-"


def test_a_provinces_notice_names_its_office_and_no_district_radio_and_the_signed_decision():
    province = DistrictInfo(chairman_name="A", head_of_home_affairs_name="Trần B", level="province", kind="thành phố",
                            province="Cần Thơ", district="")
    doc = thong_bao_ket_qua_thang(province, demo_plan(), "2021-10", demo_ranking(), REPORTING,
                                  as_of=date(2021, 10, 31), year=2021, date=date(2021, 11, 3), number="12/TB-SNV",
                                  award=MonthAward(unit_name="Xã Tân Hòa", prize_vnd=0, decision_number="5/QĐ-UBND",
                                                   decision_date=date(2021, 11, 2)))
    lines = texts(doc)
    assert (doc.parent_body, doc.issuer, doc.number_line(), doc.signature.authority_lines) == (
        "UBND THÀNH PHỐ CẦN THƠ", "SỞ NỘI VỤ", "Số: 12/TB-SNV", ("GIÁM ĐỐC",))
    assert ("Xã Tân Hòa được Chủ tịch Ủy ban nhân dân thành phố tặng Bằng khen (Quyết định số 5/QĐ-UBND ngày "
            "02/11/2021), là tập thể tiêu biểu nhất tháng 10/2021.") in lines
    assert not any("Truyền thanh" in line for line in lines) and "Đài Truyền thanh huyện;" not in doc.recipients


def test_without_an_award_the_notice_has_no_award_section():
    doc = thong_bao_ket_qua_thang(demo_district(), demo_plan(), "2021-06", demo_ranking(), REPORTING,
                                  as_of=date(2021, 6, 30), year=2021)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["I. TÌNH HÌNH BÁO CÁO", "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG TÍNH ĐẾN HẾT THÁNG 6/2021",
                        "III. ĐỀ NGHỊ"]
