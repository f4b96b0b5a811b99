"""Bad addresses give a Vietnamese 404 page, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD
from thidua.campaigns.models import MonthSnapshot
from thidua.core.models import AuditEvent


@pytest.mark.parametrize("url", [
    "/bao-cao/2021-13/nop/",
    "/bao-cao/2021-12/nop/",
    "/bao-cao/chi-tiet/999999/",
    "/xep-hang/?thang=abc",
    "/xep-hang/?thang=2021-13",
    "/don-vi/KHONG-CO-DON-VI/",
    "/minh-chung/999999/",
    "/ke-hoach/999999/",
    "/khong-co-trang-nay/",
])
def test_a_bad_url_is_a_vietnamese_404(campaign, personas, client_for, url):
    # A reporter on /xep-hang/ or a reviewer on /bao-cao/…/nop/ is refused (403) before the address is
    # looked at; whoever may open the page gets the Vietnamese 404 page.
    statuses = []
    for persona in ("commune_reporter", "reviewer"):
        response = client_for(personas[persona]).get(url)
        statuses.append(response.status_code)
        if response.status_code == 404:
            html = response.content.decode()
            assert "Không tìm thấy trang" in html
            assert '<html lang="vi">' in html
    assert 404 in statuses
    assert set(statuses) <= {403, 404}


@pytest.mark.parametrize("url", ["/don-vi/X-TAN-HOA%00/", "/tham-dinh/nhap-thay/X%00/2021-07/",
                                 "/cong-dvc/ho-so/%00/2021-07/", "/don-vi/X%01Y/"])
def test_an_address_with_a_control_character_is_a_404_on_every_database(campaign, personas, client_for, url):
    # PostgreSQL refuses a NUL in any text it is asked to compare: a unit code %00 in the address was an
    # error 500 there (SQLite answered 404)
    response = client_for(personas["reviewer"]).get(url)
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_an_api_address_with_a_control_character_is_a_json_404(campaign, personas, client_for):
    response = client_for(personas["reviewer"]).get("/api/v1/units/X-TAN-HOA%00/scorecard")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_every_bad_url_reaches_the_404_page_for_someone(campaign, personas, client_for):
    reviewer = client_for(personas["reviewer"])
    assert reviewer.get("/xep-hang/?thang=abc").status_code == 404
    reporter = client_for(personas["commune_reporter"])
    assert reporter.get("/bao-cao/2021-13/nop/").status_code == 404
    assert reporter.get(reverse("report-detail", args=[999999])).status_code == 404


def test_the_404_page_works_without_a_campaign(db, client):
    response = client.get(reverse("public-leaderboard"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Chưa có phong trào thi đua nào đang áp dụng" in html
    assert reverse("campaign-list") not in html  # the way to create one is for administrators


def test_a_403_page_is_in_vietnamese(campaign, personas, client_for):
    response = client_for(personas["commune_reporter"]).get(reverse("unit-scorecard", args=["TT-MOT-NGAN"]))
    assert response.status_code == 403
    assert "Bạn chỉ được xem số liệu của đơn vị mình." in response.content.decode()


def test_the_400_and_500_pages_are_in_vietnamese_and_fit_a_phone(rf):
    from thidua.core.views import bad_request, server_error

    for response in (server_error(rf.get("/")), bad_request(rf.get("/"))):
        html = response.content.decode()
        assert response.status_code in (400, 500)
        assert '<html lang="vi">' in html
        assert '<meta name="viewport"' in html
    assert "Đã có lỗi xảy ra" in server_error(rf.get("/")).content.decode()


@pytest.mark.parametrize(("data", "expected", "api_status"), [
    ({"note": "x" * 1_100_000}, "Dữ liệu gửi lên quá lớn: tối đa 1 MB (không kể tệp đính kèm).", 413),
    ({f"o{i}": "1" for i in range(30)}, "Dữ liệu gửi lên có quá nhiều trường: tối đa 20.", 400),
], ids=["too-big", "too-many-fields"])
def test_a_request_over_the_upload_limits_says_so_in_vietnamese_on_a_page_and_in_the_api(
        campaign, personas, client_for, settings, data, expected, api_status):
    # Django refuses such a request before any view (RequestDataTooBig, TooManyFieldsSent): the 400 answer
    # names the limit instead of calling the data badly formatted, and the API answers it in JSON
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1024 * 1024, 20
    client = client_for(personas["commune_reporter"])
    page = client.post(reverse("profile"), data)
    assert page.status_code == 400 and '<html lang="vi">' in page.content.decode()
    assert expected in page.content.decode() and "Chưa có gì được ghi" in page.content.decode()
    api = client.post("/api/v1/reports/2021-07", "&".join(f"{k}={v}" for k, v in data.items()),
                      content_type="application/x-www-form-urlencoded")
    assert api.status_code == api_status and api["Content-Type"].startswith("application/json")
    assert api.json()["detail"].startswith(expected)
    big = client.post("/api/v1/reports/2021-07", '{"note": "' + "x" * 1_100_000 + '"}',
                      content_type="application/json")
    assert big.status_code == 413 and big.json()["detail"].startswith("Dữ liệu gửi lên quá lớn")


def test_a_stale_form_gets_a_vietnamese_page_saying_what_to_do(campaign, personas, settings):
    from django.test import Client

    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"  # July's report form is open

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "x"})  # no CSRF cookie at all
    html = response.content.decode()
    assert response.status_code == 403 and "Chưa gửi được biểu mẫu" in html
    assert "cho phép cookie" in html and "CSRF verification failed" not in html
    client.force_login(personas["commune_reporter"])
    client.get(reverse("report-submit", args=["2021-07"]))  # the CSRF cookie is set, the token is not sent
    stale = client.post(reverse("report-submit", args=["2021-07"]), {"csrfmiddlewaretoken": "cu" * 32})
    assert stale.status_code == 403 and "tải lại trang" in stale.content.decode()
    assert "cho phép cookie" not in stale.content.decode()


def test_a_form_sent_after_the_session_ended_says_on_the_sign_in_page_that_nothing_was_saved(
        campaign, personas, client_for, settings):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"
    client = client_for(personas["commune_reporter"])
    url = reverse("report-submit", args=["2021-07"])
    client.get(url)
    client.logout()  # the session expired (THIDUA_SESSION_HOURS) while the form was open
    response = client.post(url, {"new_accounts": "300"}, follow=True)
    assert response.redirect_chain[0] == (f"{reverse('login')}?next={url}", 302)
    html = response.content.decode()
    assert "Phiên đăng nhập đã hết nên dữ liệu vừa gửi chưa được ghi" in html
    assert not campaign.reports.exists()
    # a page opened as a link after the session ended needs no such warning
    assert "chưa được ghi" not in client.get(url, follow=True).content.decode()


def test_after_signing_in_again_the_user_is_back_on_the_page_that_sent_the_form(campaign, personas, client_for,
                                                                               settings):
    """The month closed from the rankings page after the session ended: signing in again opens the rankings
    page, not the POST-only address (a "405" page). A Referer from another site is not followed."""
    settings.THIDUA_NOW = "2021-08-20T09:00:00+07:00"
    reviewer = personas["reviewer"]
    client = client_for(reviewer)
    client.logout()
    page = f"{reverse('rankings')}?thang=2021-07"
    sent = client.post(reverse("month-close"), {"month": "2021-07"}, HTTP_REFERER=f"http://testserver{page}")
    assert sent.status_code == 302 and sent.url == f"{reverse('login')}?next={quote(page)}"
    signed_in = client.post(sent.url, {"username": reviewer.username, "password": PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == page and signed_in.status_code == 200
    assert not MonthSnapshot.objects.exists()  # nothing was closed
    client.logout()
    elsewhere = client.post(reverse("month-close"), {"month": "2021-07"}, HTTP_REFERER="https://ke-gian.example/x")
    assert elsewhere.url == f"{reverse('login')}?next={reverse('month-close')}"


@pytest.mark.parametrize("url", ["/dang-xuat/", "/xep-hang/chot-thang/", "/khen-thuong/cuoi-nam/chot/"])
def test_opening_an_action_address_as_a_link_gets_a_vietnamese_page(campaign, personas, client_for, url):
    response = client_for(personas["reviewer"]).get(url)
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "Không mở trực tiếp được địa chỉ này" in response.content.decode()


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "PROPFIND"])
@pytest.mark.parametrize("url", ["/tham-dinh/", "/bao-cao/2021-07/nop/", "/cong-khai/"])
def test_a_page_sent_another_method_than_get_or_post_is_a_405_and_not_the_page(campaign, personas, client_for,
                                                                               method, url):
    # the views read "not POST" as "show the page": a DELETE answered 200 with the page
    response = client_for(personas["reviewer"]).generic(method, url, "new_accounts=1",
                                                       content_type="application/x-www-form-urlencoded")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert "Không mở trực tiếp được địa chỉ này" not in response.content.decode()
    assert f"không nhận phương thức {method}" in response.content.decode()


def test_options_on_a_page_says_which_methods_it_takes_without_running_its_view(campaign, personas, client_for):
    client = client_for(personas["reviewer"])
    events = AuditEvent.objects.count()
    response = client.options(reverse("report-submit", args=["2021-11"]))
    assert response.status_code == 200 and response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.content == b""
    assert AuditEvent.objects.count() == events


def test_head_on_the_api_answers_as_get_without_the_body(campaign, personas, client_for):
    client = client_for(personas["leader"])
    response = client.head("/api/v1/rankings")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response.content == b""
    assert client.head("/api/v1/units/KHONG-CO/scorecard").status_code == 404
    assert client.head("/api/v1/reports/2021-11").status_code == 405  # a POST-only address stays so


@pytest.mark.parametrize(("method", "url", "detail"), [
    ("get", "/api/v1/reports/2021-11", "Địa chỉ này không nhận phương thức GET; chỉ nhận POST."),
    ("delete", "/api/v1/rankings", "Địa chỉ này không nhận phương thức DELETE; chỉ nhận GET."),
    ("get", "/api/v1/khong-co", "Không có địa chỉ API này; xem /api/v1/docs."),
])
def test_the_api_answers_a_wrong_method_or_address_in_vietnamese_json(campaign, personas, client_for,
                                                                      method, url, detail):
    response = getattr(client_for(personas["commune_reporter"]), method)(url)
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": detail}


def test_a_refused_request_is_logged_in_one_line_and_a_server_error_keeps_its_traceback(campaign, personas,
                                                                                        client_for):
    import logging

    from thidua.core.logging import ClientErrorsWithoutTraceback

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(ClientErrorsWithoutTraceback())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client_for(personas["commune_reporter"]).get(reverse("review-matrix"))  # 403
    finally:
        logger.removeHandler(handler)
    (refused,) = [r for r in records if r.status_code == 403]
    assert refused.exc_info is None and "Forbidden" in refused.getMessage()
    try:
        raise RuntimeError("lỗi thật")
    except RuntimeError:
        import sys

        crash = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (),
                                  sys.exc_info())
    crash.status_code = 500
    assert ClientErrorsWithoutTraceback().filter(crash) and crash.exc_info is not None


@pytest.mark.parametrize(("url", "reason"), [
    ("/xep-hang/?thang=2021-05", "Tháng không thuộc kỳ báo cáo."),  # a real month, before the campaign
    ("/xep-hang/?thang=abc", "Tháng không thuộc kỳ báo cáo."),
    ("/khen-thuong/hang-thang/2030-01/", "Tháng không thuộc kỳ báo cáo."),
])
def test_a_404_says_why_when_the_page_knows(campaign, personas, client_for, url, reason):
    response = client_for(personas["leader"]).get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<p>{reason}</p>" in html
    assert "Địa chỉ không đúng hoặc dữ liệu không còn." not in html


def test_a_404_of_django_itself_keeps_its_english_to_itself(campaign, personas, client_for):
    response = client_for(personas["leader"]).get(reverse("report-detail", args=[999999]))  # get_object_or_404
    assert response.status_code == 404
    html = response.content.decode()
    assert "Địa chỉ không đúng hoặc dữ liệu không còn." in html
    assert "matches the given query" not in html
    assert "Report" not in html
