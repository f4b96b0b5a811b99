"""Personal access tokens: made on «Mã truy cập API», sent as Authorization: Bearer, ended every way they end."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.api.conftest import post_json, report_body, report_count
from tests.web.conftest import PASSWORD
from thidua.api import tokens
from thidua.api.api import NOT_SIGNED_IN
from thidua.api.models import ApiToken
from thidua.api.services import api_token_create, api_token_revoke
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def make_token(user, name="Bảng điều khiển tỉnh", days=None) -> str:
    return api_token_create(user=user, name=name, expires_in_days=days, actor=user)[1]


def api(path: str, secret: str | None = None, **extra):
    return Client(enforce_csrf_checks=True).get(path, **(bearer(secret) if secret else {}), **extra)


def test_a_token_is_made_on_its_page_shown_once_and_stored_only_as_its_digest(campaign, personas, client_for):
    leader = personas["leader"]
    client = client_for(leader)
    response = client.post(reverse("api-tokens"), {"name": "  Bảng điều khiển   tỉnh ", "expires_in_days": "30",
                                                   "current_password": PASSWORD})

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = ApiToken.objects.get(user=leader)
    secret = response.context["secret"]
    assert secret.startswith("tdv_") and len(secret) == 4 + 43
    assert secret in response.content.decode()
    assert token.name == "Bảng điều khiển tỉnh" and token.digest == tokens.digest(secret)
    assert secret not in json.dumps([token.digest, token.prefix, token.credential])
    assert (token.expires_at - token.created_at).days == 30
    # the list afterwards names it, never shows it again
    page = client.get(reverse("api-tokens")).content.decode()
    assert "Bảng điều khiển tỉnh" in page and token.prefix in page and secret not in page
    # audited, without the token
    event = AuditEvent.objects.get(action="api.token_created")
    assert event.actor == leader and secret not in json.dumps([event.summary, event.before, event.after])


def test_a_token_that_never_expires_is_made_on_the_page_too(personas, client_for):
    response = client_for(personas["leader"]).post(reverse("api-tokens"), {"name": "Excel", "expires_in_days": "",
                                                                           "current_password": PASSWORD})
    assert response.status_code == 200, response.content.decode()
    assert ApiToken.objects.get().expires_at is None
    assert "Không hết hạn" in response.content.decode()


def test_a_token_is_made_only_with_its_owners_password(personas, client_for):
    # a token outlives the session: a session left open on a shared computer must not hand one out
    from django.core.cache import cache

    client = client_for(personas["leader"])
    missing = client.post(reverse("api-tokens"), {"name": "Excel", "expires_in_days": "30"})
    assert missing.status_code == 400 and "Nhập mật khẩu hiện tại để tạo mã." in missing.content.decode()
    for _ in range(5):
        wrong = client.post(reverse("api-tokens"), {"name": "Excel", "expires_in_days": "30",
                                                    "current_password": "sai"})
        assert wrong.status_code == 400 and "Mật khẩu hiện tại chưa đúng" in wrong.content.decode()
    held = client.post(reverse("api-tokens"), {"name": "Excel", "expires_in_days": "30",
                                               "current_password": PASSWORD})
    assert held.status_code == 400 and "Đã nhập sai mật khẩu 5 lần" in held.content.decode()
    assert not ApiToken.objects.exists() and not AuditEvent.objects.filter(action="api.token_created").exists()
    cache.clear()


def test_a_token_needs_a_name(personas, client_for):
    response = client_for(personas["leader"]).post(reverse("api-tokens"), {"name": "  ", "expires_in_days": "",
                                                                           "current_password": PASSWORD})
    assert response.status_code == 400 and "Đặt tên cho mã" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_reads_with_its_owners_role_and_records_its_last_use(campaign, personas):
    leader_secret = make_token(personas["leader"])
    reporter_secret = make_token(personas["commune_reporter"])

    assert api("/api/v1/overview", leader_secret).status_code == 200
    assert api("/api/v1/reports/matrix", leader_secret).status_code == 200
    assert ApiToken.objects.get(user=personas["leader"]).last_used_at is not None
    full = api("/api/v1/rankings", leader_secret).json()["units"][0]
    assert "criteria" in full  # staff see the full standing through a token as through a session

    refused = api("/api/v1/overview", reporter_secret)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Chỉ lãnh đạo và cán bộ thẩm định được xem nội dung này."}
    assert api("/api/v1/units/X-TAN-HOA/scorecard", reporter_secret).status_code == 200
    assert api("/api/v1/units/TT-MOT-NGAN/scorecard", reporter_secret).status_code == 403
    assert "criteria" not in api("/api/v1/rankings", reporter_secret).json()["units"][0]


def test_a_token_posts_without_a_csrf_token(campaign, personas):
    secret = make_token(personas["commune_reporter"])
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, "/api/v1/reports/2021-07", report_body(), **bearer(secret))

    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "X-TAN-HOA"
    event = AuditEvent.objects.get(action="report.submitted")
    assert event.actor == personas["commune_reporter"]
    # the reviewer's token verifies it, again without CSRF
    reviewer_secret = make_token(personas["reviewer"])
    verified = post_json(client, f"/api/v1/reports/{response.json()['report_id']}/verify", **bearer(reviewer_secret))
    assert verified.status_code == 200 and verified.json()["status"] == "verified"


@pytest.mark.parametrize("header", ["Bearer tdv_sai", "Bearer ", "bearer  tdv_sai ", "Bearer " + "x" * 5000])
def test_a_wrong_token_is_a_vietnamese_401_with_its_challenge(campaign, personas, header):
    make_token(personas["leader"])
    for path in ("/api/v1/overview", "/api/v1/rankings"):  # a public address checks a token sent too
        response = Client().get(path, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="thidua", error="invalid_token"'
        assert response.json()["detail"] in {"Mã truy cập API không đúng.",
                                              "Tiêu đề Authorization phải có dạng «Bearer <mã truy cập API>»."}


def test_another_scheme_is_left_to_the_session(campaign, personas, client_for):
    # a proxy's HTTP Basic sign-in in front of the site: a signed-in browser sends it on every request
    basic = {"HTTP_AUTHORIZATION": "Basic YWRhOlRoaUR1YUAyMDIx"}
    assert client_for(personas["leader"]).get("/api/v1/overview", **basic).status_code == 200
    anonymous = Client().get("/api/v1/overview", **basic)
    assert anonymous.status_code == 401 and anonymous.json() == {"detail": NOT_SIGNED_IN}
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="thidua"'
    assert Client().get("/api/v1/rankings", **basic).status_code == 200


def test_a_token_is_not_answered_for_by_the_session_beside_it(campaign, personas, client_for):
    client = client_for(personas["leader"])
    response = client.get("/api/v1/overview", **bearer("tdv_sai"))
    assert response.status_code == 401


def test_without_credentials_the_401_names_the_bearer_scheme(campaign):
    response = Client().get("/api/v1/overview")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="thidua"'


def test_an_expired_token_is_refused(campaign, personas, settings):
    secret = make_token(personas["leader"], days=30)
    assert api("/api/v1/overview", secret).status_code == 200
    settings.THIDUA_NOW = "2021-09-09T09:00:01+07:00"  # made 2021-08-10 09:00, 30 days
    response = api("/api/v1/overview", secret)
    assert response.status_code == 401 and "hết hạn" in response.json()["detail"]


def test_a_revoked_token_is_refused_and_the_revocation_audited(campaign, personas, client_for):
    leader = personas["leader"]
    secret = make_token(leader)
    token = ApiToken.objects.get(user=leader)
    response = client_for(leader).post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == leader
    refused = api("/api/v1/overview", secret)
    assert refused.status_code == 401 and refused.json() == {"detail": "Mã truy cập API đã bị thu hồi."}
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert event.actor == leader and secret not in json.dumps([event.summary, event.before, event.after])


def test_only_the_owner_or_an_administrator_revokes_a_token(campaign, personas, client_for):
    secret = make_token(personas["leader"])
    token = ApiToken.objects.get()
    assert client_for(personas["reviewer"]).post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert api("/api/v1/overview", secret).status_code == 200
    admin_page = client_for(personas["admin"]).get(reverse("api-tokens")).content.decode()
    assert "Bảng điều khiển tỉnh" in admin_page and "leo" in admin_page  # listed for the administrator
    assert client_for(personas["admin"]).post(reverse("api-token-revoke", args=[token.pk])).status_code == 302
    assert api("/api/v1/overview", secret).status_code == 401
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert event.actor == personas["admin"] and "của" in event.summary


def test_a_revocation_by_another_user_is_refused_by_the_service(personas):
    make_token(personas["leader"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_token_revoke(token=ApiToken.objects.get(), actor=personas["reviewer"])


def test_a_new_password_ends_every_token(campaign, personas, client_for):
    leader = personas["leader"]
    secret = make_token(leader)
    leader.set_password("MotMatKhauMoi@2021")
    leader.save()
    response = api("/api/v1/overview", secret)
    assert response.status_code == 401 and "đổi mật khẩu" in response.json()["detail"]
    assert "Hết hiệu lực (đã đổi mật khẩu)" in client_for(leader).get(reverse("api-tokens")).content.decode()


def test_a_deactivated_account_loses_its_tokens_for_good(campaign, personas):
    leader = personas["leader"]
    secret = make_token(leader)
    leader.is_active = False
    leader.save()
    assert api("/api/v1/overview", secret).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    leader.is_active = True
    leader.save()
    assert api("/api/v1/overview", secret).status_code == 401  # reactivating does not revive it


def test_repeated_wrong_tokens_from_one_address_are_held_off(campaign, personas, settings, caplog):
    settings.THIDUA_API_TOKEN_FAILURE_LIMIT = 3
    secret = make_token(personas["leader"])
    for _ in range(3):
        assert api("/api/v1/overview", "tdv_sai", REMOTE_ADDR="203.0.113.9").status_code == 401
    assert "3 wrong API tokens from 203.0.113.9" in caplog.text
    held = api("/api/v1/overview", "tdv_sai-nua", REMOTE_ADDR="203.0.113.9")
    assert held.status_code == 429 and held.json() == {
        "detail": "Gửi mã truy cập API sai quá nhiều lần từ địa chỉ này; hãy thử lại sau 15 phút."}
    assert held["Retry-After"] == "900"
    assert api("/api/v1/overview", "tdv_sai", REMOTE_ADDR="203.0.113.10").status_code == 401  # another address
    # a token that works is never held off: behind a proxy every client shares one address
    assert api("/api/v1/overview", secret, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_token_never_reaches_the_logs(campaign, personas, caplog):
    secret = make_token(personas["commune_reporter"])
    with caplog.at_level(logging.DEBUG):
        api("/api/v1/overview", secret)  # 403
        api("/api/v1/overview", secret + "x")  # 401
        post_json(Client(), "/api/v1/reports/2021-07", report_body(new_accounts=-1), **bearer(secret))  # 422
    assert caplog.records and secret not in caplog.text
    assert report_count() == 0


def test_the_openapi_description_names_both_ways_in(campaign):
    schema = Client().get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerTokenAuth"].items()
    assert schemes["RoleSessionAuth"]["in"] == "cookie"
    overview = schema["paths"]["/api/v1/overview"]["get"]
    assert {"BearerTokenAuth": []} in overview["security"]


def _error_report(request):
    """Django's report of the refusal of the request's token (frames from here down: no test variable in them)."""
    import sys

    from django.views.debug import ExceptionReporter

    from thidua.api.api import token_user

    try:
        token_user(request)
    except tokens.TokenRefused:
        return ExceptionReporter(request, *sys.exc_info())
    raise AssertionError("the token was taken")


def test_an_error_report_hides_the_token(campaign, personas):
    # Django's error report (the debug page, a handler formatting the request) lists the request's headers and
    # the frames' variables: the token is in neither
    from django.test import RequestFactory

    secret = make_token(personas["leader"])
    request = RequestFactory().get("/api/v1/overview", HTTP_AUTHORIZATION=f"Bearer {secret}")
    request.user = personas["leader"]
    ApiToken.objects.all().delete()  # the check fails inside tokens.authenticate, with the token in its frame
    report = _error_report(request)
    text, html = report.get_traceback_text(), report.get_traceback_html()
    assert "HTTP_AUTHORIZATION" in text and "authenticate" in text
    assert secret[4:16] not in text and secret[4:16] not in html
