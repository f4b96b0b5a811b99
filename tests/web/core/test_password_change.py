"""Every signed-in user changes their own password; wrong input says why and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD
from thidua.core.models import AuditEvent

NEW = "Bay-Ngan-2026"


@pytest.fixture
def alice_client(client, personas):
    client.force_login(personas["commune_reporter"])
    return client


def change(http, old=PASSWORD, new1=NEW, new2=NEW):
    return http.post(reverse("password-change"), {"old_password": old, "new_password1": new1, "new_password2": new2})


def test_the_menu_offers_it_to_a_signed_in_user(campaign, alice_client):
    html = alice_client.get(reverse("password-change")).content.decode()
    assert "Đổi mật khẩu" in html and 'name="old_password"' in html and 'name="new_password2"' in html
    assert 'href="/doi-mat-khau/"' in alice_client.get(reverse("report-list")).content.decode()


def test_a_change_keeps_the_session_is_audited_and_the_new_password_works(campaign, alice_client, personas, client):
    alice = personas["commune_reporter"]
    response = change(alice_client)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    follow = alice_client.get(reverse("report-list"))
    assert follow.status_code == 200 and "Đã đổi mật khẩu." in follow.content.decode()
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor == alice and NEW not in str(event.before) + str(event.after) + event.summary
    client.logout()
    sign_in = lambda password: client.post(reverse("login"), {"username": "alice", "password": password})  # noqa: E731
    assert sign_in(PASSWORD).status_code == 200  # the form again, with its error
    assert sign_in(NEW).status_code == 302


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"old": "khong-dung"}, "Mật khẩu cũ không chính xác."),
    ({"new2": "Bay-Ngan-2027"}, "Hai mật khẩu đã nhập không khớp nhau."),
    ({"new1": "Ab-1", "new2": "Ab-1"}, "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
    ({"new1": "40917382651", "new2": "40917382651"}, "Mật khẩu không được chỉ gồm chữ số."),
    ({"new1": "password123", "new2": "password123"}, "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."),
])
def test_wrong_input_says_why_and_changes_nothing(alice_client, personas, kwargs, message):
    response = change(alice_client, **kwargs)
    assert response.status_code == 200
    assert message in response.content.decode()
    alice = personas["commune_reporter"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_signing_out_lands_on_the_public_leaderboard_saying_so(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain == [(reverse("public-leaderboard"), 302)]
    html = response.content.decode()
    assert "Đã đăng xuất." in html
    assert "Đã đăng xuất." not in client.get(reverse("public-leaderboard")).content.decode()  # said once
