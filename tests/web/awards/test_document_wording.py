"""What the award documents say of the plan and of the law: the rubric's plan (Plan 211's own
wording for Plan 211), and the reviewer's wording once entered on the documents page."""

from __future__ import annotations

import io

import pytest

from tests.web.awards.conftest import docx_text
from thidua.awards.dossier import plan_info
from thidua.core.models import AuditEvent
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db

PAGE = "/khen-thuong/thong-tin-huyen/"
SCORES = "/khen-thuong/van-ban/bang-tong-hop/cuoi-nam.docx"
NEW_LAW = ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
           "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
           "một số điều của Luật Thi đua, khen thưởng")


def _another_plan(campaign, document="Kế hoạch số 15/KH-UBND ngày 02/3/2021 của Ủy ban nhân dân huyện Châu Thành A"):
    data = campaign.rubric_data
    data.update(code="chuyen-doi-so-2021", name="Thi đua chuyển đổi số trong cải cách hành chính năm 2021",
                document=document)
    campaign.rubric_data = data
    campaign.save()
    return campaign


def _form(**changes):
    data = {"issuer_kind": "district", "chairman_name": "Trần Văn Chủ Tịch",
            "head_of_home_affairs_name": "Lê Thị Trưởng Phòng",
            "district": "Châu Thành A", "province": "Hậu Giang", "plan_number": "", "plan_date": "",
            "plan_title": "", "movement": "", "movement_short": "", "legal_basis": ""}
    data.update(changes)
    return data


def test_plan_211_keeps_its_own_wording(campaign, personas, client_for):
    plan = plan_info(campaign)
    assert (plan.number, plan.date.isoformat()) == ("211/KH-UBND", "2021-06-08")
    text = docx_text(client_for(personas["reviewer"]).get(SCORES).content)
    assert "Kế hoạch số 211/KH-UBND ngày 08 tháng 6 năm 2021 của Ủy ban nhân dân huyện Châu Thành A" in text


def test_another_plan_is_cited_as_its_rubric_describes_it(campaign, personas, client_for):
    _another_plan(campaign)
    client = client_for(personas["reviewer"])
    assert client.post(PAGE, _form()).status_code == 302  # another plan's documents wait for the issuer
    text = docx_text(client.get(SCORES).content)
    assert "211/KH-UBND" not in text
    assert ("Kế hoạch số 15/KH-UBND ngày 02 tháng 3 năm 2021 của Ủy ban nhân dân huyện Châu Thành A về thi đua "
            "chuyển đổi số trong cải cách hành chính năm 2021") in text
    assert "phong trào thi đua chuyển đổi số" in text


def test_a_rubric_without_a_plan_reference_cites_the_plan_without_a_number(campaign):
    plan = plan_info(_another_plan(campaign, document=""))
    assert plan.number == "" and plan.date == campaign.rubric.campaign.start


def test_the_reviewer_words_the_plan_and_the_legal_basis_and_the_decision_prints_them(
        dossier, personas, client_for):
    client = client_for(personas["reviewer"])
    page = client.get(PAGE).content.decode()
    assert "211/KH-UBND" in page and "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003" in page
    response = client.post(PAGE, _form(plan_number="211/KH-UBND", plan_date="08/06/2021",
                                       movement_short="phong trào thi đua dịch vụ công trực tuyến năm 2021",
                                       legal_basis=NEW_LAW))
    assert response.status_code == 302
    decision = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/cuoi-nam.docx").content)
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in decision
    assert "Nghị định số 98/2023/NĐ-CP" in decision
    assert "thi hành một số điều của Luật Thi đua, khen thưởng;" in decision  # the missing ";" added
    assert "2003" not in decision and "91/2017" not in decision
    assert "trong phong trào thi đua dịch vụ công trực tuyến năm 2021" in decision  # the subject line
    event = AuditEvent.objects.filter(action="awards.district_updated").latest("pk")
    assert event.after["legal_basis"].count("\n") == 1 and event.after["plan_date"] == "2021-06-08"


