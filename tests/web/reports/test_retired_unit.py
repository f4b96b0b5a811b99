"""A unit retired in the middle of the campaign (merged into another, Unit.active = False): its reporter is
told so, not that the unit is someone else's."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.web.conftest import figures, submit
from thidua.reports.models import Report
from thidua.reports.services import report_submit
from thidua.units.models import Unit

NOW = "2021-11-20T09:00:00+07:00"
RETIRED = "Xã Tân Hòa đã ngừng tham gia phong trào (đơn vị đã ngừng hoạt động, như khi sáp nhập vào đơn vị khác): " \
          "không nộp, điều chỉnh báo cáo được nữa."


@pytest.fixture
def retired(settings, campaign, personas):
    """Tân Hòa (alice) reported October, then was merged into another commune and retired."""
    settings.THIDUA_NOW = NOW
    submit(campaign, personas["commune_reporter"], "2021-10", on=date(2021, 10, 20))
    Unit.objects.filter(code="X-TAN-HOA").update(active=False)
    personas["commune_reporter"].unit.refresh_from_db()
    return campaign


def test_the_reporter_of_a_retired_unit_is_told_it_no_longer_takes_part(retired, personas, client_for):
    client = client_for(personas["commune_reporter"])
    page = client.get(reverse("report-list")).content.decode()
    assert reverse("report-submit", args=["2021-11"]) not in page
    response = client.get(reverse("report-submit", args=["2021-11"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("report-list")
    assert RETIRED in response.content.decode()
    correction = client.get(reverse("report-submit", args=["2021-10"]), follow=True)
    assert RETIRED in correction.content.decode()
    sent = client.post(reverse("report-submit", args=["2021-11"]), {
        "based_on": 0, "new_accounts": 1, "procedures": "Đăng ký khai sinh", "dossiers_online": 1, "due": 1,
        "resolved_on_time": 1, "dossiers_in_person": 1, "has_plan": "on"})
    assert sent.status_code == 200
    assert RETIRED in sent.content.decode()
    with pytest.raises(ValidationError, match="đã ngừng tham gia phong trào"):
        report_submit(campaign=retired, unit=personas["commune_reporter"].unit, month="2021-11",
                      actor=personas["commune_reporter"], data=figures())
    assert not Report.objects.filter(month="2021-11").exists()


def test_the_reports_of_a_retired_unit_stay_open_to_the_reviewer_from_the_matrix(retired, personas, client_for):
    """The matrix lists the competing units; a merged commune's reports are listed below it, so that the office
    can still open one (and find it untruthful on a phúc tra)."""
    report = Report.objects.get(unit__code="X-TAN-HOA", month="2021-10")
    reviewer = client_for(personas["reviewer"])
    page = reviewer.get(reverse("review-matrix")).content.decode()
    former = page.split('data-testid="former-units"', 1)[1]
    assert "Đơn vị đã ngừng tham gia phong trào" in former
    assert (f'<a href="{reverse("unit-scorecard", args=["X-TAN-HOA"])}">Xã Tân Hòa</a>: '
            f'<a href="{reverse("report-detail", args=[report.pk])}">tháng 10/2021</a>') in former
    assert reviewer.get(reverse("report-detail", args=[report.pk])).status_code == 200
    from thidua.units.services import unit_save

    tan_hoa = Unit.objects.get(code="X-TAN-HOA")
    tan_hoa.active = True
    unit_save(unit=tan_hoa, actor=personas["admin"])  # back in (as /quan-tri/ saves it): in the matrix, not below
    assert 'data-testid="former-units"' not in reviewer.get(reverse("review-matrix")).content.decode()


def test_the_page_of_a_retired_unit_opens_read_only_with_its_scorecard_outside_the_ranking(retired, personas,
                                                                                          client_for):
    """Merged in the middle of the campaign: the reviewer and the leader open its page (linked from the matrix)
    and read its scorecard and reports, told it no longer takes part; its reporter reads it too, with nothing to
    correct."""
    page = reverse("unit-scorecard", args=["X-TAN-HOA"])
    assert f'<a href="{page}">Xã Tân Hòa</a>' in client_for(personas["reviewer"]).get(reverse("review-matrix")) \
        .content.decode()
    for who in ("leader", "reviewer", "commune_reporter"):
        response = client_for(personas[who]).get(page)
        assert response.status_code == 200, who
        html = response.content.decode()
        assert 'data-testid="retired-unit"' in html and "Xã Tân Hòa đã ngừng tham gia phong trào" in html
        assert "đơn vị không còn được xếp hạng" in html
        assert "tháng 10/2021" in html
        assert reverse("report-submit", args=["2021-10"]) not in html
    assert client_for(personas["other_commune_reporter"]).get(page).status_code == 403
