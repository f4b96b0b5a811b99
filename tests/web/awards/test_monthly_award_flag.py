"""A later untruthful finding on the awarded unit's report for that month flags the award."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.awards.conftest import close, report
from thidua.awards.models import MonthlyAward
from thidua.awards.services import monthly_award_decide
from thidua.core.models import AuditEvent
from thidua.reports.services import report_mark_untruthful
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(campaign, personas):
    june = report(campaign, "TT-MOT-NGAN", accounts=1800)
    other = report(campaign, "X-TAN-HOA", accounts=1700)
    july = report(campaign, "TT-MOT-NGAN", "2021-07", accounts=100)
    close(campaign, "2021-06", personas["reviewer"])
    monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                         ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])
    return {"june": june, "other": other, "july": july}


def test_an_untruthful_finding_on_the_awarded_report_flags_the_award_for_the_head_of_home_affairs(
        awarded, personas, client_for):
    report_mark_untruthful(report=awarded["june"], actor=personas["reviewer"],
                           reason="Phúc tra: số tài khoản tháng 6 cao hơn danh sách trên Cổng.")
    award = MonthlyAward.objects.get()
    assert award.flagged and award.flagged_at is not None
    assert "Cần Trưởng phòng Nội vụ xem xét" in award.flag_reason and "Phúc tra" in award.flag_reason
    assert AuditEvent.objects.filter(action="monthly_award.flagged", unit_code="TT-MOT-NGAN").exists()
    client = client_for(personas["reviewer"])
    for url in ("/khen-thuong/", "/khen-thuong/hang-thang/2021-06/"):
        page = client.get(url).content.decode()
        assert "Cần Trưởng phòng Nội vụ xem xét" in page and 'role="alert"' in page


def test_a_finding_on_another_units_report_does_not_flag_the_award(awarded, personas):
    report_mark_untruthful(report=awarded["other"], actor=personas["reviewer"],
                           reason="Phúc tra: số hồ sơ không khớp với Cổng dịch vụ công.")
    assert not MonthlyAward.objects.get().flagged


def test_a_finding_on_the_same_units_report_for_another_month_does_not_flag_the_award(awarded, personas):
    report_mark_untruthful(report=awarded["july"], actor=personas["reviewer"],
                           reason="Phúc tra: số hồ sơ tháng 7 không khớp với Cổng.")
    assert not MonthlyAward.objects.get().flagged
    assert not AuditEvent.objects.filter(action="monthly_award.flagged").exists()
