"""POST /api/v1/reports/{month}: a reporter submits or corrects their unit's monthly report."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from tests.web.api.conftest import assert_vietnamese_errors, post_json, report_body, report_count
from tests.web.conftest import submit
from thidua.api.api import NOT_SIGNED_IN
from thidua.reports.models import Report, ReportVersion
from thidua.reports.services import report_verify


def url(month: str) -> str:
    return f"/api/v1/reports/{month}"


@pytest.fixture
def alice(campaign, personas, client_for):
    """Xã Tân Hòa's reporter, signed in."""
    return client_for(personas["commune_reporter"])


def test_it_records_a_first_submission_and_says_how_late_it_is(alice, personas):
    response = post_json(alice, url("2021-07"), report_body())

    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(unit__code="X-TAN-HOA", month="2021-07")
    assert body == {"report_id": report.pk, "unit": "X-TAN-HOA", "month": "2021-07", "version": 1,
                    "first_submitted_at": "2021-08-10T09:00:00+07:00", "days_late": 16, "status": "submitted"}
    version = report.current
    assert (version.new_accounts, version.due, version.resolved_on_time) == (300, 40, 39)
    assert version.procedures == ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"]
    assert version.submitted_by == personas["commune_reporter"]


def test_it_says_zero_days_late_for_a_report_before_the_25th(alice):
    response = post_json(alice, url("2021-08"), report_body())

    assert response.status_code == 201
    assert response.json()["days_late"] == 0


def test_a_correction_is_a_new_version_that_keeps_the_first_submission_time(alice, campaign, personas):
    first = submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 7, 24))

    response = post_json(alice, url("2021-07"), report_body(new_accounts=350, note="Bổ sung số liệu"))

    assert response.status_code == 200
    body = response.json()
    assert (body["report_id"], body["version"], body["days_late"]) == (first.pk, 2, 0)
    assert body["first_submitted_at"] == "2021-07-24T09:00:00+07:00"
    assert ReportVersion.objects.filter(report=first).count() == 2
    assert Report.objects.get(pk=first.pk).current.new_accounts == 350


def test_it_writes_numbers_as_integers(alice):
    body = post_json(alice, url("2021-08"), report_body()).json()

    assert type(body["report_id"]) is int and type(body["version"]) is int and type(body["days_late"]) is int


@pytest.mark.parametrize("persona", ["leader", "reviewer", "admin", "outsider"])
def test_only_a_unit_reporter_may_submit(campaign, personas, client_for, persona):
    before = report_count()

    response = post_json(client_for(personas[persona]), url("2021-07"), report_body())

    assert response.status_code == 403
    assert response.json() == {"detail": "Chỉ cán bộ báo cáo của đơn vị được nộp báo cáo."}
    assert report_count() == before


def test_the_role_is_checked_before_the_body(campaign, personas, client_for):
    response = post_json(client_for(personas["leader"]), url("2021-07"), "{not json")

    assert response.status_code == 403


def test_it_asks_an_anonymous_visitor_to_sign_in(campaign):
    response = post_json(Client(), url("2021-07"), report_body())

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}
    assert report_count() == 0


@pytest.mark.parametrize("raw", ['{"new_accounts": 300,', "không phải JSON", b"\xff\xfe\x00{", ""])
def test_it_rejects_malformed_json_with_400(alice, raw):
    response = alice.post(url("2021-07"), raw, content_type="application/json") if raw == "" else post_json(
        alice, url("2021-07"), raw)

    if raw == "":
        # No body at all is a missing object, reported like any missing field.
        assert_vietnamese_errors(response, None)
    else:
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Dữ liệu JSON không hợp lệ: ")
    assert report_count() == 0


@pytest.mark.parametrize(("content_type", "named"), [("text/plain", "text/plain"),
                                                      ("application/x-www-form-urlencoded",
                                                       "application/x-www-form-urlencoded")])
def test_a_body_not_sent_as_json_is_refused_with_415_and_writes_nothing(alice, content_type, named):
    response = alice.post(url("2021-07"), json.dumps(report_body()), content_type=content_type)

    assert response.status_code == 415
    assert response.json() == {"detail": "Kiểu dữ liệu không được hỗ trợ: nội dung phải gửi dưới dạng JSON "
                                         f"(tiêu đề Content-Type: application/json), không phải «{named}»."}
    assert report_count() == 0


def test_a_form_with_files_posted_to_the_api_is_refused_with_415_and_writes_nothing(alice):
    # multipart/form-data is read as a form before the API sees it (the body is then gone): still a 415
    response = alice.post(url("2021-07"), {"new_accounts": "300", "note": "Biểu mẫu"})

    assert response.status_code == 415
    assert response.json() == {"detail": "Kiểu dữ liệu không được hỗ trợ: nội dung phải gửi dưới dạng JSON "
                                         "(tiêu đề Content-Type: application/json), không phải «multipart/form-data»."}
    assert report_count() == 0


def test_json_with_a_charset_is_accepted(alice):
    response = alice.post(url("2021-07"), json.dumps(report_body()), content_type="application/json; charset=utf-8")

    assert response.status_code == 201, response.content
    assert report_count() == 1


