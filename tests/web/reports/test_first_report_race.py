"""Two first reports of one unit and month sent at the same moment (a double tap, two reporters of the unit,
the reviewer's Nhập thay and the unit's own submission): one report, the other told in words, no error 500.

On PostgreSQL neither sees the other's uncommitted report: the second's insert waited on the unique constraint
(one report per unit and month), then failed with an IntegrityError (error 500). The in-memory SQLite database of
the tests runs the two one after the other (tests.web.conftest.at_once)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.web.conftest import at_once, figures, make_user
from thidua.core.models import AuditEvent
from thidua.reports.models import Report, ReportVersion
from thidua.reports.services import AlreadySaved, ReportMovedOn, report_enter_received, report_submit
from thidua.units.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _july(settings):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"


def _send(campaign, user, **overrides):
    """The unit's form opened before any report of July 2021 (based_on=0), sent."""
    return lambda: report_submit(campaign=campaign, unit=user.unit, month="2021-07", actor=user,
                                 data=figures(**overrides), based_on=0)


def test_a_first_report_tapped_twice_at_once_is_saved_once(campaign, personas):
    alice = personas["commune_reporter"]
    first, second = at_once(_send(campaign, alice), _send(campaign, alice))
    assert isinstance(first, Report) and isinstance(second, AlreadySaved), (first, second)
    assert second.report.pk == first.pk
    assert ReportVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.submitted").count() == 1


def test_two_reporters_of_a_unit_sending_the_first_report_at_once_leave_one_and_a_message(campaign, personas):
    alice = personas["commune_reporter"]
    colleague = make_user("alice-2", User.Role.REPORTER, alice.unit)
    first, second = at_once(_send(campaign, alice), _send(campaign, colleague, new_accounts=333))
    assert isinstance(first, Report) and isinstance(second, ReportMovedOn), (first, second)
    assert "đã có phiên bản 1 (nộp lúc 09:00 ngày 20/07/2021, alice) sau khi bạn mở trang này" in second.messages[0]
    report = Report.objects.get()
    assert (report.current.number, report.current.new_accounts, report.current.submitted_by) == (1, 300, alice)


def test_the_reviewer_entering_a_written_report_while_the_unit_sends_its_own_is_told_it_has_one(campaign, personas):
    def enter():
        return report_enter_received(campaign=campaign, unit=personas["commune_reporter"].unit, month="2021-07",
                                     actor=personas["reviewer"], data=figures(new_accounts=280),
                                     received_on=date(2021, 7, 19), reference="45/BC-UBND")

    first, second = at_once(_send(campaign, personas["commune_reporter"]), enter)
    assert isinstance(first, Report) and isinstance(second, ValidationError), (first, second)
    assert second.messages == ["Xã Tân Hòa đã có báo cáo tháng 7/2021; muốn điều chỉnh, hãy trả lại báo cáo để đơn "
                               "vị điều chỉnh."]
    report = Report.objects.get()
    assert (report.current.number, report.current.new_accounts) == (1, 300)
    assert not AuditEvent.objects.filter(action="report.entered_for_unit").exists()


def test_the_unit_sending_its_report_while_the_reviewer_enters_the_written_one_is_shown_it(campaign, personas):
    def enter():
        return report_enter_received(campaign=campaign, unit=personas["commune_reporter"].unit, month="2021-07",
                                     actor=personas["reviewer"], data=figures(new_accounts=280),
                                     received_on=date(2021, 7, 19), reference="45/BC-UBND")

    first, second = at_once(enter, _send(campaign, personas["commune_reporter"]))
    assert isinstance(first, Report) and isinstance(second, ReportMovedOn), (first, second)
    report = Report.objects.get()
    assert (report.current.number, report.current.new_accounts) == (1, 280)
