"""A report a unit sent in writing, entered by the reviewer: lateness counts from the day it arrived."""

from __future__ import annotations

from datetime import date

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import submit
from thidua.core.models import AuditEvent
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_result, submission_matrix

NOV_1 = "2021-11-01T09:00:00+07:00"
FIGURES = {"new_accounts": "300", "dossiers_online": "40", "due": "40", "resolved_on_time": "39",
           "dossiers_in_person": "80", "has_plan": "on", "procedures": "Đăng ký khai sinh", "initiatives": "",
           "note": ""}


def _url(code="X-TAN-HOA", month="2021-10"):
    return reverse("report-enter", args=[code, month])


def _penalty(campaign, code, month):
    card = next(c for c in campaign_result(campaign).scorecards if c.code == code)
    return sum(p.points for p in card.penalties if p.month == month)


@pytest.fixture(autouse=True)
def _november(settings):
    settings.THIDUA_NOW = NOV_1


@pytest.mark.parametrize(("received", "state", "penalty"), [
    ("25/10/2021", "on_time", 0), ("27/10/2021", "late", -2), ("30/10/2021", "late", -5)])
def test_the_day_the_written_report_arrived_decides_lateness(campaign, personas, client_for, received, state,
                                                              penalty):
    response = client_for(personas["reviewer"]).post(_url(), {**FIGURES, "received_on": received,
                                                              "reference": "45/BC-UBND"}, follow=True)
    assert "Đã nhập báo cáo tháng 10/2021 thay Xã Tân Hòa" in response.content.decode()
    report = Report.objects.get(unit__code="X-TAN-HOA", month="2021-10")
    assert report.status == "submitted" and report.current.submitted_by == personas["reviewer"]
    assert report.current.note.startswith(f"Báo cáo bằng văn bản số 45/BC-UBND, Phòng Nội vụ huyện Châu Thành A "
                                          f"nhận ngày {received}; ")
    _, rows = submission_matrix(campaign)
    cell = next(c for unit, cells in rows if unit.code == "X-TAN-HOA" for c in cells if c.month == "2021-10")
    assert cell.state == state and _penalty(campaign, "X-TAN-HOA", "2021-10") == penalty
    event = AuditEvent.objects.get(action="report.entered_for_unit")
    assert event.actor == personas["reviewer"] and event.unit_code == "X-TAN-HOA"
    assert event.after["reference"] == "45/BC-UBND" and event.after["received_on"].startswith("2021-10-")


