"""POST /api/v1/reports/{id}/verify|return|untruthful|untruthful/withdraw: the Home Affairs reviewer's actions."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.web.api.conftest import assert_vietnamese_errors, post_json
from tests.web.conftest import submit
from thidua.api.api import NOT_SIGNED_IN
from thidua.core.models import AuditEvent
from thidua.reports.models import Report


@pytest.fixture
def report(campaign, personas):
    return submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 24))


@pytest.fixture
def rita(personas, client_for):
    """The Home Affairs reviewer, signed in."""
    return client_for(personas["reviewer"])


def test_a_reviewer_verifies_a_report(report, rita):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/verify")

    assert response.status_code == 200
    assert response.json() == {"report_id": report.pk, "unit": "X-TAN-HOA", "month": "2021-06",
                               "status": "verified", "status_label": "Đã xác nhận", "untruthful": False,
                               "return_reason": "", "version": 1}
    assert AuditEvent.objects.filter(action="report.verified", object_id=str(report.pk)).exists()


def test_verifying_twice_is_a_vietnamese_validation_error(report, rita):
    post_json(rita, f"/api/v1/reports/{report.pk}/verify")

    response = post_json(rita, f"/api/v1/reports/{report.pk}/verify")

    assert assert_vietnamese_errors(response, None) == ["Báo cáo này đã được xác nhận."]


def test_a_reviewer_returns_a_report_with_a_reason(report, rita):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/return", {"reason": "Thiếu minh chứng số tài khoản."})

    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Thiếu minh chứng số tài khoản."
    assert Report.objects.get(pk=report.pk).status == "returned"


@pytest.mark.parametrize("action", ["return", "untruthful"])
def test_a_reason_is_required(report, rita, action):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/{action}", {})

    assert assert_vietnamese_errors(response, "reason") == ["Thiếu trường bắt buộc."]
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_a_too_short_reason_is_refused_by_the_service(report, rita):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/return", {"reason": "sai"})

    assert assert_vietnamese_errors(response, "reason") == ["Cần ghi rõ lý do trả lại báo cáo."]
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_a_reason_of_invisible_characters_is_refused(report, rita):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/return", {"reason": "\u0000" * 20})
    assert assert_vietnamese_errors(response, "reason") == [
        "Nội dung chứa ký tự điều khiển không in được (U+0000), thường do sao chép từ Word; hãy bỏ ký tự đó."]
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_a_reviewer_marks_a_report_untruthful_and_the_unit_loses_two_points(report, rita):
    before = rita.get("/api/v1/units/X-TAN-HOA/scorecard").json()["total"]

    response = post_json(rita, f"/api/v1/reports/{report.pk}/untruthful",
                         {"reason": "Phúc tra: số tài khoản không khớp dữ liệu Cổng."})

    assert response.status_code == 200
    assert response.json()["untruthful"] is True
    after = rita.get("/api/v1/units/X-TAN-HOA/scorecard").json()
    assert after["total"] == before - 2
    assert ("2021-06", "untruthful", -2) in [(p["month"], p["kind"], p["points"]) for p in after["penalties"]]


@pytest.mark.parametrize("persona", ["commune_reporter", "leader", "outsider"])
@pytest.mark.parametrize("action", ["verify", "return", "untruthful", "untruthful/withdraw"])
def test_only_a_reviewer_may_review(report, personas, client_for, persona, action):
    response = post_json(client_for(personas[persona]), f"/api/v1/reports/{report.pk}/{action}",
                         {"reason": "Lý do đủ dài để hợp lệ."})

    assert response.status_code == 403
    assert response.json() == {"detail": "Chỉ cán bộ thẩm định được thẩm định báo cáo."}
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.untruthful) == ("submitted", False)


def test_an_anonymous_visitor_must_sign_in_to_review(report):
    response = post_json(Client(), f"/api/v1/reports/{report.pk}/verify")

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


def test_an_unknown_report_is_a_vietnamese_404(campaign, rita):
    response = post_json(rita, "/api/v1/reports/999999/verify")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy báo cáo số 999999."}


def test_the_finding_records_the_true_figures_and_is_withdrawn(report, rita):
    """Phúc tra through the API: the true figures as a new version, then the finding withdrawn, which gives the
    unit its own figures and its points back."""
    before = rita.get("/api/v1/units/X-TAN-HOA/scorecard").json()["total"]
    current = report.current
    true = {"new_accounts": current.new_accounts - 30, "dossiers_online": current.dossiers_online,
            "resolved_on_time": current.resolved_on_time, "due": current.due,
            "dossiers_in_person": current.dossiers_in_person}
    response = post_json(rita, f"/api/v1/reports/{report.pk}/untruthful",
                         {"reason": "Phúc tra: số tài khoản không khớp dữ liệu Cổng.", "true_figures": true})
    assert response.status_code == 200
    assert (response.json()["untruthful"], response.json()["version"]) == (True, 2)
    assert Report.objects.get(pk=report.pk).current.new_accounts == current.new_accounts - 30

    response = post_json(rita, f"/api/v1/reports/{report.pk}/untruthful/withdraw",
                         {"reason": "Đối chiếu lại: Cổng thiếu tài khoản tạo tại bộ phận một cửa."})
    assert response.status_code == 200
    assert (response.json()["untruthful"], response.json()["version"]) == (False, 3)
    assert Report.objects.get(pk=report.pk).current.new_accounts == current.new_accounts
    assert rita.get("/api/v1/units/X-TAN-HOA/scorecard").json()["total"] == before
    assert AuditEvent.objects.filter(action="report.untruthful_withdrawn", object_id=str(report.pk)).exists()


def test_withdrawing_a_finding_that_was_not_made_is_a_vietnamese_error(report, rita):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/untruthful/withdraw",
                         {"reason": "Đối chiếu lại: Cổng thiếu tài khoản tạo tại bộ phận một cửa."})
    assert assert_vietnamese_errors(response, None) == ["Báo cáo này không bị kết luận không trung thực."]


def test_true_figures_with_an_unknown_field_are_refused(report, rita):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/untruthful",
                         {"reason": "Phúc tra: số tài khoản không khớp dữ liệu Cổng.",
                          "true_figures": {"new_accounts": 1, "tai_khoan": 2}})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"true_figures.tai_khoan"}
    assert all(e["message"] for e in response.json()["errors"])
    assert not Report.objects.get(pk=report.pk).untruthful


@pytest.mark.parametrize(("action", "body"), [
    ("verify", None),
    ("return", {"reason": "Thiếu minh chứng số tài khoản."}),
    ("untruthful", {"reason": "Số tài khoản cao hơn số liệu trên Cổng."}),
])
def test_a_review_naming_the_version_examined_is_refused_once_the_unit_corrected_it(
        report, rita, campaign, personas, action, body):
    """?version= is the version the script examined (GET /reports/{id}): the unit's correction sent meanwhile is a
    409 in words, nothing written, as on the review page; the version still current goes through."""
    submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 24), new_accounts=1700)

    stale = post_json(rita, f"/api/v1/reports/{report.pk}/{action}?version=1", body)

    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Báo cáo tháng 6/2021 đã có phiên bản 2 (nộp lúc ")
    after = Report.objects.get(pk=report.pk)
    assert (after.status, after.untruthful, after.current.number) == ("submitted", False, 2)
    current = post_json(rita, f"/api/v1/reports/{report.pk}/{action}?version=2", body)
    assert current.status_code == 200 and current.json()["version"] == 2


@pytest.mark.parametrize("version", ["0", "-1", "abc", "99999999999"])
def test_a_version_that_is_not_one_is_a_vietnamese_validation_error(report, rita, version):
    response = post_json(rita, f"/api/v1/reports/{report.pk}/verify?version={version}")

    assert response.status_code == 422 and assert_vietnamese_errors(response, "version")
    assert Report.objects.get(pk=report.pk).status == "submitted"
