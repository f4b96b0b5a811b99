"""The reviewer's forms (verify, return, untruthful) carry the version and status of the report their page showed:
a decision is never applied to a version the reviewer has not seen (a correction sent meanwhile), nor over a
colleague's review made meanwhile. Refused in words, nothing written, what was typed kept; sent again from the
page now shown, it is applied."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from tests.web.conftest import at_once, figures, make_user, submit
from thidua.core.models import AuditEvent
from thidua.reports.models import Report
from thidua.reports.services import report_submit, report_verify
from thidua.units.models import User

REASON = "Phúc tra: số tài khoản cao hơn danh sách trên Cổng DVC."
CORRECTED_AT = "2021-07-21T10:15:00+07:00"


@pytest.fixture(autouse=True)
def _july(settings):
    settings.THIDUA_NOW = "2021-07-22T09:00:00+07:00"


@pytest.fixture
def report(campaign, personas):
    return submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))


def shown(page: str, action: str) -> dict:
    """The hidden fields of the page's form posting to ``action`` (its URL)."""
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="(version|status)" value="([^"]*)"', form))


def correct(campaign, personas, **overrides):
    submit(campaign, personas["commune_reporter"], "2021-07", on=CORRECTED_AT, new_accounts=320,
           note="Bổ sung số tài khoản", **overrides)


def test_a_verification_sent_from_a_page_opened_before_a_correction_is_refused(report, campaign, personas,
                                                                              client_for):
    client = client_for(personas["reviewer"])
    url = f"/bao-cao/chi-tiet/{report.pk}/xac-nhan/"
    page = client.get(f"/bao-cao/chi-tiet/{report.pk}/").content.decode()
    assert shown(page, url) == {"version": "1", "status": "submitted"}
    correct(campaign, personas)  # version 2, which the reviewer has not seen

    response = client.post(url, shown(page, url), follow=True)
    assert ("Báo cáo tháng 7/2021 đã có phiên bản 2 (nộp lúc 10:15 ngày 21/07/2021, alice) sau khi bạn mở trang "
            "này, nên chưa xác nhận báo cáo. Hãy xem phiên bản đó rồi thẩm định lại.") in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted" and report.reviewed_by is None
    assert not AuditEvent.objects.filter(action="report.verified").exists()

    page = response.content.decode()  # the page now shown: version 2
    assert shown(page, url) == {"version": "2", "status": "submitted"}
    client.post(url, shown(page, url))
    report.refresh_from_db()
    assert (report.status, report.current.number) == ("verified", 2)


def test_a_return_sent_after_a_colleague_verified_the_report_is_refused_and_its_reason_kept(report, personas,
                                                                                           client_for):
    colleague = make_user("van", User.Role.REVIEWER, personas["reviewer"].unit)
    client = client_for(personas["reviewer"])
    url = f"/bao-cao/chi-tiet/{report.pk}/tra-lai/"
    page = client.get(f"/bao-cao/chi-tiet/{report.pk}/").content.decode()
    report_verify(report=report, actor=colleague)

    response = client.post(url, {**shown(page, url), "reason": "Thiếu biên bản kiểm tra tài khoản."})
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Báo cáo tháng 7/2021 đã được van xác nhận lúc 09:00 ngày 22/07/2021 sau khi bạn mở trang này, nên "
            "chưa trả lại báo cáo. Hãy xem lại tình trạng hiện tại của báo cáo.") in html
    assert ">Thiếu biên bản kiểm tra tài khoản.</textarea>" in html
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == ("verified", colleague)
    assert not AuditEvent.objects.filter(action="report.returned").exists()

    assert shown(html, url) == {"version": "1", "status": "verified"}  # sent again from this page: returned
    client.post(url, {**shown(html, url), "reason": "Thiếu biên bản kiểm tra tài khoản."})
    report.refresh_from_db()
    assert report.status == "returned"


def test_an_untruthful_finding_on_figures_corrected_meanwhile_is_refused_and_kept(report, campaign, personas,
                                                                                  client_for):
    client = client_for(personas["reviewer"])
    url = f"/bao-cao/chi-tiet/{report.pk}/khong-trung-thuc/"
    page = client.get(f"/bao-cao/chi-tiet/{report.pk}/").content.decode()
    correct(campaign, personas)
    finding = {**shown(page, url), "reason": REASON, "correct": "on", "new_accounts": "250", "dossiers_online": "40",
               "due": "40", "resolved_on_time": "39", "dossiers_in_person": "80"}

    response = client.post(url, finding)
    html = response.content.decode()
    assert response.status_code == 400
    assert "đã có phiên bản 2 (nộp lúc 10:15 ngày 21/07/2021, alice) sau khi bạn mở trang này, nên chưa kết luận " \
           "báo cáo không trung thực." in html
    assert REASON in html and 'value="250"' in html
    report.refresh_from_db()
    assert not report.untruthful and report.current.number == 2
    assert shown(html, url)["version"] == "2"
    client.post(url, {**finding, **shown(html, url)})
    report.refresh_from_db()
    assert report.untruthful and (report.current.number, report.current.new_accounts) == (3, 250)


@pytest.mark.django_db(transaction=True)
def test_a_verification_sent_while_the_unit_corrects_is_not_applied_to_the_correction(report, campaign, personas):
    """PostgreSQL: the verification waits for the correction's lock, then finds version 2, which the page did not
    show (before, it verified it)."""
    reviewer = Client()
    reviewer.force_login(personas["reviewer"])
    alice = personas["commune_reporter"]

    def verify():
        return reviewer.post(f"/bao-cao/chi-tiet/{report.pk}/xac-nhan/", {"version": "1", "status": "submitted"},
                             follow=True)

    def corrected():
        return report_submit(campaign=campaign, unit=alice.unit, month="2021-07", actor=alice,
                             data=figures(new_accounts=320), based_on=1)

    first, second = at_once(corrected, verify)
    assert isinstance(first, Report), first
    assert "đã có phiên bản 2" in second.content.decode()
    report.refresh_from_db()
    assert (report.current.number, report.status) == (2, "submitted")
    assert not AuditEvent.objects.filter(action="report.verified").exists()

