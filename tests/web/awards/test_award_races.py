"""Two reviewers writing the same award records at the same moment, each in its own connection (PostgreSQL shows
the race; the tests' in-memory SQLite database runs the two one after the other, tests.web.conftest.at_once)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from tests.web.awards.conftest import close, report
from tests.web.conftest import at_once
from thidua.awards.models import AwardMeeting, DistrictOfficials, MonthlyAward
from thidua.awards.services import (
    MeetingData,
    award_meeting_update,
    district_officials_update,
    monthly_award_decide,
    monthly_award_record_decision,
    year_end_decision_record,
    year_end_list_record,
)
from thidua.core.models import AuditEvent
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def june_and_july(standing, personas, settings):
    """June's and July's awards decided, neither decision's number recorded yet."""
    reviewer = personas["reviewer"]
    report(standing, "TT-CAI-TAC", "2021-07")
    settings.THIDUA_NOW = "2021-08-03T10:00:00+07:00"
    close(standing, "2021-06", reviewer)
    close(standing, "2021-07", reviewer)
    cai_tac = Unit.objects.get(code="TT-CAI-TAC")
    june = monthly_award_decide(campaign=standing, month="2021-06", unit=cai_tac, ceremony_date=date(2021, 7, 5),
                                actor=reviewer)
    july = monthly_award_decide(campaign=standing, month="2021-07", unit=cai_tac, ceremony_date=date(2021, 8, 2),
                                actor=reviewer)
    return june, july


def test_one_number_recorded_for_two_months_at_once_is_taken_by_one(june_and_july, personas):
    # Each month's recording locked its own award only: neither saw the other's uncommitted number, and one
    # Quyết định number served two months' decisions.
    june, july = june_and_july

    def record(award, signed_on):
        return lambda: monthly_award_record_decision(award=award, number="125/QĐ-UBND", signed_on=signed_on,
                                                     actor=personas["reviewer"])

    first, second = at_once(record(june, date(2021, 8, 3)), record(july, date(2021, 8, 3)))
    assert isinstance(first, MonthlyAward) and isinstance(second, ValidationError), (first, second)
    assert second.messages == ["Số 125/QĐ-UBND đã ghi cho Quyết định khen thưởng tháng 6/2021."]
    assert list(MonthlyAward.objects.filter(decision_number="125/QĐ-UBND").values_list("month", flat=True)) == [
        "2021-06"]


def test_the_year_end_and_a_months_decision_cannot_take_one_number_at_once(june_and_july, personas, standing,
                                                                          settings):
    june, _ = june_and_july
    settings.THIDUA_NOW = "2021-12-20T10:00:00+07:00"
    year_end_list_record(campaign=standing, actor=personas["reviewer"])

    def year_end():
        return year_end_decision_record(campaign=standing, number="310/QĐ-UBND", signed_on=date(2021, 12, 20),
                                        actor=personas["reviewer"])

    def month():
        return monthly_award_record_decision(award=june, number="310/QĐ-UBND", signed_on=date(2021, 8, 3),
                                             actor=personas["reviewer"])

    first, second = at_once(year_end, month)
    assert isinstance(second, ValidationError), (first, second)
    assert second.messages == ["Số 310/QĐ-UBND đã ghi cho Quyết định khen thưởng cuối năm."]
    june.refresh_from_db()
    assert june.decision_number == ""


OFFICIALS = dict(chairman_name="Nguyễn Văn A", head_of_home_affairs_name="Trần Thị B", district="Châu Thành A",
                 province="Hậu Giang")


def test_the_officials_saved_for_the_first_time_by_two_reviewers_at_once_are_saved_twice(campaign, personas):
    # Neither saw the other's uncommitted row: the second failed on the one-per-campaign constraint (error 500).
    def save(chairman):
        return lambda: district_officials_update(campaign=campaign, actor=personas["reviewer"],
                                                 **{**OFFICIALS, "chairman_name": chairman})

    outcomes = at_once(save("Nguyễn Văn A"), save("Lê Văn C"))
    assert [type(o) for o in outcomes] == [DistrictOfficials, DistrictOfficials], outcomes
    assert DistrictOfficials.objects.get().chairman_name == "Lê Văn C"  # the later one, as one after the other
    assert AuditEvent.objects.filter(action="awards.district_updated").count() == 2


def test_the_meeting_saved_for_the_first_time_by_two_reviewers_at_once_is_saved_twice(campaign, personas):
    def save(place):
        data = MeetingData(date=date(2021, 12, 10), time_start=time(8), time_end=time(10), place=place,
                           chair_name="Nguyễn Văn A", chair_position="Chủ tịch", secretary_name="Trần Thị B",
                           secretary_position="Chuyên viên")
        return lambda: award_meeting_update(campaign=campaign, actor=personas["reviewer"], data=data)

    with override_settings(THIDUA_NOW="2021-12-20T10:00:00+07:00"):
        outcomes = at_once(save("Phòng họp số 1"), save("Hội trường UBND huyện"))
    assert [type(o) for o in outcomes] == [AwardMeeting, AwardMeeting], outcomes
    assert AwardMeeting.objects.get().place == "Hội trường UBND huyện"
