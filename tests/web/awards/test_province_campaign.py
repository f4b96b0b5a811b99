"""A province's own campaign (its rubric file, its group names, its threshold) before and after the
reviewer enters the issuer: nothing printed or shown in the name of Plan 211's district."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.awards.conftest import close, docx_text, pdf_text, report
from thidua.awards.services import district_officials_update, monthly_award_decide
from thidua.campaigns.models import Campaign
from thidua.core.models import AuditEvent
from thidua.reports.models import Report
from thidua.reports.services import report_mark_untruthful
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db

DECISION = "/khen-thuong/van-ban/quyet-dinh/2021-06.pdf"


@pytest.fixture
def province(campaign, personas):
    """Plan 211's rubric as a province words it: its own code and document, its group names, 85 points."""
    data = campaign.rubric_data
    data.update(code="dvc-can-tho", name="Thi đua dịch vụ công trực tuyến thành phố Cần Thơ",
                document="Kế hoạch số 15/KH-UBND ngày 10/01/2021 của Ủy ban nhân dân thành phố Cần Thơ")
    data["groups"]["department"]["label"] = "Sở, ban, ngành tỉnh"
    data["groups"]["commune"]["label"] = "Xã, phường"
    data["eligibility"]["min_total"] = 85
    del data["online_share_target"]  # Plan 211's 30–40%; this plan sets none
    campaign.rubric_data = data
    campaign.save()
    campaign = Campaign.objects.get(pk=campaign.pk)
    report(campaign, "TT-MOT-NGAN", accounts=1800)
    close(campaign, "2021-06", personas["reviewer"])
    return campaign


def _award_june(campaign, reviewer):
    monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                         ceremony_date=date(2021, 7, 5), actor=reviewer)


def test_no_document_is_printed_in_another_localitys_name_before_the_issuer_is_entered(
        province, personas, client_for):
    reviewer = personas["reviewer"]
    _award_june(province, reviewer)
    client = client_for(reviewer)
    response = client.get(DECISION, follow=True)
    page = response.content.decode()
    assert response.redirect_chain and "Thông tin văn bản" in page
    assert response["Content-Type"].startswith("text/html")
    _as_province(province, reviewer)
    text = pdf_text(client.get(DECISION).content)
    assert "THÀNH PHỐ CẦN THƠ" in text and "Bằng khen" in text
    assert "Châu Thành A" not in text and "huyện" not in text


def _as_province(campaign, reviewer):
    district_officials_update(campaign=campaign, actor=reviewer, issuer_kind="central_city", province="Cần Thơ",
                              district="", chairman_name="Trần Văn Hiếu", head_of_home_affairs_name="Lê Thị Hoa")


def test_the_monthly_proposal_names_the_campaigns_group_and_threshold(province, personas, client_for):
    page = client_for(personas["reviewer"]).get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "đứng đầu các xã, phường đạt từ 85 điểm" in page
    assert "xã, thị trấn" not in page and "90 điểm" not in page


def test_a_flagged_award_asks_the_provinces_director_of_home_affairs(province, personas, client_for):
    reviewer = personas["reviewer"]
    _as_province(province, reviewer)
    _award_june(province, reviewer)
    june = Report.objects.get(campaign=province, unit__code="TT-MOT-NGAN", month="2021-06")
    report_mark_untruthful(report=june, actor=reviewer, reason="Phúc tra: số tài khoản cao hơn danh sách trên Cổng.")
    client = client_for(reviewer)
    for url in ("/khen-thuong/", "/khen-thuong/hang-thang/2021-06/"):
        page = client.get(url).content.decode()
        assert "Cần Giám đốc Sở Nội vụ xem xét" in page and "Trưởng phòng" not in page
    event = AuditEvent.objects.get(action="monthly_award.flagged")
    assert "Giám đốc Sở Nội vụ" in event.summary and "Trưởng phòng" not in event.summary


def test_the_pages_name_the_provinces_office_sở_nội_vụ(province, personas, client_for, client, settings):
    _as_province(province, personas["reviewer"])
    entry = client_for(personas["reviewer"]).get("/tham-dinh/nhap-thay/X-TAN-HOA/2021-07/").content.decode()
    assert "Ngày Sở Nội vụ nhận báo cáo" in entry and "Ngày Phòng Nội vụ" not in entry
    client.logout()
    settings.THIDUA_EMAIL_ENABLED = False
    page = client.get("/quen-mat-khau/").content.decode()
    assert "(hoặc Sở Nội vụ)" in page and "Phòng Nội vụ" not in page


