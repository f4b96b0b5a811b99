"""Two reviewers writing the same award records at the same moment, each in its own connection (PostgreSQL shows
the race; the tests' in-memory SQLite database runs the two one after the other, tests.web.conftest.at_once)."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.test.utils import override_settings

from tests.web.awards.conftest import close, report
from tests.web.conftest import at_once, make_user
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
from thidua.units.models import Unit, User

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


# ----- a month's decision sent from a page opened before a colleague's --------------------------------------

MONTH_URL = "/khen-thuong/hang-thang/2021-06/"
OTHER_CHOICE = {"unit": "TT-MOT-NGAN", "ceremony_date": "06/07/2021", "reason": "Hội đồng chọn đơn vị có mô hình mới."}


def shown_on(page: str) -> str:
    """The award the decision form was opened on, as its hidden field carries it ("" none)."""
    field = re.search(r'<input type="hidden" name="shown"[^>]*>', page)
    value = field and re.search(r'value="([^"]*)"', field[0])
    return value[1] if value else ""


@pytest.fixture
def june_closed(standing, personas, settings):
    settings.THIDUA_NOW = "2021-07-01T10:00:00+07:00"
    close(standing, "2021-06", personas["reviewer"])
    return standing


def test_a_decision_sent_from_a_page_opened_before_a_colleague_s_does_not_overturn_it(june_closed, personas,
                                                                                     client_for):
    # Before, the second decision silently became an adjustment of the first, which its sender had not seen.
    colleague = make_user("van", User.Role.REVIEWER, personas["reviewer"].unit)
    client = client_for(personas["reviewer"])
    stale = shown_on(client.get(MONTH_URL).content.decode())
    assert stale == ""
    monthly_award_decide(campaign=june_closed, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                         ceremony_date=date(2021, 7, 5), actor=colleague)

    response = client.post(MONTH_URL, {**OTHER_CHOICE, "shown": stale})
    page = response.content.decode()
    assert response.status_code == 400
    assert ("Khen thưởng tháng 6/2021 đã được van quyết định cho Thị trấn Cái Tắc (lúc 10:00 ngày 01/07/2021, ngày "
            "trao 05/07/2021) hoặc điều chỉnh sau khi bạn mở trang này, nên lựa chọn của bạn chưa được ghi.") in page
    assert "Hội đồng chọn đơn vị có mô hình mới." in page and 'value="06/07/2021"' in page  # kept
    award = MonthlyAward.objects.get()
    assert (award.unit.code, award.decided_by) == ("TT-CAI-TAC", colleague)
    assert not AuditEvent.objects.filter(action="monthly_award.changed").exists()

    from thidua.awards.services import award_shown

    assert shown_on(page) == award_shown(award) != ""  # sent again from this page: the adjustment is made
    assert client.post(MONTH_URL, {**OTHER_CHOICE, "shown": shown_on(page)}).status_code == 302
    assert MonthlyAward.objects.get().unit.code == "TT-MOT-NGAN"


def test_two_reviewers_deciding_a_month_at_once_leave_the_first_decision_and_a_message(june_closed, personas):
    """PostgreSQL: the second waits for the first's lock, then finds the award its page did not show."""
    colleague = make_user("van", User.Role.REVIEWER, personas["reviewer"].unit)
    first_client, second_client = Client(), Client()
    first_client.force_login(personas["reviewer"])
    second_client.force_login(colleague)

    def decide(client, data):
        return lambda: client.post(MONTH_URL, {**data, "shown": ""})

    first, second = at_once(decide(first_client, {"unit": "TT-CAI-TAC", "ceremony_date": "05/07/2021", "reason": ""}),
                            decide(second_client, OTHER_CHOICE))
    assert sorted(r.status_code for r in (first, second)) == [302, 400]
    assert "nên lựa chọn của bạn chưa được ghi" in next(r for r in (first, second) if r.status_code == 400
                                                          ).content.decode()
    award = MonthlyAward.objects.get()
    assert (award.unit.code, award.decided_by) == ("TT-CAI-TAC", personas["reviewer"])
    assert AuditEvent.objects.filter(action__startswith="monthly_award.").count() == 1


# ----- nominations while the year-end list is locked ----------------------------------------------------------

def _nominee(standing, personas):
    from thidua.awards.services import NominationData, nomination_create

    return nomination_create(campaign=standing, unit=personas["commune_reporter"].unit, actor=personas["reviewer"],
                             data=NominationData(full_name="Nguyễn Văn Một", position="Công chức Tư pháp - Hộ tịch",
                                                 achievement="Hướng dẫn người dân tạo tài khoản trên Cổng."))


@pytest.mark.parametrize("change", ["update", "delete"])
def test_a_nomination_changed_while_the_list_is_locked_is_refused(standing, personas, settings, change):
    # Changing or withdrawing a nomination took no lock: sent while the list was being locked, it went through
    # after it (the locked list's nominee withdrawn, or renamed, behind its back).
    from thidua.awards.models import Nomination
    from thidua.awards.services import NominationData, nomination_delete, nomination_update

    nomination = _nominee(standing, personas)
    settings.THIDUA_NOW = "2021-12-20T10:00:00+07:00"

    def edit():
        if change == "delete":
            return nomination_delete(nomination=nomination, actor=personas["commune_reporter"])
        return nomination_update(nomination=nomination, actor=personas["commune_reporter"],
                                 data=NominationData(full_name="Trần Thị Hai", position="Công chức Văn phòng",
                                                     achievement="Hướng dẫn người dân nộp hồ sơ trực tuyến."))

    first, second = at_once(lambda: year_end_list_record(campaign=standing, actor=personas["reviewer"]), edit)
    assert isinstance(second, ValidationError), (first, second)
    assert second.messages == ["Danh sách đề nghị đã chốt: không thể thay đổi cá nhân đề cử."]
    assert Nomination.objects.get().full_name == "Nguyễn Văn Một"


def test_a_decision_number_sent_from_a_page_opened_before_the_month_was_decided_again_is_refused(
        june_closed, personas, client_for):
    # Before, the number of the earlier decision's signed Quyết định (Thị trấn Cái Tắc) was recorded on the new
    # decision (Thị trấn Một Ngàn) and printed on its Giấy khen.
    colleague = make_user("van", User.Role.REVIEWER, personas["reviewer"].unit)
    monthly_award_decide(campaign=june_closed, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                         ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])
    client = client_for(personas["reviewer"])
    page = client.get(MONTH_URL).content.decode()
    form = page.split('/so-quyet-dinh/"', 1)[1].split("</form>", 1)[0]
    decided = dict(re.findall(r'<input type="hidden" name="(decided)" value="([^"]*)"', form))
    monthly_award_decide(campaign=june_closed, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                         ceremony_date=date(2021, 7, 5), reason="Hội đồng chọn đơn vị có mô hình mới.",
                         actor=colleague)

    number = {"decision_number": "125/QĐ-UBND", "decision_date": "01/07/2021"}
    response = client.post(MONTH_URL + "so-quyet-dinh/", {**number, **decided})
    html = response.content.decode()
    assert response.status_code == 400
    assert ("Khen thưởng tháng 6/2021 đã được van quyết định lại cho Thị trấn Một Ngàn lúc 10:00 ngày 01/07/2021 sau "
            "khi bạn mở trang này, nên số Quyết định chưa được ghi (số đó là của quyết định trước).") in html
    assert MonthlyAward.objects.get().decision_number == ""
    assert 'value="125/QĐ-UBND"' in html  # what was typed
