"""A unit that joined the campaign after it began (set up or merged mid-year: Unit.first_month) owes no
report for the months before: no penalty, nothing to submit, enter or remind,."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.web.conftest import figures, submit
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_result, reminder_list, submission_matrix
from thidua.reports.services import report_enter_received, report_submit
from thidua.units.models import Unit

OCT_10 = "2021-10-10T09:00:00+07:00"


@pytest.fixture
def joined_in_september(settings, campaign, personas):
    """Tân Hòa (alice) joined in September and reported September on time; Một Ngàn (bob) reported nothing."""
    settings.THIDUA_NOW = OCT_10
    Unit.objects.filter(code="X-TAN-HOA").update(first_month="2021-09")
    personas["commune_reporter"].unit.refresh_from_db()
    submit(campaign, personas["commune_reporter"], "2021-09", on=date(2021, 9, 20))
    return campaign


def _card(campaign, code):
    return next(c for c in campaign_result(campaign).scorecards if c.code == code)


def test_the_months_before_it_joined_are_neither_penalised_nor_owed(joined_in_september):
    tan_hoa, mot_ngan = _card(joined_in_september, "X-TAN-HOA"), _card(joined_in_september, "TT-MOT-NGAN")
    assert [s.state for s in tan_hoa.statuses[:4]] == ["not_required", "not_required", "not_required", "on_time"]
    assert tan_hoa.penalties == ()
    assert [p.month for p in mot_ngan.penalties] == ["2021-06", "2021-07", "2021-08", "2021-09"]
    assert "2021-06: đơn vị tham gia thi đua từ 2021-09, không phải báo cáo tháng này" in tan_hoa.notes


def test_the_review_matrix_shows_the_months_before_as_not_joined_with_nothing_to_enter(
        joined_in_september, personas, client_for):
    _, rows = submission_matrix(joined_in_september)
    cells = {unit.code: {c.month: c for c in row} for unit, row in rows}
    assert (cells["X-TAN-HOA"]["2021-08"].state, cells["X-TAN-HOA"]["2021-08"].label) == (
        "not_required", "Chưa tham gia")
    assert cells["TT-MOT-NGAN"]["2021-08"].state == "missing"
    page = client_for(personas["reviewer"]).get(reverse("review-matrix")).content.decode()
    assert reverse("report-enter", args=["X-TAN-HOA", "2021-08"]) not in page
    assert reverse("report-enter", args=["TT-MOT-NGAN", "2021-08"]) in page


def test_a_report_sent_before_the_joining_month_was_set_shows_as_not_joined_like_the_scorecard(
        settings, campaign, personas, client_for):
    settings.THIDUA_NOW = OCT_10
    july = submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 28))  # three days late
    Unit.objects.filter(code="X-TAN-HOA").update(first_month="2021-09")  # then the merge is recorded
    assert _card(campaign, "X-TAN-HOA").statuses[1].state == "not_required"
    _, rows = submission_matrix(campaign)
    cell = {unit.code: {c.month: c for c in row} for unit, row in rows}["X-TAN-HOA"]["2021-07"]
    assert (cell.state, cell.label, cell.report_id) == ("not_required", "Chưa tham gia", july.pk)
    page = client_for(personas["reviewer"]).get(reverse("review-matrix")).content.decode()
    assert reverse("report-detail", args=[july.pk]) in page and "Trễ 3 ngày" not in page


def test_the_reporter_has_nothing_to_submit_for_the_months_before(joined_in_september, personas, client_for):
    client = client_for(personas["commune_reporter"])
    page = client.get(reverse("report-list")).content.decode()
    assert "Không phải báo cáo (đơn vị tham gia từ tháng 9/2021)" in page
    assert reverse("report-submit", args=["2021-08"]) not in page
    assert reverse("report-submit", args=["2021-10"]) in page
    response = client.get(reverse("report-submit", args=["2021-08"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("report-list")
    assert "Xã Tân Hòa tham gia thi đua từ tháng 9/2021: không phải báo cáo tháng 8/2021." in response.content.decode()
    with pytest.raises(ValidationError, match="không phải báo cáo tháng 8/2021"):
        report_submit(campaign=joined_in_september, unit=personas["commune_reporter"].unit, month="2021-08",
                      actor=personas["commune_reporter"], data=figures())
    assert not Report.objects.filter(month="2021-08").exists()


def test_the_reviewer_cannot_enter_a_written_report_for_the_months_before(joined_in_september, personas,
                                                                          client_for):
    tan_hoa = personas["commune_reporter"].unit
    response = client_for(personas["reviewer"]).get(reverse("report-enter", args=["X-TAN-HOA", "2021-07"]),
                                                    follow=True)
    assert response.redirect_chain[-1][0] == reverse("review-matrix")
    assert "không phải báo cáo tháng 7/2021" in response.content.decode()
    with pytest.raises(ValidationError, match="không phải báo cáo tháng 7/2021"):
        report_enter_received(campaign=joined_in_september, unit=tan_hoa, month="2021-07",
                              actor=personas["reviewer"], data=figures(), received_on=date(2021, 7, 20),
                              reference="12/BC-UBND")
    assert not Report.objects.filter(month="2021-07").exists()


def test_no_reminder_goes_to_a_unit_for_a_month_before_it_joined(joined_in_september):
    august = {item.unit.code for item in reminder_list(joined_in_september, "2021-08").units}
    october = {item.unit.code for item in reminder_list(joined_in_september, "2021-10").units}
    assert "X-TAN-HOA" not in august and "TT-MOT-NGAN" in august
    assert "X-TAN-HOA" in october