def test_plan_211s_online_share_target_is_not_shown_for_a_plan_without_one(province, personas, client_for):
    """Plan 211's 30–40% is its rubric's; a province's rubric without a target shows the share alone."""
    pages = ("/tong-quan/", "/huong-dan/", "/don-vi/TT-MOT-NGAN/", "/tham-dinh/nhap-thay/X-TAN-HOA/2021-07/")
    client = client_for(personas["reviewer"])
    for url in pages:
        page = client.get(url).content.decode()
        assert "Tỷ lệ hồ sơ trực tuyến" in page or "tỷ lệ hồ sơ trực tuyến" in page, url
        assert "30–40" not in page, url
    data = province.rubric_data
    data["online_share_target"] = {"min": 70}
    province.rubric_data = data
    province.save()
    for url in pages:
        assert "mục tiêu" in (page := client.get(url).content.decode()) and "từ 70%" in page, url


def test_the_meeting_form_suggests_no_demo_meeting_for_a_campaign_of_its_own(province, personas, client_for):
    client = client_for(personas["reviewer"])
    page = client.get("/khen-thuong/cuoc-hop/").content.decode()
    assert "15/12/2021" not in page and "Châu Thành A" not in page and "Lê Thị Mỹ Hạnh" not in page
    assert "Gợi ý từ dữ liệu mẫu" not in page
    _as_province(province, personas["reviewer"])
    page = client.get("/khen-thuong/cuoc-hop/").content.decode()
    assert 'value="Lê Thị Hoa"' in page and 'value="Giám đốc Sở Nội vụ"' in page and "huyện" not in page


def test_the_year_end_documents_state_the_campaigns_eligibility_line(province, personas, client_for):
    reviewer = personas["reviewer"]
    _as_province(province, reviewer)
    client = client_for(reviewer)
    text = docx_text(client.get("/khen-thuong/van-ban/bang-tong-hop/cuoi-nam.docx").content)
    assert "Đơn vị đạt từ 85 điểm trở lên mới được xếp hạng" in text and "Đạt 85 điểm" in text
    assert "Dưới 85 điểm" in text and "90 điểm" not in text


def test_the_guide_and_the_accounts_page_use_the_provinces_words(province, personas, client_for):
    _as_province(province, personas["reviewer"])
    guide = client_for(personas["reviewer"]).get("/huong-dan/").content.decode()
    assert "(Tờ trình, Biên bản, Quyết định, Bằng khen)" in guide and "Quyết định, Giấy khen" not in guide
    accounts = client_for(personas["admin"]).get("/don-vi/tai-khoan-bao-cao/").content.decode()
    assert "Mỗi đơn vị thi đua (sở, ban, ngành tỉnh; xã, phường đang hoạt động)" in accounts


def test_a_provinces_bằng_khen_downloads_under_its_own_name(province, personas, client_for):
    reviewer = personas["reviewer"]
    _as_province(province, reviewer)
    _award_june(province, reviewer)
    response = client_for(reviewer).get("/khen-thuong/van-ban/giay-khen/2021-06.pdf")
    assert response.status_code == 200 and "BẰNG KHEN" in pdf_text(response.content)
    assert "bang-khen-2021-06.pdf" in response["Content-Disposition"]


def test_the_documents_page_of_another_plan_starts_without_the_demo_names_and_with_the_law_in_force(
        province, personas, client_for):
    """Plan 211's demo district (its chairman, Châu Thành A, Hậu Giang) is no start for another plan's issuer;
    the legal basis offered is the one in force when the campaign's awards are decided."""
    from thidua.awards.dossier import plan_info

    client = client_for(personas["reviewer"])
    page = client.get("/khen-thuong/thong-tin-huyen/").content.decode()
    assert "Châu Thành A" not in page and "Hậu Giang" not in page and "Nguyễn Văn Thành" not in page
    assert "ngày 26 tháng 11 năm 2003" in page  # this campaign ends in 2021

    data = province.rubric_data
    data["campaign"] = {"start": "2026-01-12", "end": "2026-12-15"}
    data["reports"]["months"] = ["2026-01", "2026-02"]
    province.rubric_data = data
    province.save()
    basis = " ".join(plan_info(Campaign.objects.get(pk=province.pk)).legal_basis)
    assert "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022" in basis
    assert "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023" in basis
    assert "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025" in basis and "2003" not in basis
    page = client.get("/khen-thuong/thong-tin-huyen/").content.decode()
    assert "98/2023/NĐ-CP" in page


