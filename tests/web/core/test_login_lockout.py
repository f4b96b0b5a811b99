"""Repeated wrong passwords lock a user name out for a while, from the address they came from."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD
from thidua.core.models import AuditEvent, LoginFailure
from thidua.units.models import User

pytestmark = pytest.mark.django_db

LIMIT = 5  # settings.AXES_FAILURE_LIMIT, THIDUA_LOGIN_FAILURE_LIMIT's default


def sign_in(client, password, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_fifth_wrong_password_locks_the_name_out_from_that_address(personas, client):
    for _ in range(LIMIT - 1):
        response = sign_in(client, "sai-mat-khau")
        assert response.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    locked = sign_in(client, "sai-mat-khau")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page and "«alice» đã nhập sai mật khẩu 5 lần liên tiếp" in page
    assert "trong 15 phút, kể cả với mật khẩu đúng" in page and 'href="/dang-nhap/"' in page
    assert sign_in(client, PASSWORD).status_code == 429  # the right password waits too
    assert "_auth_user_id" not in client.session
    # the same name from another address, and another name from this one, sign in as usual
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), PASSWORD).status_code == 302
    assert sign_in(client, PASSWORD, username="bob").status_code == 302
    events = AuditEvent.objects.filter(action="auth.locked_out")
    assert events.count() == 1  # once per lockout, not once per refused attempt
    assert events.get().summary == ("Tạm khóa đăng nhập «alice» từ địa chỉ 127.0.0.1 trong 15 phút sau 5 lần nhập sai "
                                    "mật khẩu liên tiếp")


def test_a_successful_sign_in_clears_the_count(personas, client):
    for _ in range(LIMIT - 1):
        sign_in(client, "sai-mat-khau")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert sign_in(client, "sai-mat-khau").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_administrator_lifts_a_lock_in_the_admin_in_vietnamese(personas, client):
    for _ in range(LIMIT):
        sign_in(client, "sai-mat-khau")
    assert sign_in(client, PASSWORD).status_code == 429
    boss = User.objects.create_superuser(username="quan-tri", password=PASSWORD)
    admin = Client(REMOTE_ADDR="10.0.0.2")
    admin.force_login(boss)
    listing = admin.get("/quan-tri/core/loginfailure/").content.decode()
    for text in ("Tên đăng nhập", "Số lần sai liên tiếp", "Đang tạm khóa đến", "Mở khóa: xóa số lần sai"):
        assert text in listing
    assert "Access attempt" not in listing and "delete_selected" not in listing
    failure = LoginFailure.objects.get(username="alice")
    response = admin.post("/quan-tri/core/loginfailure/", {"action": "unlock", "_selected_action": [failure.pk]},
                          follow=True)
    assert "Đã mở khóa 1 dòng" in response.content.decode()
    assert not LoginFailure.objects.exists()
    event = AuditEvent.objects.get(action="auth.unlocked")
    assert event.actor == boss and "«alice»" in event.summary
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_reviewer_cannot_see_or_lift_locks(personas, client_for):
    client = client_for(personas["reviewer"])
    assert client.get("/quan-tri/core/loginfailure/").status_code in (302, 403)


def test_a_user_name_longer_than_any_is_refused_in_vietnamese_and_not_counted(personas, client):
    # the lockout's record of the attempt holds 255 characters: PostgreSQL refused a longer name (an error 500)
    response = sign_in(client, "sai-mat-khau", username="x" * 100_000)
    assert response.status_code == 200
    assert "Tên đăng nhập: dài tối đa 150 ký tự (hiện có 100000)." in response.content.decode()
    assert not LoginFailure.objects.exists()


def test_a_form_sent_empty_says_what_is_missing(personas, client):
    page = sign_in(client, "", username="").content.decode()
    assert "Tên đăng nhập: Trường này là bắt buộc." in page and "Mật khẩu: Trường này là bắt buộc." in page
