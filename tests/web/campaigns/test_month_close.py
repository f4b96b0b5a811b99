"""month_close: a closed month is frozen; later findings show as recalculations; closing twice is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import at_once, submit
from thidua.campaigns.models import MonthSnapshot
from thidua.campaigns.services import month_close
from thidua.core.models import AuditEvent
from thidua.reports.services import report_mark_untruthful


@pytest.fixture
def july(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20))
    return submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))


def frozen_unit(snapshot, code):
    return next(u for u in snapshot.result["units"] if u["code"] == code)


def test_closing_a_month_freezes_its_standing(campaign, july, personas, client_for):
    rita = personas["reviewer"]
    with override_settings(THIDUA_NOW="2021-08-02T08:00:00+07:00"):
        response = client_for(rita).post(reverse("month-close"), {"month": "2021-07"})
    assert response["Location"] == reverse("rankings") + "?thang=2021-07"
    snapshot = MonthSnapshot.objects.get()
    assert (snapshot.month, snapshot.as_of, snapshot.closed_by) == ("2021-07", date(2021, 7, 31), rita)
    assert snapshot.closed_at.isoformat() == "2021-08-02T01:00:00+00:00"  # dated by the application's clock
    tan_hoa = frozen_unit(snapshot, "X-TAN-HOA")
    assert tan_hoa["penalty"] == 0
    assert frozen_unit(snapshot, "TT-MOT-NGAN")["penalty"] == -10  # June and July missing
    event = AuditEvent.objects.get(action="month.closed")
    assert (event.actor, event.after) == (rita, {"month": "2021-07", "as_of": "2021-07-31"})


def test_a_later_untruthful_finding_shows_as_a_recalculation_of_the_closed_month(campaign, july, personas,
                                                                              client_for):
    rita = personas["reviewer"]
    snapshot = month_close(campaign=campaign, actor=rita, month="2021-07")
    client = client_for(rita)
    html = client.get(reverse("rankings"), {"thang": "2021-07"}).content.decode()
    assert "Không có thay đổi nào sau khi chốt." in html
    assert "Kết quả tháng 7/2021 đã chốt lúc" in html and "Tháng tháng" not in html
    assert "tháng 7/2021 đã chốt</p>" in html and "kết quả tạm tính" not in html

    with override_settings(THIDUA_NOW="2021-11-15T14:00:00+07:00"):
        report_mark_untruthful(report=july, actor=rita, reason="Phúc tra: số tài khoản cao hơn danh sách Cổng.")
    html = client.get(reverse("rankings"), {"thang": "2021-07"}).content.decode()
    assert "Tính lại so với kết quả đã chốt" in html and "đánh dấu không trung thực" in html
    recalculation = html.split("Tính lại so với kết quả đã chốt", 1)[1].split("</table>", 1)[0]
    old_total = frozen_unit(snapshot, "X-TAN-HOA")["total"]
    row = recalculation.split("Xã Tân Hòa", 1)[1].split("</tr>", 1)[0]
    from thidua.core.templatetags.vn import points

    assert f">{points(old_total)}<" in row
    assert f">{points(old_total - 2)}<" in row
    snapshot.refresh_from_db()
    assert frozen_unit(snapshot, "X-TAN-HOA")["total"] == old_total  # the frozen standing did not move


def test_closing_a_month_twice_is_refused(campaign, july, personas, client_for):
    rita = personas["reviewer"]
    month_close(campaign=campaign, actor=rita, month="2021-07")
    with pytest.raises(ValidationError, match=r"Tháng này đã được chốt\."):
        month_close(campaign=campaign, actor=rita, month="2021-07")
    response = client_for(rita).post(reverse("month-close"), {"month": "2021-07"}, follow=True)
    assert "Tháng này đã được chốt." in response.content.decode()
    assert MonthSnapshot.objects.count() == 1
    assert AuditEvent.objects.filter(action="month.closed").count() == 1


@pytest.mark.parametrize("month", ["2021-12", "2021-13", "abc", ""])
def test_a_month_outside_the_reporting_months_cannot_be_closed(campaign, personas, client_for, month):
    response = client_for(personas["reviewer"]).post(reverse("month-close"), {"month": month}, follow=True)
    assert response.status_code == 200
    assert "Tháng này không thuộc kỳ báo cáo của phong trào." in response.content.decode()
    assert not MonthSnapshot.objects.exists()


def test_a_month_cannot_be_closed_before_it_is_over(campaign, july, personas):
    with override_settings(THIDUA_NOW="2021-07-27T08:00:00+07:00"), \
            pytest.raises(ValidationError, match=r"Tháng chưa kết thúc; chỉ chốt được từ ngày 01/08/2021\."):
        month_close(campaign=campaign, actor=personas["reviewer"], month="2021-07")
    assert not MonthSnapshot.objects.exists()


def test_the_reviewer_is_told_what_is_left_to_review_before_and_after_closing(campaign, july, personas, client_for):
    from thidua.reports.services import report_return

    submit(campaign, personas["department_reporter"], "2021-07", on=date(2021, 7, 21))
    report_return(report=july, actor=personas["reviewer"], reason="Thiếu minh chứng số tài khoản tạo mới.")
    client = client_for(personas["reviewer"])
    with override_settings(THIDUA_NOW="2021-08-02T08:00:00+07:00"):
        page = client.get(reverse("rankings") + "?thang=2021-07").content.decode()
        left = "1 báo cáo chờ thẩm định, 1 báo cáo đã trả lại, chưa điều chỉnh"
        assert f"Còn {left} của tháng 7/2021 — nên thẩm định xong trước khi chốt" in page
        assert f'data-confirm="Chốt kết quả tháng 7/2021? Còn {left}. Kết quả sẽ được lưu cố định."' in page
        page = client.post(reverse("month-close"), {"month": "2021-07"}, follow=True).content.decode()
    assert f"Lúc chốt còn {left}: kết quả thẩm định sau đó hiện là phần tính lại." in page
    leader_page = client_for(personas["leader"]).get(reverse("rankings") + "?thang=2021-06").content.decode()
    assert "nên thẩm định xong" not in leader_page


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_closing_the_same_month_at_once_get_it_closed_once_and_a_message(campaign, july, personas,
                                                                                       settings):
    # PostgreSQL: the second did not see the first's uncommitted snapshot and failed on the unique
    # constraint: an error 500 instead of «Tháng này đã được chốt.»
    settings.THIDUA_NOW = "2021-08-02T08:00:00+07:00"

    def close():
        month_close(campaign=campaign, actor=personas["reviewer"], month="2021-07")
        return "closed"

    outcomes = [o.messages if isinstance(o, ValidationError) else o for o in at_once(close, close)]
    assert sorted(outcomes, key=str) == [["Tháng này đã được chốt."], "closed"]
    assert MonthSnapshot.objects.count() == 1 == AuditEvent.objects.filter(action="month.closed").count()


def test_a_unit_retired_after_the_month_was_closed_shows_in_its_recalculation(campaign, july, personas, client_for):
    """Merged into another commune after July was closed: the closed month's comparison says it is no longer in
    the standing (it was dropped without a word, while the ranks of the others moved)."""
    from thidua.campaigns.services import campaign_touch
    from thidua.core.templatetags.vn import points
    from thidua.units.models import Unit

    rita = personas["reviewer"]
    snapshot = month_close(campaign=campaign, actor=rita, month="2021-07")
    Unit.objects.filter(code="X-TAN-HOA").update(active=False)
    campaign_touch(campaign=campaign)
    html = client_for(rita).get(reverse("rankings"), {"thang": "2021-07"}).content.decode()
    assert "Không có thay đổi nào sau khi chốt." not in html
    assert "khi danh mục đơn vị thay đổi (đơn vị thêm mới, ngừng hoạt động hoặc chuyển nhóm)" in html
    recalculation = html.split("Tính lại so với kết quả đã chốt", 1)[1].split("</table>", 1)[0]
    row = recalculation.split("Xã Tân Hòa (không còn tham gia phong trào)", 1)[1].split("</tr>", 1)[0]
    assert f">{points(frozen_unit(snapshot, 'X-TAN-HOA')['total'])}<" in row
    assert ">—<" in row