@pytest.mark.parametrize("changes, field, message", [
    ({"legal_basis": "Luật Thi đua, khen thưởng 2022"}, "legal_basis", "Dòng 1: mỗi căn cứ bắt đầu bằng «Căn cứ"),
    ({"legal_basis": "\n".join(["Căn cứ Luật số 1;"] * 13)}, "legal_basis", "Tối đa 12 căn cứ"),
    ({"plan_number": "211 KH-UBND"}, "plan_number", "không đúng dạng"),
    ({"plan_date": "31/02/2021"}, "plan_date", "Ngày 31/02/2021 không có trên lịch"),
    ({"plan_date": "8-6-2021"}, "plan_date", "dd/mm/yyyy"),
    ({"plan_date": "01/01/2022"}, "plan_date", "sau ngày kết thúc phong trào"),
])
def test_wrong_wording_is_refused_on_its_field_and_nothing_is_saved(campaign, personas, client_for, changes, field,
                                                                    message):
    from thidua.awards.models import DistrictOfficials

    response = client_for(personas["reviewer"]).post(PAGE, _form(**changes))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not DistrictOfficials.objects.exists()


def test_the_page_sent_back_unchanged_saves_its_prefilled_dates(campaign, personas, client_for):
    """Every prefilled date shows as dd/mm/yyyy, the format the form reads back (it showed 2021-06-08)."""
    import re

    client = client_for(personas["reviewer"])
    page = client.get(PAGE).content.decode()
    assert 'name="plan_date" value="08/06/2021"' in page
    data = dict(re.findall(r'<input type="text" name="(\w+)" value="([^"]*)"', page))
    data.update(re.findall(r'<textarea name="(\w+)"[^>]*>\s*([^<]*)</textarea>', page))
    data.update(re.findall(r'<select name="(\w+)"[^>]*>.*?<option value="([^"]*)" selected>', page, re.S))
    response = client.post(PAGE, {key: value.replace("&quot;", '"') for key, value in data.items()})
    assert response.status_code == 302
    assert plan_info(campaign).date.isoformat() == "2021-06-08"


def test_the_monthly_decision_form_prefilled_with_its_date_can_be_sent_back(june_awarded, personas, client_for):
    page = client_for(personas["reviewer"]).get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert 'name="ceremony_date" value="05/07/2021"' in page


@pytest.fixture
def june_awarded(standing, personas):
    from datetime import date

    from tests.web.awards.conftest import close
    from thidua.awards.services import monthly_award_decide
    from thidua.units.models import Unit

    close(standing, "2021-06", personas["reviewer"])
    monthly_award_decide(campaign=standing, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                         ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])
    return standing


def _province_rubric(campaign):
    """A province's campaign: its own groups, and a plan title that names no district."""
    data = campaign.rubric_data
    data["groups"]["department"]["label"] = "Sở, ban, ngành tỉnh"
    data["groups"]["commune"]["label"] = "Xã, phường, đặc khu"
    data.update(code="dvc-tinh-2021", name="Thi đua dịch vụ công trực tuyến tỉnh Hậu Giang năm 2021", document="")
    campaign.rubric_data = data
    campaign.save()