def test_the_unit_sees_it_and_corrects_it_as_its_own(campaign, personas, client_for):
    client_for(personas["reviewer"]).post(_url(), {**FIGURES, "received_on": "25/10/2021", "reference": "45/BC-UBND"})
    alice = client_for(personas["commune_reporter"])
    assert "tháng 10/2021" in alice.get(reverse("report-list")).content.decode()
    with override_settings(THIDUA_NOW="2021-11-02T09:00:00+07:00"):
        corrected = submit(campaign, personas["commune_reporter"], "2021-10", on="2021-11-02T09:00:00+07:00",
                           new_accounts=310)
    assert corrected.current.number == 2 and _penalty(campaign, "X-TAN-HOA", "2021-10") == 0  # still on time


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"received_on": "02/11/2021"}, "received_on", "Ngày nhận 02/11/2021 ở sau hôm nay."),
    ({"received_on": "01/01/2021"}, "received_on", "ở trước ngày bắt đầu phong trào"),
    ({"received_on": "01/07/2021"}, "received_on",
     "Ngày nhận 01/07/2021 ở trước tháng 10/2021: báo cáo tháng chỉ có từ ngày đầu tháng."),
    ({"received_on": "30/09/2021"}, "received_on", "ở trước tháng 10/2021"),
    ({"received_on": ""}, "received_on", ""),
    ({"reference": " x "}, "reference", "Ghi số, ký hiệu văn bản báo cáo của đơn vị"),
    ({"due": "10", "resolved_on_time": "39"}, "resolved_on_time", "không được lớn hơn số hồ sơ đến hạn"),
])
def test_a_wrong_entry_is_refused_at_its_field_and_writes_nothing(campaign, personas, client_for, change, field,
                                                                   message):
    response = client_for(personas["reviewer"]).post(_url(), {**FIGURES, "received_on": "25/10/2021",
                                                              "reference": "45/BC-UBND", **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Report.objects.exists() and not AuditEvent.objects.filter(action="report.entered_for_unit").exists()


def test_a_month_the_unit_reported_leads_to_its_report(campaign, personas, client_for):
    report = submit(campaign, personas["commune_reporter"], "2021-10", on=date(2021, 10, 20))
    client = client_for(personas["reviewer"])
    response = client.get(_url())
    assert response.status_code == 302 and response["Location"] == reverse("report-detail", args=[report.pk])
    client.post(_url(), {**FIGURES, "received_on": "25/10/2021", "reference": "45/BC-UBND"})
    assert Report.objects.get().current.number == 1  # nothing entered over the unit's own report


def test_the_matrix_offers_it_where_a_report_is_missing(campaign, personas, client_for):
    submit(campaign, personas["commune_reporter"], "2021-10", on=date(2021, 10, 20))
    page = client_for(personas["reviewer"]).get(reverse("review-matrix")).content.decode()
    assert f'href="{_url("TT-MOT-NGAN")}"' in page and f'href="{_url("X-TAN-HOA")}"' not in page
    assert "Nhập thay" not in client_for(personas["leader"]).get(reverse("review-matrix")).content.decode()


@pytest.mark.parametrize(("url", "status"), [
    ("/tham-dinh/nhap-thay/KHONG-CO/2021-10/", 404), ("/tham-dinh/nhap-thay/X-TAN-HOA/2021-12/", 404),
    ("/tham-dinh/nhap-thay/X-TAN-HOA/2021-13/", 404)])
def test_a_unit_or_month_outside_the_campaign_is_a_404(campaign, personas, client_for, url, status):
    assert client_for(personas["reviewer"]).get(url).status_code == status


def test_a_report_received_after_the_campaign_is_refused(campaign, personas, client_for, settings):
    settings.THIDUA_NOW = "2021-12-21T09:00:00+07:00"
    response = client_for(personas["reviewer"]).post(_url(), {**FIGURES, "received_on": "20/12/2021",
                                                              "reference": "45/BC-UBND"})
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == [
        "Ngày nhận 20/12/2021 ở sau ngày kết thúc phong trào (18/12/2021): báo cáo nhận sau đó không được tính."]
    assert not Report.objects.exists()


def test_the_entry_form_starts_from_the_units_latest_report_like_its_own_form(campaign, personas, client_for):
    """Scoring takes the procedures from the latest report: an entry that left them empty would drop
    the unit's procedures criterion, so the form opens with them (and the plan) as the unit's own does."""
    procedures = ("Đăng ký khai sinh", "Chứng thực bản sao từ bản chính", "Cấp bản sao trích lục hộ tịch")
    submit(campaign, personas["commune_reporter"], "2021-08", on=date(2021, 8, 20), procedures=procedures[:1])
    submit(campaign, personas["commune_reporter"], "2021-09", on=date(2021, 9, 20), procedures=procedures)
    before = next(c for c in campaign_result(campaign).scorecards if c.code == "X-TAN-HOA")
    client = client_for(personas["reviewer"])
    page = client.get(_url())
    form = page.context["form"]
    assert form.initial == {"procedures": "\n".join(procedures), "has_plan": True}
    html = page.content.decode()
    textarea = html.split('name="procedures"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    assert textarea.strip().splitlines() == list(procedures)
    assert 'name="has_plan" id="id_has_plan" checked' in html
    # the reviewer types the figures only: the browser sends the pre-filled list and checkbox back
    posted = {**FIGURES, "procedures": textarea, "has_plan": "on", "received_on": "25/10/2021",
              "reference": "45/BC-UBND"}
    response = client.post(_url(), posted)
    assert response.status_code == 302
    entered = Report.objects.get(unit__code="X-TAN-HOA", month="2021-10").current
    assert entered.procedures == list(procedures) and entered.has_plan
    after = next(c for c in campaign_result(campaign).scorecards if c.code == "X-TAN-HOA")
    assert after.criteria_points["procedures"] == before.criteria_points["procedures"] > 0


def test_the_entry_form_of_a_unit_without_an_earlier_report_starts_empty(campaign, personas, client_for):
    assert client_for(personas["reviewer"]).get(_url()).context["form"].initial == {}


def test_a_month_not_begun_offers_nothing_to_enter(campaign, personas, client_for):
    """On 1 November the office cannot have received a report for a month still to come: the matrix offered
    «Nhập thay» in every cell and the form then refused whatever date was typed."""
    client = client_for(personas["reviewer"])
    page = client.get(reverse("review-matrix")).content.decode()
    assert _url("X-TAN-HOA", "2021-11") in page  # November has begun
    with override_settings(THIDUA_NOW="2021-10-20T09:00:00+07:00"):
        page = client.get(reverse("review-matrix")).content.decode()
        assert _url("X-TAN-HOA", "2021-10") in page
        assert _url("X-TAN-HOA", "2021-11") not in page
        response = client.get(_url("X-TAN-HOA", "2021-11"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("review-matrix")
    assert "Chưa đến tháng 11/2021: báo cáo tháng này nộp được từ ngày 01/11/2021." in response.content.decode()
