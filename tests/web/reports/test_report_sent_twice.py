"""A report form knows the version it was opened on: sent twice it saves once, and it never overwrites a version
its sender has not seen (a second tab, a colleague's correction)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import make_user
from tests.web.reports.test_report_submit import PDF, form_data
from thidua.core.models import AuditEvent
from thidua.reports.models import Report, ReportVersion
from thidua.units.models import User

URL = reverse("report-submit", args=["2021-07"])


@pytest.fixture(autouse=True)
def _july(settings):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"


def opened_on(page: str) -> str:
    """The version number the form was opened on, as its hidden field carries it."""
    return re.search(r'name="based_on" value="(\d+)"', page)[1]


def test_a_first_report_sent_twice_is_saved_once(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    based_on = opened_on(client.get(URL).content.decode())
    assert based_on == "0"
    first = client.post(URL, form_data(based_on=based_on))
    again = client.post(URL, form_data(based_on=based_on), follow=True)  # a double tap, or the network resending it
    report = Report.objects.get()
    assert first.status_code == 302 and again.redirect_chain[-1][0] == reverse("report-detail", args=[report.pk])
    assert ("Báo cáo này đã được ghi nhận (phiên bản 1); lần gửi lặp lại không tạo thêm phiên bản."
            in again.content.decode())
    assert ReportVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.submitted").count() == 1


def test_a_correction_with_its_evidence_sent_twice_is_saved_once(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    client.post(URL, form_data(based_on="0"))
    based_on = opened_on(client.get(URL).content.decode())
    assert based_on == "1"

    def correction():
        return form_data(based_on=based_on, new_accounts="320", note="Bổ sung biên bản",
                         evidence=[SimpleUploadedFile("bien-ban.pdf", PDF)])

    client.post(URL, correction())
    again = client.post(URL, correction(), follow=True)
    assert "đã được ghi nhận (phiên bản 2)" in again.content.decode()
    report = Report.objects.get()
    assert list(report.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert [a.original_name for a in report.current.attachments.all()] == ["bien-ban.pdf"]  # the photo once


def test_a_version_the_sender_has_not_seen_is_not_overwritten(campaign, personas, client_for, client):
    """Two reporters of Xã Tân Hòa open the correction form; the first one's correction is saved; the second
    one's, sent from the page opened before it, is refused with what happened and keeps what was typed; sent
    again as it is, it corrects the version now shown."""
    alice = personas["commune_reporter"]
    colleague = make_user("alice-2", User.Role.REPORTER, alice.unit)
    first = client_for(alice)
    first.post(URL, form_data(based_on="0"))
    stale = opened_on(first.get(URL).content.decode())
    client.force_login(colleague)
    assert opened_on(client.get(URL).content.decode()) == stale == "1"
    client.post(URL, form_data(based_on="1", new_accounts="333", note="Số tài khoản theo Cổng"))  # version 2

    first.force_login(alice)
    refused = first.post(URL, form_data(based_on=stale, new_accounts="350", note="Sửa số tài khoản"))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert ("Báo cáo tháng 7/2021 đã có phiên bản 2 (nộp lúc 09:00 ngày 20/07/2021, alice-2) sau khi bạn mở trang "
            "này, nên số liệu vừa gửi chưa được ghi.") in page
    assert 'value="350"' in page and opened_on(page) == "2"  # what was typed, now on the version shown
    assert Report.objects.get().current.new_accounts == 333

    sent_again = first.post(URL, form_data(based_on=opened_on(page), new_accounts="350", note="Sửa số tài khoản"))
    assert sent_again.status_code == 302
    assert (Report.objects.get().current.number, Report.objects.get().current.new_accounts) == (3, 350)


def test_the_reviewer_s_entry_form_has_no_version_to_check(campaign, personas, client_for):
    page = client_for(personas["reviewer"]).get(
        reverse("report-enter", args=["X-TAN-HOA", "2021-07"])).content.decode()
    assert 'name="based_on"' not in page and "dossiers_online" in page


def test_a_version_no_report_has_is_refused_in_words(campaign, personas, client_for):
    """A form made up with a version number for a month not reported yet: refused, nothing written (no error 500)."""
    page = client_for(personas["commune_reporter"]).post(URL, form_data(based_on="3"))
    assert page.status_code == 200
    assert "Trang báo cáo này không khớp với báo cáo của đơn vị; hãy mở lại trang rồi gửi." in page.content.decode()
    assert not Report.objects.exists()