def test_a_province_issues_its_documents_with_the_department_of_home_affairs_and_a_bang_khen(
        dossier, personas, client_for):
    _province_rubric(dossier)
    Unit.objects.filter(code="TT-CAI-TAC").update(description="")  # Châu Thành A's own text names its district
    client = client_for(personas["reviewer"])
    response = client.post(PAGE, _form(issuer_kind="province", district="", chairman_name="Đồng Văn Thanh",
                                       head_of_home_affairs_name="Nguyễn Thị Giám Đốc"))
    assert response.status_code == 302
    get = lambda path: docx_text(client.get(f"/khen-thuong/van-ban/{path}.docx").content)  # noqa: E731
    decision, proposal, scores = get("quyet-dinh/cuoi-nam"), get("to-trinh/cuoi-nam"), get("bang-tong-hop/cuoi-nam")
    certificate, report = get("giay-khen/TT-CAI-TAC"), get("bao-cao-tap-the/TT-CAI-TAC")
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HẬU GIANG" in decision
    assert "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số      /TTr-SNV." in decision
    assert "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho" in decision
    assert "Về việc tặng Bằng khen cho tập thể, cá nhân" in decision
    assert "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính" in decision
    assert "TT. Tỉnh ủy, HĐND tỉnh;" in decision and "Hậu Giang, ngày" in decision
    assert "SỞ NỘI VỤ" in proposal and "UBND TỈNH HẬU GIANG" in proposal
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Hậu Giang" in proposal
    assert ("Sở Nội vụ đã tổng hợp, chấm điểm thi đua đối với các sở, ban, ngành tỉnh và Ủy ban nhân dân các "
            "xã, phường, đặc khu") in proposal
    assert "GIÁM ĐỐC" in proposal and "Nguyễn Thị Giám Đốc" in proposal
    assert "KHỐI XÃ, PHƯỜNG, ĐẶC KHU" in scores and "KHỐI SỞ, BAN, NGÀNH TỈNH" in scores
    assert "Chủ tịch UBND tỉnh;" in scores and "/BTH-SNV" in scores
    assert "BẰNG KHEN" in certificate and "Hạng Nhất khối xã, phường, đặc khu" in certificate
    assert "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh" in report
    assert "là đơn vị hành chính cấp xã thuộc tỉnh Hậu Giang." in report and "Sở Nội vụ;" in report
    for text in (decision, proposal, certificate, report):  # (the ranking lists Châu Thành A's unit names)
        low = text.lower()
        assert not [w for w in ("ủy ban nhân dân huyện", "ubnd huyện", "nội vụ huyện", "hđnd huyện", "của huyện",
                                "huyện ủy", "giấy khen", "phòng nội vụ", "ngành huyện") if w in low]


def test_a_town_issues_giay_khen_in_its_own_name(dossier, personas, client_for):
    client = client_for(personas["reviewer"])
    assert client.post(PAGE, _form(issuer_kind="town", district="Long Mỹ")).status_code == 302
    decision = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/cuoi-nam.docx").content)
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THỊ XÃ LONG MỸ" in decision
    assert "Xét đề nghị của Trưởng phòng Nội vụ thị xã tại" in decision
    assert "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân thị xã" in decision and "TT. Thị ủy, HĐND thị xã;" in decision


def test_a_district_level_issuer_needs_its_name(dossier, personas, client_for):
    client = client_for(personas["reviewer"])
    response = client.post(PAGE, _form(issuer_kind="district", district="  "))
    assert response.status_code == 400
    assert "Nhập tên huyện ban hành văn bản." in response.content.decode()
    response = client.post(PAGE, _form(issuer_kind="quan"))
    assert response.status_code == 400 and "Hãy chọn trong danh sách;" in response.content.decode()


def test_a_province_monthly_award_is_a_bang_khen_whatever_plan_211s_label_says(dossier, personas, client_for):
    client = client_for(personas["reviewer"])
    assert client.post(PAGE, _form(issuer_kind="province", district="")).status_code == 302
    decision = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/2021-06.docx").content)
    assert "Bằng khen của Chủ tịch UBND tỉnh" in decision and "Giấy khen" not in decision


def test_a_province_gives_an_individual_a_bang_khen(dossier, personas, client_for):
    from openpyxl import load_workbook

    from thidua.awards.models import Nomination

    client = client_for(personas["reviewer"])
    person = Nomination.objects.get(full_name="Trần Văn Lợi")

    def export_kinds():
        book = load_workbook(io.BytesIO(client.get("/xuat/khen-thuong.xlsx").content))
        return [row[0] for row in book["Khen thưởng"].iter_rows(min_row=2, values_only=True)]

    assert "Giấy khen cá nhân" in export_kinds()
    assert client.post(PAGE, _form(issuer_kind="province", district="")).status_code == 302
    certificate = docx_text(client.get(f"/khen-thuong/van-ban/giay-khen/{person.doc_key}.docx").content)
    assert "BẰNG KHEN" in certificate and "Trần Văn Lợi" in certificate and "GIẤY KHEN" not in certificate
    report = docx_text(client.get(f"/khen-thuong/van-ban/bao-cao-ca-nhan/{person.doc_key}.docx").content)
    assert "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh" in report
    kinds = export_kinds()
    assert "Bằng khen cá nhân" in kinds and "Giấy khen cá nhân" not in kinds
    page = client.get("/khen-thuong/ho-so/").content.decode()
    assert "<th>Bằng khen</th>" in page and "<th>Giấy khen</th>" not in page
