"""A finding or a withdrawal refused because a colleague's was made meanwhile (two reviewers, or a page left open) is
refused in words above the page: the page shows the other form, which cannot hold the form's error (it was a page
without a word, error 400)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.conftest import make_user, submit
from tests.web.reports.test_review_shown import REASON, shown
from thidua.core.models import AuditEvent
from thidua.units.models import User


@pytest.fixture
def report(campaign, personas):
    return submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))


def test_a_finding_sent_after_a_colleague_s_own_finding_is_refused_in_words(report, personas, client_for):
    from thidua.reports.services import report_mark_untruthful

    colleague = make_user("van", User.Role.REVIEWER, personas["reviewer"].unit)
    client = client_for(personas["reviewer"])
    url = f"/bao-cao/chi-tiet/{report.pk}/khong-trung-thuc/"
    page = client.get(f"/bao-cao/chi-tiet/{report.pk}/").content.decode()
    report_mark_untruthful(report=report, actor=colleague, reason=REASON)

    response = client.post(url, {**shown(page, url), "reason": "Phúc tra lần hai: số hồ sơ không khớp."})
    assert response.status_code == 400
    assert "Báo cáo này đã bị kết luận không trung thực." in response.content.decode()  # not a page without a word
    report.refresh_from_db()
    assert (report.untruthful_by, report.untruthful_reason) == (colleague, REASON)


def test_a_withdrawal_sent_after_a_colleague_s_withdrawal_is_refused_in_words(report, personas, client_for):
    from thidua.reports.services import report_mark_untruthful, report_untruthful_withdraw

    colleague = make_user("van", User.Role.REVIEWER, personas["reviewer"].unit)
    report_mark_untruthful(report=report, actor=colleague, reason=REASON)
    client = client_for(personas["reviewer"])
    client.get(f"/bao-cao/chi-tiet/{report.pk}/")
    report_untruthful_withdraw(report=report, actor=colleague, reason="Giải trình của đơn vị được chấp nhận.")

    response = client.post(f"/bao-cao/chi-tiet/{report.pk}/huy-khong-trung-thuc/",
                           {"reason": "Kết luận nhầm đơn vị, hủy kết luận."})
    assert response.status_code == 400
    assert "Báo cáo này không bị kết luận không trung thực." in response.content.decode()
    assert AuditEvent.objects.filter(action="report.untruthful_withdrawn").count() == 1