def test_it_names_the_line_and_column_of_a_json_syntax_error(alice):
    response = post_json(alice, url("2021-07"), '{"new_accounts": 300,\n "due": }')

    assert response.json() == {"detail": "Dữ liệu JSON không hợp lệ: sai cú pháp ở dòng 2, cột 9."}


def test_it_rejects_json_that_is_not_an_object(alice):
    response = post_json(alice, url("2021-07"), [report_body()])

    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu JSON không hợp lệ: nội dung phải là một đối tượng JSON {…}."}


@pytest.mark.parametrize("value", ["300", "ba trăm", 12.5, True, None, -1, -300])
def test_it_rejects_a_count_that_is_not_a_non_negative_integer(alice, value):
    response = post_json(alice, url("2021-07"), report_body(new_accounts=value))

    assert assert_vietnamese_errors(response, "new_accounts") == ["Giá trị phải là số nguyên không âm."]
    assert report_count() == 0


def test_it_rejects_an_implausibly_large_count(alice):
    response = post_json(alice, url("2021-07"), report_body(dossiers_online=10_000_001))

    assert assert_vietnamese_errors(response, "dossiers_online") == ["Giá trị quá lớn: tối đa 10.000.000."]
    assert report_count() == 0


def test_it_lists_every_bad_field_at_once(alice):
    response = post_json(alice, url("2021-07"), report_body(due=-1, dossiers_in_person="nhiều", has_plan="có"))

    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        "due": "Giá trị phải là số nguyên không âm.",
        "dossiers_in_person": "Giá trị phải là số nguyên không âm.",
        "has_plan": "Giá trị phải là true hoặc false.",
    }


def test_it_rejects_more_on_time_dossiers_than_due(alice):
    response = post_json(alice, url("2021-07"), report_body(resolved_on_time=41, due=40))

    assert assert_vietnamese_errors(response, "resolved_on_time") == [
        "Số hồ sơ giải quyết đúng hạn (41) không được lớn hơn số hồ sơ đến hạn (40)."
    ]
    assert report_count() == 0


@pytest.mark.parametrize("field", ["new_accounts", "due", "has_plan", "procedures"])
def test_it_rejects_a_report_with_a_missing_field(alice, field):
    body = report_body()
    del body[field]

    response = post_json(alice, url("2021-07"), body)

    assert assert_vietnamese_errors(response, field) == ["Thiếu trường bắt buộc."]
    assert report_count() == 0


def test_it_rejects_an_unknown_field_rather_than_ignoring_it(alice):
    response = post_json(alice, url("2021-07"), report_body(new_acounts=5))

    assert assert_vietnamese_errors(response, "new_acounts") == ["Trường này không được hỗ trợ."]
    assert report_count() == 0


def test_it_rejects_duplicate_and_malformed_procedure_names(alice):
    duplicate = post_json(alice, url("2021-07"), report_body(procedures=["Khai sinh", "khai sinh"]))
    not_text = post_json(alice, url("2021-07"), report_body(procedures=["Khai sinh", 7]))
    not_a_list = post_json(alice, url("2021-07"), report_body(procedures="Khai sinh"))

    assert assert_vietnamese_errors(duplicate, "procedures") == ["Danh sách thủ tục có tên bị trùng."]
    assert assert_vietnamese_errors(not_text, "procedures[1]") == ["Giá trị phải là một chuỗi ký tự."]
    assert assert_vietnamese_errors(not_a_list, "procedures") == ["Giá trị phải là một danh sách (mảng JSON)."]
    assert report_count() == 0


@pytest.mark.parametrize(("field", "value", "where", "code"), [
    ("note", "ghi chú\x00", "note", "U+0000"),
    ("initiatives", "Tổ hỗ trợ\x0bngười dân", "initiatives", "U+000B"),
    ("procedures", ["Khai sinh", "Kết\x01 hôn"], "procedures[1]", "U+0001"),
])
def test_it_refuses_invisible_control_characters_naming_the_field(alice, field, value, where, code):
    """NUL cannot be stored by PostgreSQL, nor any of them in a .docx or .xlsx built from the text."""
    response = post_json(alice, url("2021-07"), report_body(**{field: value}))

    assert assert_vietnamese_errors(response, where) == [
        f"Nội dung chứa ký tự điều khiển không in được ({code}), thường do sao chép từ Word; hãy bỏ ký tự đó."]
    assert report_count() == 0


def test_it_answers_json_nested_too_deep_in_vietnamese(alice):
    response = post_json(alice, url("2021-07"), "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu JSON không hợp lệ: các mảng, đối tượng lồng nhau quá sâu."}


@pytest.mark.parametrize("month", ["2021-05", "2021-12", "2021-13", "thang-bay"])
def test_it_answers_404_for_a_month_that_is_not_a_reporting_month(alice, month):
    response = post_json(alice, url(month), report_body())

    assert response.status_code == 404
    assert response.json() == {"detail": "Tháng không thuộc kỳ báo cáo của phong trào."}
    assert report_count() == 0


