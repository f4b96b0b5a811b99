"""Session auth and CSRF: unsafe methods need the CSRF token, reads do not."""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from tests.web.api.conftest import post_json, report_body, report_count
from thidua.api.api import NOT_SIGNED_IN


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_post_without_a_csrf_token_is_refused_and_writes_nothing(campaign, personas):
    client = csrf_client(personas["commune_reporter"])

    response = post_json(client, "/api/v1/reports/2021-07", report_body())

    assert response.status_code == 403
    assert response.json() == {"detail": "Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF (tiêu đề X-CSRFToken)."}
    assert report_count() == 0


def test_a_post_with_the_csrf_cookie_and_header_is_accepted(campaign, personas):
    client = csrf_client(personas["commune_reporter"])
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]

    response = post_json(client, "/api/v1/reports/2021-07", report_body(), HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201, response.content
    assert report_count() == 1


def test_a_read_needs_no_csrf_token(campaign, personas):
    response = csrf_client(personas["commune_reporter"]).get("/api/v1/units/X-TAN-HOA/scorecard")

    assert response.status_code == 200


def test_an_anonymous_post_is_asked_to_sign_in_before_its_csrf_token_is_looked_at(campaign):
    # without a session there is no CSRF cookie either: "sign in" is what to do, not "send the token"
    response = post_json(Client(enforce_csrf_checks=True), "/api/v1/reports/2021-07", report_body())

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}
    assert report_count() == 0