def test_the_legal_basis_follows_the_laws_in_force_on_the_day():
    from thidua.documents import legal_basis_on

    assert "ngày 26 tháng 11 năm 2003" in legal_basis_on(date(2023, 12, 31))[1]
    assert legal_basis_on(date(2024, 1, 1))[1] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert "năm 2015" in legal_basis_on(date(2025, 2, 28))[0]
    assert "19 tháng 02 năm 2025" in legal_basis_on(date(2025, 3, 1))[0]
    assert "16 tháng 6 năm 2025" in legal_basis_on(date(2025, 7, 1))[0]


def test_before_the_issuer_is_entered_the_pages_and_emails_name_the_plans_own_office(province, personas, client_for):
    """The plan's document names the People's Committee that issued it («… của Ủy ban nhân dân thành phố Cần
    Thơ»): until the reviewer enters the issuer on the documents page, the pages and the reminder emails name
    that locality's Sở Nội vụ and Bằng khen, never the demo district's Phòng Nội vụ huyện Châu Thành A."""
    from thidua.reports.emails import office_name

    assert office_name(province) == "Sở Nội vụ thành phố Cần Thơ"
    client = client_for(personas["reviewer"])
    guide = client.get("/huong-dan/").content.decode()
    assert "Cán bộ thẩm định Sở Nội vụ" in guide and "thẩm định Phòng Nội vụ" not in guide
    assert "(Tờ trình, Biên bản, Quyết định, Bằng khen)" in guide and "Quyết định, Giấy khen" not in guide
    year_end = client.get("/khen-thuong/cuoi-nam/").content.decode()
    assert "Chủ tịch UBND thành phố tặng Bằng khen" in year_end and "UBND huyện" not in year_end
    entry = client.get("/tham-dinh/nhap-thay/X-TAN-HOA/2021-07/").content.decode()
    assert "Ngày Sở Nội vụ nhận báo cáo" in entry
    form = client.get("/khen-thuong/thong-tin-huyen/").content.decode()
    assert '<option value="central_city" selected>' in form and 'value="Cần Thơ"' in form


@pytest.mark.parametrize(("document", "issuer"), [
    ("Kế hoạch số 15/KH-UBND ngày 10/01/2026 của Ủy ban nhân dân tỉnh Quảng Ninh", ("province", "Quảng Ninh")),
    ("Kế hoạch số 7/KH-UBND ngày 02/3/2026 của UBND Thành phố Hồ Chí Minh", ("central_city", "Hồ Chí Minh")),
    ("Kế hoạch số 211/KH-UBND ngày 08/6/2021 của Ủy ban nhân dân huyện Châu Thành A", ("district", "Châu Thành A")),
    ("Kế hoạch số 9/KH-UBND ngày 02/3/2024 của Ủy ban nhân dân thị xã Ngã Bảy", ("town", "Ngã Bảy")),
    ("Kế hoạch số 9/KH-UBND ngày 02/3/2024 của UBND TP. Vị Thanh, tỉnh Hậu Giang", ("provincial_city", "Vị Thanh")),
    ("Kế hoạch số 15/KH-UBND ngày 10/01/2026 của UBND tỉnh Quảng Ninh về đẩy mạnh dịch vụ công trực tuyến",
     ("province", "Quảng Ninh")),  # the plan's subject after «về» is no part of the name
    ("Kế hoạch số 15/KH-UBND ngày 10/01/2026 của UBND tỉnh Quảng Ninh V/v thi đua", ("province", "Quảng Ninh")),
    ("Kế hoạch số 15/KH-UBND của UBND tỉnh Quảng Ninh ngày 10/01/2026", ("province", "Quảng Ninh")),
    ("Kế hoạch số 15/KH-SNV ngày 10/01/2026 của Sở Nội vụ", None),
])
def test_the_issuer_is_read_from_the_plans_document(document, issuer):
    from thidua.documents import issuer_from_document

    assert issuer_from_document(document) == issuer


def test_a_plan_naming_no_issuer_takes_the_province_of_a_registry_without_districts(province):
    """Today's structure: the province's departments and communes report to it, its old district retired."""
    from thidua.reports.emails import office_name

    data = province.rubric_data
    data["document"] = "Kế hoạch số 15/KH-UBND ngày 10/01/2021"
    province.rubric_data = data
    province.save()
    assert office_name(province) == "Phòng Nội vụ huyện Châu Thành A"  # a district in use: nothing to go by
    Unit.objects.filter(parent__code="CHAU-THANH-A").update(parent=Unit.objects.get(code="HAU-GIANG"))
    Unit.objects.filter(code="CHAU-THANH-A").update(active=False)
    assert office_name(province) == "Sở Nội vụ tỉnh Hậu Giang"
