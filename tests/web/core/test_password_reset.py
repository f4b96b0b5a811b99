"""Quên mật khẩu: a one-time link by email (through a real SMTP server), a new password, audited,
and a lockout lifted; without a mail server, the page says whom to ask."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD
from thidua.core.models import AuditEvent
from thidua.units.models import User

NEW_PASSWORD = "Lan-TanHoa-2026"


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The hourly limit of links per address is counted in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def alice(personas):
    User.objects.filter(username="alice").update(email="lan@tanhoa.example", first_name="Thị Lan", last_name="Nguyễn")
    return User.objects.get(username="alice")


def _link(message, site: str = r"https?://[^/\s]+") -> str:
    (url,) = re.findall(site + r"(/dat-lai-mat-khau/\S+/)", message.get_content())
    return url


def test_the_sign_in_page_offers_it(db, client):
    assert f'href="{reverse("password-reset")}"' in client.get(reverse("login")).content.decode()


def test_a_reporter_gets_a_link_sets_a_new_password_and_signs_in(alice, smtp_server, settings):
    settings.ALLOWED_HOSTS = ["thidua.chauthanha.example"]
    client = Client(HTTP_HOST="thidua.chauthanha.example", **{"wsgi.url_scheme": "https"})
    sent = client.post(reverse("password-reset"), {"email": "LAN@tanhoa.example"}, follow=True, secure=True)
    assert "Hãy kiểm tra hộp thư" in sent.content.decode()
    ((to, message),) = smtp_server.messages
    assert to == ["lan@tanhoa.example"]
    assert message["Subject"].strip() == "Đặt lại mật khẩu Thi Đua DVC cho tài khoản alice"
    body = message.get_content()
    assert "Kính gửi: Nguyễn Thị Lan," in body and "trong 72 giờ" in body
    form = client.get(_link(message, r"https://thidua\.chauthanha\.example"), follow=True, secure=True)
    assert "Đặt mật khẩu mới" in form.content.decode() and 'name="new_password1"' in form.content.decode()
    assert form.redirect_chain[-1][0].endswith("/dat-mat-khau/")  # the token leaves the address bar
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                       follow=True, secure=True)
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD) and not alice.check_password(PASSWORD)
    requested = AuditEvent.objects.get(action="user.password_reset_requested")
    assert requested.actor is None
    assert requested.after == {"email": "LAN@tanhoa.example", "accounts": ["alice"], "held": False}
    reset = AuditEvent.objects.get(action="user.password_reset")
    assert reset.actor == alice and reset.object_id == str(alice.pk)
    again = client.get(_link(message), follow=True, secure=True)  # a link works once
    assert "Liên kết này không còn dùng được" in again.content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_email(alice, smtp_server, client):
    response = client.post(reverse("password-reset"), {"email": "ai.do@example.gov.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    assert smtp_server.messages == []
    assert AuditEvent.objects.get(action="user.password_reset_requested").after["accounts"] == []


def test_a_malformed_address_is_refused_in_vietnamese(alice, smtp_server, client):
    response = client.post(reverse("password-reset"), {"email": "lan@"})
    assert "Địa chỉ email chưa đúng, ví dụ canbo@example.gov.vn." in response.content.decode()
    assert smtp_server.messages == []


def test_setting_a_new_password_lifts_a_lockout(alice, smtp_server, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "sai-mat-khau"})
    assert AccessAttempt.objects.filter(username="alice").exists()
    client.post(reverse("password-reset"), {"email": "lan@tanhoa.example"})
    ((_, message),) = smtp_server.messages
    form = client.get(_link(message), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="alice").exists()
    signed_in = client.post(reverse("login"), {"username": "alice", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_a_broken_link_says_so_in_vietnamese(db, client):
    page = client.get("/dat-lai-mat-khau/MQ/sai-ma/", follow=True).content.decode()
    assert "Liên kết này không còn dùng được" in page and 'href="/quen-mat-khau/"' in page


def test_without_a_mail_server_the_page_says_whom_to_ask(alice, client, settings):
    settings.THIDUA_EMAIL_ENABLED = False
    for response in (client.get(reverse("password-reset")),
                     client.post(reverse("password-reset"), {"email": "lan@tanhoa.example"})):
        html = response.content.decode()
        assert response.status_code == 200 and "chưa được cấu hình gửi thư" in html and 'name="email"' not in html
    assert not AuditEvent.objects.filter(action="user.password_reset_requested").exists()


def test_one_address_gets_at_most_three_links_an_hour(alice, smtp_server, client):
    """The fourth request of the hour is audited as held, and no later one: a script sending the form over and
    over wrote a row of the audit log for each request."""
    for _ in range(50):
        response = client.post(reverse("password-reset"), {"email": "lan@tanhoa.example"}, follow=True)
        assert "Hãy kiểm tra hộp thư" in response.content.decode()  # the same page every time
    assert len(smtp_server.messages) == 3
    requested = AuditEvent.objects.filter(action="user.password_reset_requested")
    assert requested.count() == 4
    held = requested.get(after__held=True)
    assert held.summary.endswith("; không gửi thư vì đã gửi tới địa chỉ này nhiều lần trong một giờ (các yêu cầu "
                                 "sau đó trong giờ này cũng không gửi và không ghi nhật ký)")


def test_one_computer_asking_for_many_addresses_is_held_after_thirty_an_hour(alice, smtp_server, client):
    """Each request for another address had written a row of the audit log, without end."""
    for number in range(40):
        client.post(reverse("password-reset"), {"email": f"nguoi{number}@example.vn"})
    response = client.post(reverse("password-reset"), {"email": "lan@tanhoa.example"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()  # the same page
    assert smtp_server.messages == []  # held: alice's own address too, from this computer, this hour
    requested = AuditEvent.objects.filter(action="user.password_reset_requested")
    assert requested.count() == 31
    assert "máy này đã yêu cầu nhiều lần trong một giờ" in requested.get(after__held=True).summary
    other = Client(REMOTE_ADDR="203.0.113.7")  # another computer is not held
    other.post(reverse("password-reset"), {"email": "lan@tanhoa.example"})
    assert len(smtp_server.messages) == 1


def test_the_page_answers_before_the_email_is_sent(alice, smtp_settings, client):
    """As the server runs it: the page does not wait for the mail server, so an address with an account is answered
    as soon as one without (which sends nothing); the link still arrives."""
    import threading
    import time

    from aiosmtpd.controller import Controller

    from tests.web.conftest import Mailbox

    class HeldMailbox(Mailbox):
        """A mail server that holds every message until the test lets it through (10 s at most)."""

        def __init__(self):
            super().__init__()
            self.release = threading.Event()

        async def handle_DATA(self, server, session, envelope):
            self.release.wait(10)
            return await super().handle_DATA(server, session, envelope)

    smtp_settings.THIDUA_RESET_EMAIL_AFTER_RESPONSE = True
    smtp_settings.EMAIL_TIMEOUT = 30  # sent in the request, the page would wait the 10 s the server holds it
    box = HeldMailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    try:
        page = client.post(reverse("password-reset"), {"email": "lan@tanhoa.example"}, follow=True)
        assert "Hãy kiểm tra hộp thư" in page.content.decode()
        assert box.messages == []  # answered while the mail server still held the message
        box.release.set()
        for _ in range(100):  # the thread hands it over once released
            if box.messages:
                break
            time.sleep(0.1)
        ((to, message),) = box.messages
        assert to == ["lan@tanhoa.example"] and "/dat-lai-mat-khau/" in message.get_content()
    finally:
        box.release.set()
        controller.stop()
