"""Numbers of signed documents: the month's Quyết định (printed on its Quyết định and Giấy khen)
and the dossier's documents (the signed Tờ trình's number is printed on it and cited by the
year-end Quyết định)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test.utils import override_settings

from tests.web.awards.conftest import close, docx_text, report
from thidua.awards.models import DossierItem, MonthlyAward
from thidua.awards.services import (
    clean_document_number,
    monthly_award_decide,
    monthly_award_record_decision,
    year_end_list_record,
)
from thidua.core.models import AuditEvent
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db

URL = "/khen-thuong/hang-thang/2021-06/so-quyet-dinh/"


def at(day: str):
    return override_settings(THIDUA_NOW=f"{day}T10:00:00+07:00")


@pytest.fixture
def june(standing, personas):
    with at("2021-07-01"):
        close(standing, "2021-06", personas["reviewer"])
        monthly_award_decide(campaign=standing, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                             ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])
    return MonthlyAward.objects.get()


@pytest.mark.parametrize("raw, cleaned", [("125/QĐ-UBND", "125/QĐ-UBND"), (" 15 / TTr-PNV ", "15/TTr-PNV"),
                                          ("03/BB-HĐXKT", "03/BB-HĐXKT")])
def test_a_document_number_is_number_slash_symbol(raw, cleaned):
    assert clean_document_number(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "QĐ-UBND", "125", "125/", "/QĐ-UBND", "125/QĐ-UBND/2021", "125/QĐ UBND",
                                 "1234567/QĐ", "125/QĐ--UBND", "125/QĐ_UBND"])
def test_anything_else_is_refused_with_an_example(raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ví dụ 125/QĐ-UBND"):
        clean_document_number(raw)


def test_the_reviewer_records_the_signed_decision_and_the_months_documents_print_it(june, personas, client_for):
    client = client_for(personas["reviewer"])
    before = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/2021-06.docx").content)
    assert "Số:      /QĐ-UBND" in before
    assert "cho 1 tập thể đã có thành tích xuất sắc" in before and "0 cá nhân" not in before  # one commune
    page = client.get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "Chưa ghi số" in page and f'action="{URL}"' in page
    with at("2021-07-03"):
        response = client.post(URL, {"decision_number": "125/QĐ-UBND", "decision_date": "02/07/2021"})
    assert response.status_code == 302
    june.refresh_from_db()
    assert (june.decision_number, june.decision_date) == ("125/QĐ-UBND", date(2021, 7, 2))
    event = AuditEvent.objects.get(action="monthly_award.decision_recorded")
    assert event.before == {"decision_number": "", "decision_date": None}
    assert event.after == {"decision_number": "125/QĐ-UBND", "decision_date": "2021-07-02"}
    decision = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/2021-06.docx").content)
    assert "Số: 125/QĐ-UBND" in decision and "ngày 02 tháng 7 năm 2021" in decision
    assert "cho tập thể có thành tích xuất sắc" in decision and "tập thể, cá nhân có thành tích" not in decision
    certificate = docx_text(client.get("/khen-thuong/van-ban/giay-khen/2021-06.docx").content)
    assert "125/QĐ-UBND" in certificate
    assert "Số 125/QĐ-UBND ngày 02/07/2021" in client.get("/khen-thuong/hang-thang/2021-06/").content.decode()


def test_a_wrong_number_or_date_is_refused_and_changes_nothing(june, personas, client_for, standing):
    client = client_for(personas["reviewer"])
    with at("2021-07-03"):
        for data, message in (
                ({"decision_number": "QĐ-UBND", "decision_date": "02/07/2021"}, "không đúng dạng"),
                ({"decision_number": "125/QĐ-UBND", "decision_date": "31/06/2021"}, "dd/mm/yyyy"),
                ({"decision_number": "125/QĐ-UBND", "decision_date": "04/07/2021"}, "sau ngày hôm nay"),
                ({"decision_number": "125/QĐ-UBND", "decision_date": "30/06/2021"}, "trước ngày quyết định"),
                ({"decision_number": "", "decision_date": "02/07/2021"}, "Cần nhập số")):
            response = client.post(URL, data)
            assert response.status_code == 400 and message in response.content.decode(), data
    june.refresh_from_db()
    assert june.decision_number == "" and june.decision_date is None
    assert not AuditEvent.objects.filter(action="monthly_award.decision_recorded").exists()
    assert client.post("/khen-thuong/hang-thang/2021-07/so-quyet-dinh/", {}).status_code == 404  # no award
    for persona in ("leader", "commune_reporter"):
        assert client_for(personas[persona]).post(URL, {"decision_number": "1/QĐ-UBND"}).status_code == 403


def test_one_number_serves_one_months_decision_and_a_new_unit_needs_a_new_one(june, personas, standing):
    reviewer = personas["reviewer"]
    report(standing, "TT-CAI-TAC", "2021-07")
    with at("2021-08-03"):
        monthly_award_record_decision(award=june, number="125/QĐ-UBND", signed_on=date(2021, 7, 2), actor=reviewer)
        close(standing, "2021-07", reviewer)
        july = monthly_award_decide(campaign=standing, month="2021-07", unit=Unit.objects.get(code="TT-CAI-TAC"),
                                    ceremony_date=date(2021, 8, 2), actor=reviewer)
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="đã ghi cho Quyết định khen thưởng tháng 6/2021"):
            monthly_award_record_decision(award=july, number="125/QĐ-UBND", signed_on=date(2021, 8, 3),
                                          actor=reviewer)
        # the month decided again for another unit: the signed number belonged to the earlier decision
        monthly_award_decide(campaign=standing, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                             ceremony_date=date(2021, 7, 5), reason="Hội đồng chọn đơn vị có mô hình mới.",
                             actor=reviewer)
    june.refresh_from_db()
    assert june.unit.code == "TT-MOT-NGAN" and june.decision_number == "" and june.decision_date is None


def test_a_signed_to_trinh_keeps_its_number_and_the_year_end_decision_cites_it(standing, personas, client_for):
    year_end_list_record(campaign=standing, actor=personas["reviewer"])
    client = client_for(personas["reviewer"])
    assert "Tờ trình số      /TTr-" in docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/cuoi-nam.docx").content)
    client.get("/khen-thuong/van-ban/to-trinh/cuoi-nam.docx")  # made: it can now be marked signed
    item = DossierItem.objects.get(proposal__unit__code="TT-CAI-TAC", kind="to_trinh")
    with at("2021-12-16"):
        bad = client.post(f"/khen-thuong/ho-so/{item.pk}/da-ky/", {"signed_on": "16/12/2021", "number": "15-TTr"})
        assert bad.status_code == 302
        item.refresh_from_db()
        assert item.signed_on is None  # refused whole: no date without its number
        client.post(f"/khen-thuong/ho-so/{item.pk}/da-ky/", {"signed_on": "16/12/2021", "number": "15/TTr-PNV"})
    item.refresh_from_db()
    assert (item.number, item.signed_on) == ("15/TTr-PNV", date(2021, 12, 16))
    assert AuditEvent.objects.get(action="dossier.signed").after == {"signed_on": "2021-12-16", "number": "15/TTr-PNV"}
    assert "số 15/TTr-PNV ngày 16/12/2021" in client.get("/khen-thuong/ho-so/").content.decode()
    to_trinh = docx_text(client.get("/khen-thuong/van-ban/to-trinh/cuoi-nam.docx").content)
    assert "Số: 15/TTr-PNV" in to_trinh
    decision = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/cuoi-nam.docx").content)
    assert "Tờ trình số 15/TTr-PNV ngày 16 tháng 12 năm 2021" in decision


def test_the_awards_export_gives_the_signed_decisions_number(june, personas, client_for):
    import io

    from openpyxl import load_workbook

    with at("2021-07-03"):
        monthly_award_record_decision(award=june, number="125/QĐ-UBND", signed_on=date(2021, 7, 2),
                                      actor=personas["reviewer"])
    book = load_workbook(io.BytesIO(client_for(personas["reviewer"]).get("/xuat/khen-thuong.xlsx").content))
    row = next(r for r in book["Khen thưởng"].iter_rows(values_only=True) if r[1] == "tháng 6/2021")
    assert row[3] == "Thị trấn Cái Tắc" and "Quyết định số 125/QĐ-UBND ngày 02/07/2021" in row[8]


YEAR_END_URL = "/khen-thuong/cuoi-nam/so-quyet-dinh/"


def test_the_signed_year_end_decision_is_printed_on_it_and_on_every_giay_khen(standing, personas, client_for):
    from thidua.awards.models import YearEndDecision

    with at("2021-12-10"):
        year_end_list_record(campaign=standing, actor=personas["reviewer"])
    client = client_for(personas["reviewer"])
    assert "chưa ghi số" in client.get("/khen-thuong/cuoi-nam/").content.decode()
    assert "Số:      /QĐ-UBND" in docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/cuoi-nam.docx").content)
    with at("2021-12-20"):
        response = client.post(YEAR_END_URL, {"decision_number": "310/QĐ-UBND", "decision_date": "20/12/2021"})
    assert response.status_code == 302
    decision = YearEndDecision.objects.get()
    assert (decision.number, decision.signed_on) == ("310/QĐ-UBND", date(2021, 12, 20))
    assert AuditEvent.objects.get(action="year_end.decision_recorded").after == {
        "number": "310/QĐ-UBND", "signed_on": "2021-12-20"}
    page = client.get("/khen-thuong/cuoi-nam/").content.decode()
    assert "số 310/QĐ-UBND ngày 20/12/2021" in page and "Mở lại danh sách đề nghị" not in page
    decision_text = docx_text(client.get("/khen-thuong/van-ban/quyet-dinh/cuoi-nam.docx").content)
    assert "Số: 310/QĐ-UBND" in decision_text and "ngày 20 tháng 12 năm 2021" in decision_text
    certificate = docx_text(client.get("/khen-thuong/van-ban/giay-khen/TT-CAI-TAC.docx").content)
    assert "310/QĐ-UBND" in certificate
    # the list cannot be reopened once the decision is signed
    from django.core.exceptions import ValidationError

    from thidua.awards.services import year_end_list_reopen

    with pytest.raises(ValidationError, match="310/QĐ-UBND đã được ký"):
        year_end_list_reopen(campaign=standing, reason="Sửa số liệu sau khi chốt danh sách.",
                             actor=personas["reviewer"])


def test_a_wrong_year_end_decision_number_is_refused(standing, personas, client_for, june):
    from thidua.awards.models import YearEndDecision

    client = client_for(personas["reviewer"])
    with at("2021-12-20"):
        response = client.post(YEAR_END_URL, {"decision_number": "310/QĐ-UBND", "decision_date": "20/12/2021"})
        assert "chưa được chốt" in client.get(response["Location"]).content.decode()
        year_end_list_record(campaign=standing, actor=personas["reviewer"])
        monthly_award_record_decision(award=june, number="125/QĐ-UBND", signed_on=date(2021, 7, 2),
                                      actor=personas["reviewer"])
        for data, message in (
                ({"decision_number": "125/QĐ-UBND", "decision_date": "20/12/2021"}, "Quyết định khen thưởng tháng 6"),
                ({"decision_number": "310 QĐ-UBND", "decision_date": "20/12/2021"}, "không đúng dạng"),
                ({"decision_number": "310/QĐ-UBND", "decision_date": "21/12/2021"}, "sau ngày hôm nay"),
                ({"decision_number": "310/QĐ-UBND", "decision_date": "19/12/2020"}, "trước ngày chốt danh sách"),
                ({"decision_number": "310/QĐ-UBND", "decision_date": "xx"}, "dd/mm/yyyy")):
            response = client.post(YEAR_END_URL, data, follow=True)
            assert message in response.content.decode(), data
    assert not YearEndDecision.objects.exists()
    for persona in ("leader", "commune_reporter"):
        assert client_for(personas[persona]).post(YEAR_END_URL, {}).status_code == 403


def test_a_month_cannot_take_the_year_end_decisions_number(standing, personas, june):
    from django.core.exceptions import ValidationError

    from thidua.awards.services import year_end_decision_record

    with at("2021-12-20"):
        year_end_list_record(campaign=standing, actor=personas["reviewer"])
        year_end_decision_record(campaign=standing, number="310/QĐ-UBND", signed_on=date(2021, 12, 20),
                                 actor=personas["reviewer"])
        with pytest.raises(ValidationError, match="đã ghi cho Quyết định khen thưởng cuối năm"):
            monthly_award_record_decision(award=june, number="310/QĐ-UBND", signed_on=date(2021, 7, 2),
                                          actor=personas["reviewer"])
        # the year-end number recorded again (a correction) is not "taken" by itself
        year_end_decision_record(campaign=standing, number="310/QĐ-UBND", signed_on=date(2021, 12, 20),
                                 actor=personas["reviewer"])
    june.refresh_from_db()
    assert june.decision_number == ""
