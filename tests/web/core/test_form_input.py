"""Form input arrives as people see it: invisible control characters (NUL, pasted from Word) never
reach a form, so no English "Null characters are not allowed" and no document that cannot be built."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.web.conftest import submit
from thidua.core.models import AuditEvent
from thidua.reports.models import Report


@pytest.fixture
def report(campaign, personas):
    return submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))


def test_a_reason_pasted_from_word_is_kept_as_seen(report, personas, client_for):
    response = client_for(personas["reviewer"]).post(
        reverse("report-return", args=[report.pk]),
        {"reason": "Thiếu\x00 minh chứng\x0bbổ sung\x01 số liệu tháng 7"}, follow=True)
    assert "Null characters" not in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "Thiếu minh chứng\nbổ sung số liệu tháng 7")


def test_a_reason_of_nothing_but_invisible_characters_is_no_reason(report, personas, client_for):
    response = client_for(personas["reviewer"]).post(
        reverse("report-return", args=[report.pk]), {"reason": "\x00" * 30}, follow=True)
    assert "Vui lòng ghi lý do." in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert not AuditEvent.objects.filter(action="report.returned").exists()


def test_a_report_form_with_a_nul_character_is_saved_without_it(campaign, personas, client_for, settings):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"
    client = client_for(personas["commune_reporter"])
    response = client.post(reverse("report-submit", args=["2021-07"]), {
        "new_accounts": "300", "dossiers_online": "40", "due": "40", "resolved_on_time": "39",
        "dossiers_in_person": "80", "has_plan": "on", "procedures": "Đăng ký khai sinh\x00\nChứng thực\x0bbản sao",
        "initiatives": "Tổ hỗ trợ\x07 người dân", "note": "",
    }, follow=True)
    assert "Null characters" not in response.content.decode()
    version = Report.objects.get(unit__code="X-TAN-HOA", month="2021-07").current
    assert version.initiatives == "Tổ hỗ trợ người dân"
    assert list(version.procedures) == ["Đăng ký khai sinh", "Chứng thực", "bản sao"]


@pytest.mark.parametrize("url", ["/nhat-ky/?don_vi=X-TAN-HOA%00", "/nhat-ky/?hanh_dong=report.returned%00",
                                 "/khen-thuong/de-cu/?don_vi=X-TAN-HOA%00"])
def test_a_filter_in_the_address_is_read_without_its_invisible_characters(campaign, personas, client_for, url):
    # a query string is a form sent by GET: PostgreSQL refused the NUL in the lookup (an error 500 there)
    response = client_for(personas["reviewer"]).get(url)
    assert response.status_code == 200
    assert "X-TAN-HOA\x00" not in response.content.decode()
