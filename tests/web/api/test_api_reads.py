"""The read endpoints an integrator needs: the unit list, a unit's reports, a report's detail, monthly awards."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.web.api.conftest import post_json
from tests.web.conftest import submit
from thidua.api.services import api_token_create
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


def get(path: str, user=None):
    extra = {}
    if user is not None:
        secret = api_token_create(user=user, name="kiểm thử", expires_in_days=None, actor=user)[1]
        extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return Client(enforce_csrf_checks=True).get(path, **extra)


def test_the_unit_list_is_public_with_the_codes_the_other_endpoints_take(campaign):
    response = get("/api/v1/units")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["campaign"] == campaign.code
    units = {u["code"]: u for u in body["units"]}
    assert units["X-TAN-HOA"] == {"code": "X-TAN-HOA", "name": "Xã Tân Hòa", "group": "commune",
                                  "group_label": "Xã, thị trấn", "level": "commune", "parent": "CHAU-THANH-A",
                                  "first_month": None}
    assert set(units) == set(Unit.objects.competing().values_list("code", flat=True))
    assert get("/api/v1/units?campaign=khong-co").status_code == 404


@pytest.fixture
def july(campaign, personas):
    """alice's July report (late: due 25/07, sent 28/07), corrected once, returned by the reviewer."""
    alice = personas["commune_reporter"]
    report = submit(campaign, alice, "2021-07", date(2021, 7, 28))
    submit(campaign, alice, "2021-07", date(2021, 7, 29), new_accounts=320, note="Sửa số tài khoản")
    client = Client()
    client.force_login(personas["reviewer"])
    post_json(client, f"/api/v1/reports/{report.pk}/return", {"reason": "Thiếu minh chứng tài khoản"})
    return report


def test_a_report_reads_with_its_versions_and_review(july, personas):
    response = get(f"/api/v1/reports/{july.pk}", personas["commune_reporter"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["month"], body["status"], body["status_label"]) == (
        "X-TAN-HOA", "2021-07", "returned", "Trả lại để bổ sung")
    assert body["due_date"] == "2021-07-25" and body["days_late"] == 3
    assert body["first_submitted_at"] == "2021-07-28T09:00:00+07:00"
    assert body["return_reason"] == "Thiếu minh chứng tài khoản"
    assert body["version"] == 2 and [v["number"] for v in body["versions"]] == [1, 2]
    assert [v["new_accounts"] for v in body["versions"]] == [300, 320]
    assert body["versions"][1]["note"] == "Sửa số tài khoản"
    assert body["versions"][0]["procedures"] == ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"]


def test_a_report_is_read_by_whom_its_page_is_shown(july, personas):
    assert get(f"/api/v1/reports/{july.pk}", personas["reviewer"]).status_code == 200
    assert get(f"/api/v1/reports/{july.pk}", personas["leader"]).status_code == 200
    refused = get(f"/api/v1/reports/{july.pk}", personas["other_commune_reporter"])
    assert refused.status_code == 403 and refused.json() == {"detail": "Bạn chỉ được xem báo cáo của đơn vị mình."}
    assert get(f"/api/v1/reports/{july.pk}").status_code == 401
    assert get("/api/v1/reports/999999", personas["reviewer"]).json() == {"detail": "Không tìm thấy báo cáo số 999999."}
    # a month in the address is still the submission's (POST only), not a report number
    assert get("/api/v1/reports/2021-07", personas["reviewer"]).status_code == 405


def test_a_units_reports_list_every_month_of_the_period(july, personas, campaign):
    response = get("/api/v1/units/X-TAN-HOA/reports", personas["commune_reporter"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == "X-TAN-HOA" and body["name"] == "Xã Tân Hòa"
    months = {r["month"]: r for r in body["reports"]}
    assert list(months) == list(campaign.rubric.reports.months)
    assert months["2021-07"] == {"month": "2021-07", "due_date": "2021-07-25", "owed": True, "report_id": july.pk,
                                 "status": "returned", "version": 2,
                                 "first_submitted_at": "2021-07-28T09:00:00+07:00", "days_late": 3,
                                 "untruthful": False}
    assert months["2021-08"]["report_id"] is None and months["2021-08"]["days_late"] is None
    assert get("/api/v1/units/X-TAN-HOA/reports", personas["leader"]).status_code == 200
    assert get("/api/v1/units/X-TAN-HOA/reports", personas["other_commune_reporter"]).status_code == 403
    assert get("/api/v1/units/KHONG-CO/reports", personas["leader"]).status_code == 404


def test_the_monthly_awards_are_read_by_staff(campaign, personas):
    from thidua.awards.services import monthly_award_decide
    from thidua.campaigns.services import month_close

    reviewer = personas["reviewer"]
    for user, accounts in ((personas["commune_reporter"], 1800), (personas["other_commune_reporter"], 1500)):
        submit(campaign, user, "2021-06", date(2021, 6, 20), new_accounts=accounts)
    month_close(campaign=campaign, actor=reviewer, month="2021-06")
    monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="X-TAN-HOA"),
                         ceremony_date=date(2021, 7, 5), actor=reviewer,
                         reason="Đơn vị tạo được nhiều tài khoản nhất trong tháng.")

    response = get("/api/v1/awards/monthly", personas["leader"])
    assert response.status_code == 200, response.content
    months = {m["month"]: m for m in response.json()["months"]}
    june = months["2021-06"]
    assert june["closed"] and june["due_passed"]
    assert june["award"]["unit"] == "X-TAN-HOA" and june["award"]["unit_name"] == "Xã Tân Hòa"
    assert june["award"]["ceremony_date"] == "2021-07-05" and june["award"]["prize_vnd"] > 0
    assert months["2021-07"]["award"] is None
    assert get("/api/v1/awards/monthly", personas["commune_reporter"]).status_code == 403
    assert get("/api/v1/awards/monthly").status_code == 401


def test_the_new_endpoints_are_in_the_openapi_description(campaign):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/units", "/api/v1/units/{code}/reports", "/api/v1/reports/{report_id}",
                 "/api/v1/awards/monthly"):
        assert "get" in paths[path], path