def test_it_refuses_to_correct_a_verified_report(alice, campaign, personas):
    report = submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 7, 24))
    report_verify(report=report, actor=personas["reviewer"])

    response = post_json(alice, url("2021-07"), report_body(new_accounts=999))

    assert assert_vietnamese_errors(response, None)[0].startswith(
        "Báo cáo tháng 7/2021 đã được cán bộ thẩm định xác nhận nên")
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_a_unit_that_joined_later_cannot_report_a_month_before_it_joined(alice):
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(first_month="2021-08")
    response = post_json(alice, url("2021-07"), report_body())

    assert assert_vietnamese_errors(response, None) == [
        "Xã Tân Hòa tham gia thi đua từ tháng 8/2021: không phải báo cáo tháng 7/2021."]
    assert report_count() == 0
    assert post_json(alice, url("2021-08"), report_body()).status_code == 201


def test_a_correction_that_changes_nothing_is_refused(alice, campaign, personas):
    first = submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 7, 24),
                   initiatives="Hướng dẫn tạo tài khoản tại nhà văn hóa ấp")

    response = post_json(alice, url("2021-07"), report_body())

    assert assert_vietnamese_errors(response, None) == [
        "Bản điều chỉnh chưa thay đổi gì so với bản đã nộp: hãy sửa số liệu, bổ sung minh chứng hoặc ghi lý do "
        "điều chỉnh."]
    assert ReportVersion.objects.filter(report=first).count() == 1
    assert post_json(alice, url("2021-07"), report_body(note="Đã kiểm tra lại, số liệu đúng")).status_code == 200


@pytest.mark.parametrize(("field", "value", "where", "message"), [
    ("procedures", ["x" * 5000], "procedures[0]", "Nội dung quá dài: tối đa 300 ký tự."),
    ("initiatives", "x" * 5001, "initiatives", "Nội dung quá dài: tối đa 5000 ký tự."),
    ("note", "x" * 2001, "note", "Nội dung quá dài: tối đa 2000 ký tự."),
    ("procedures", [f"Thủ tục {i}" for i in range(501)], "procedures", "Danh sách quá dài: tối đa 500 phần tử."),
])
def test_a_too_long_text_is_named_as_text_and_a_too_long_list_as_a_list(alice, field, value, where, message):
    response = post_json(alice, url("2021-07"), report_body(**{field: value}))

    assert assert_vietnamese_errors(response, where) == [message]
    assert report_count() == 0


def test_it_answers_a_number_too_long_to_read_in_vietnamese(alice):
    # Python reads at most 4300 digits of an integer: json.loads raised a ValueError, which django-ninja
    # answered in English ("Cannot parse request body")
    response = post_json(alice, url("2021-07"), '{"new_accounts": ' + "1" * 5000 + "}")

    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu JSON không hợp lệ: có số dài quá 4300 chữ số."}
    assert report_count() == 0


def test_a_send_retried_after_a_lost_answer_is_the_saved_report_not_an_error(alice):
    """?based_on= is the version the send is based on: a script that lost the answer and sends the same body again
    gets the report as saved (200), nothing written twice; without it the retry was a 422 «chưa thay đổi gì»."""
    first = post_json(alice, url("2021-07") + "?based_on=0", report_body())
    again = post_json(alice, url("2021-07") + "?based_on=0", report_body())

    assert first.status_code == 201 and again.status_code == 200, again.content
    assert again.json() == first.json()
    assert ReportVersion.objects.filter(report__month="2021-07").count() == 1
    correction = post_json(alice, url("2021-07") + "?based_on=1", report_body(new_accounts=350))
    assert correction.status_code == 200 and correction.json()["version"] == 2
    retried = post_json(alice, url("2021-07") + "?based_on=1", report_body(new_accounts=350))
    assert retried.status_code == 200 and retried.json()["version"] == 2
    assert ReportVersion.objects.filter(report__month="2021-07").count() == 2


def test_a_send_based_on_a_version_since_replaced_is_a_409_and_nothing_is_written(alice, campaign, personas):
    first = post_json(alice, url("2021-07") + "?based_on=0", report_body()).json()
    submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 8, 10), new_accounts=333)  # another tab

    response = post_json(alice, url("2021-07") + "?based_on=1", report_body(new_accounts=400))

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("Báo cáo tháng 7/2021 đã có phiên bản 2 (nộp lúc ")
    assert f"khác phiên bản 1 mà lần gửi này dựa trên: chưa ghi gì. Hãy đọc phiên bản hiện hành (GET /api/v1/reports/" \
           f"{first['report_id']}) rồi gửi lại với ?based_on=2" in detail
    assert Report.objects.get(pk=first["report_id"]).current.new_accounts == 333


@pytest.mark.parametrize("based_on", ["-1", "x", "1000001"])
def test_a_based_on_that_is_not_a_version_is_a_vietnamese_validation_error(alice, based_on):
    response = post_json(alice, url("2021-07") + f"?based_on={based_on}", report_body())

    assert response.status_code == 422 and assert_vietnamese_errors(response, "based_on")
    assert report_count() == 0
