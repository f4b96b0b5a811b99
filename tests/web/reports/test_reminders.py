"""Deadline reminders: who has not reported, the emails sent through a real SMTP server (aiosmtpd),
the reviewer's page, the `thidua remind` command and the reporter's own address."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import PASSWORD, REFUSED, REJECTED, make_user, submit
from thidua.core.models import AuditEvent
from thidua.reports.emails import ReminderError, reminders_send
from thidua.reports.selectors import reminder_list, reminder_month
from thidua.units.models import User

NOV_22 = "2021-11-22T08:00:00+07:00"  # November's report is due 25/11/2021


@pytest.fixture
def mail_settings(smtp_settings):
    smtp_settings.THIDUA_NOW = NOV_22
    return smtp_settings


@pytest.fixture
def mailbox(mail_settings, smtp_server):
    return smtp_server


@pytest.fixture
def november(campaign, personas):
    """Tân Hòa (alice) has sent November's report; Một Ngàn (bob) and Tư pháp (dana) have not."""
    submit(campaign, personas["commune_reporter"], "2021-11", on=date(2021, 11, 20))
    User.objects.filter(username="bob").update(email="bob@motngan.example")
    User.objects.filter(username="dana").update(email="dana@tuphap.example")
    make_user("bob2", User.Role.REPORTER, personas["other_commune_reporter"].unit)
    User.objects.filter(username="bob2").update(email="bob2@motngan.example")
    gone = make_user("dana-old", User.Role.REPORTER, personas["department_reporter"].unit)
    User.objects.filter(pk=gone.pk).update(email="old@tuphap.example", is_active=False)
    return campaign


def test_the_month_to_remind_of_is_the_next_due_until_its_report_counts_as_missing(campaign):
    rules = campaign.rubric.reports
    due, october_due = campaign.rubric.due_date("2021-11"), campaign.rubric.due_date("2021-10")
    assert reminder_month(campaign, october_due - timedelta(days=1)) == "2021-10"
    assert reminder_month(campaign, october_due + timedelta(days=1)) == "2021-10"  # late, not yet missing
    assert reminder_month(campaign, october_due + timedelta(days=rules.missing_after_days)) == "2021-11"
    assert reminder_month(campaign, due) == "2021-11"
    assert reminder_month(campaign, due + timedelta(days=rules.missing_after_days - 1)) == "2021-11"
    assert reminder_month(campaign, due + timedelta(days=rules.missing_after_days)) is None  # the last month


def test_the_list_names_the_units_without_a_report_and_their_active_reporters_addresses(november):
    reminders = reminder_list(november, "2021-11", date(2021, 11, 22))
    codes = [item.unit.code for item in reminders.units]
    assert "X-TAN-HOA" not in codes and {"TT-MOT-NGAN", "P-TU-PHAP"} <= set(codes)
    by_code = {item.unit.code: item for item in reminders.units}
    assert by_code["TT-MOT-NGAN"].emails == ("bob@motngan.example", "bob2@motngan.example")
    assert by_code["P-TU-PHAP"].emails == ("dana@tuphap.example",)  # not the retired account's
    assert by_code["X-THANH-XUAN"].reporters == () and by_code["X-THANH-XUAN"].emails == ()
    assert (reminders.due, reminders.days_left) == (date(2021, 11, 25), 3)
    assert {i.unit.code for i in reminders.with_email} == {"TT-MOT-NGAN", "P-TU-PHAP"}


def test_each_unit_gets_one_vietnamese_email_through_the_mail_server_and_the_sending_is_audited(
        november, mailbox, personas):
    outcome = reminders_send(campaign=november, month="2021-11", actor=personas["reviewer"])
    assert {i.unit.code for i in outcome.sent} == {"TT-MOT-NGAN", "P-TU-PHAP"} and not outcome.failed
    received = {tuple(to): message for to, message in mailbox.messages}
    assert set(received) == {("bob@motngan.example", "bob2@motngan.example"), ("dana@tuphap.example",)}
    message = received[("dana@tuphap.example",)]
    assert message["Subject"].strip() == "Nhắc nộp báo cáo tháng 11/2021 (hạn 25/11/2021) — Phòng Tư pháp"
    assert message["From"] == "Phòng Nội vụ <noivu@chauthanha.example>"
    body = message.get_content()
    assert "Kính gửi: Cán bộ báo cáo Phòng Tư pháp," in body
    assert "chậm nhất ngày 25/11/2021. Còn 3 ngày đến hạn." in body
    assert ("Đến ngày 22/11/2021, Phòng Nội vụ huyện Châu Thành A chưa nhận được báo cáo tháng 11/2021 của đơn vị "
            "trên Thi Đua DVC.") in body
    assert "không nộp trừ 5 điểm." in body
    assert "Nộp báo cáo tại: https://thidua.chauthanha.example/bao-cao/2021-11/nop/" in body
    event = AuditEvent.objects.get(action="report.reminders_sent")
    assert event.actor == personas["reviewer"] and event.campaign_code == november.code
    assert event.after["month"] == "2021-11" and sorted(event.after["sent"]) == ["P-TU-PHAP", "TT-MOT-NGAN"]
    assert "X-THANH-XUAN" in event.after["without_email"] and event.after["failed"] == {}
    assert "cho 2 đơn vị" in event.summary
    from thidua.core.audit_display import describe

    ((_, label, rows),) = describe([event])
    shown = {r.label: r.after for r in rows}
    assert label == "Gửi email nhắc nộp báo cáo" and "Phòng Tư pháp" in shown["Đã gửi"]
    assert "Xã Thạnh Xuân" in shown["Chưa có email"] and "X-THANH-XUAN" not in shown["Chưa có email"]


def test_a_refused_address_is_named_and_the_other_units_still_get_theirs(november, mailbox, personas):
    User.objects.filter(username="dana").update(email="dana" + REFUSED)
    outcome = reminders_send(campaign=november, month="2021-11", actor=personas["reviewer"])
    assert [i.unit.code for i in outcome.sent] == ["TT-MOT-NGAN"]
    ((item, why),) = outcome.failed
    assert item.unit.code == "P-TU-PHAP" and why == f"máy chủ thư từ chối địa chỉ dana{REFUSED}"
    assert len(mailbox.messages) == 1
    event = AuditEvent.objects.get(action="report.reminders_sent")
    assert event.after["failed"] == {"P-TU-PHAP": why} and "1 đơn vị không gửi được" in event.summary
    from thidua.core.audit_display import describe

    ((_, _, rows),) = describe([event])
    assert {r.label: r.after for r in rows}["Không gửi được"] == f"Phòng Tư pháp: {why}"


def test_a_message_the_server_rejects_is_named_and_the_next_unit_still_gets_its_own(november, mailbox, personas):
    User.objects.filter(username__in=["bob", "bob2"]).update(email="bob" + REJECTED)
    outcome = reminders_send(campaign=november, month="2021-11", actor=personas["reviewer"])
    assert [i.unit.code for i in outcome.sent] == ["P-TU-PHAP"]
    ((item, why),) = outcome.failed
    assert item.unit.code == "TT-MOT-NGAN" and why == "máy chủ trả lời 554: 5.7.1 Thu bi tu choi"
    assert [to for to, _ in mailbox.messages] == [["dana@tuphap.example"]]


def test_an_unreachable_mail_server_sends_nothing_and_says_so(november, mail_settings, personas):
    with pytest.raises(ReminderError) as caught:  # nothing listens on the port
        reminders_send(campaign=november, month="2021-11", actor=personas["reviewer"])
    assert caught.value.message == (f"Không kết nối được máy chủ thư 127.0.0.1:{mail_settings.EMAIL_PORT} "
                                    "(máy chủ từ chối kết nối); chưa gửi thư nào.")
    assert not AuditEvent.objects.filter(action="report.reminders_sent").exists()


def test_without_a_mail_server_the_page_offers_the_message_to_copy_and_sending_is_refused(
        november, settings, personas, client_for):
    settings.THIDUA_EMAIL_ENABLED, settings.THIDUA_NOW = False, NOV_22
    client = client_for(personas["reviewer"])
    page = client.get(reverse("report-reminders")).content.decode()
    assert "Báo cáo tháng 11/2021: hạn 25/11/2021" in page and "Còn 3 ngày đến hạn." in page
    assert "Máy chủ thư chưa được cấu hình (nhờ quản trị viên cài đặt)" in page and "Gửi email nhắc" not in page
    assert "THIDUA_EMAIL_HOST" not in page
    assert 'data-code="TT-MOT-NGAN"' in page and 'data-code="X-TAN-HOA"' not in page
    assert "Các đơn vị chưa nộp (" in page and "Thị trấn Một Ngàn" in page  # the text to copy
    response = client.post(reverse("report-reminders"), {"month": "2021-11"}, follow=True)
    refused = response.content.decode()
    assert "Máy chủ thư chưa được cấu hình (nhờ quản trị viên cài đặt), nên chưa gửi được email nhắc." in refused
    assert "THIDUA_EMAIL_HOST" not in refused
    assert not AuditEvent.objects.filter(action="report.reminders_sent").exists()


def test_the_reviewer_sends_from_the_page_and_sees_the_last_sending(november, mailbox, personas, client_for):
    client = client_for(personas["reviewer"])
    page = client.get(reverse("review-matrix")).content.decode()
    assert f'{reverse("report-reminders")}?thang=2021-11' in page
    assert "Gửi email nhắc 2 đơn vị" in client.get(reverse("report-reminders")).content.decode()
    response = client.post(reverse("report-reminders"), {"month": "2021-11"}, follow=True)
    html = response.content.decode()
    assert "Đã gửi email nhắc nộp báo cáo tháng 11/2021 cho 2 đơn vị." in html
    assert "Lần gửi email nhắc gần nhất cho tháng này: " in html  # when, by whom, and its summary:
    assert "Gửi email nhắc nộp báo cáo tháng 11/2021 cho 2 đơn vị." in html
    assert len(mailbox.messages) == 2


@pytest.mark.parametrize("query", ["?thang=2021-13", "?thang=abc", "?thang=2020-11"])
def test_a_month_outside_the_campaign_leads_back_to_the_default(november, personas, client_for, query):
    response = client_for(personas["reviewer"]).get(reverse("report-reminders") + query)
    assert response.status_code == 302 and response["Location"] == reverse("report-reminders")


@pytest.mark.parametrize("who", ["commune_reporter", "leader"])
def test_only_the_reviewer_reminds(november, personas, client_for, who):
    client = client_for(personas[who])
    assert client.get(reverse("report-reminders")).status_code == 403
    assert client.post(reverse("report-reminders"), {"month": "2021-11"}).status_code == 403


def _remind(*args) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_sends_and_waits_for_the_window(november, mailbox):
    listed = _remind("--dry-run")
    assert listed.startswith("Báo cáo tháng 11/2021, hạn 25/11/2021 (còn 3 ngày):")
    assert "  Phòng Tư pháp: dana@tuphap.example" in listed and "  Xã Thạnh Xuân: chưa có email" in listed
    assert not mailbox.messages
    assert _remind("--within", "2").endswith("Còn hơn 2 ngày đến hạn; chưa gửi thư.\n")
    assert not mailbox.messages
    sent = _remind("--within", "3")
    assert "Đã gửi email nhắc cho 2 đơn vị." in sent and "Chưa có email: " in sent
    assert len(mailbox.messages) == 2
    assert AuditEvent.objects.get(action="report.reminders_sent").actor is None


@pytest.mark.parametrize(("month", "message"), [
    ("13/2021", "«13/2021» không phải là một tháng; ghi theo dạng 11/2021."),
    ("11/2021, 10/2021", "«11/2021, 10/2021» không phải là một tháng; ghi theo dạng 11/2021."),
    ("12/2021", "Tháng 12/2021 không phải tháng báo cáo của phong trào."),
])
def test_the_command_refuses_a_month_it_cannot_remind_of(november, mail_settings, month, message):
    with pytest.raises(CommandError) as caught:
        _remind("--month", month)
    assert str(caught.value) == message


def test_the_commands_example_month_is_the_campaigns_own(campaign, mail_settings):
    """A 2026 campaign is not told to write its months as 11/2021."""
    data = campaign.rubric_data
    data["campaign"] = {"start": "2026-01-12", "end": "2026-12-15"}
    data["reports"]["months"] = ["2026-01", "2026-02", "2026-03"]
    campaign.rubric_data = data
    campaign.save()
    with pytest.raises(CommandError) as caught:
        _remind("--month", "13/2026")
    assert str(caught.value) == "«13/2026» không phải là một tháng; ghi theo dạng 03/2026."


def test_the_command_says_when_no_month_is_left(november, mail_settings):
    with override_settings(THIDUA_NOW="2022-01-10T08:00:00+07:00"):
        assert _remind() == "Không còn tháng báo cáo nào đang trong hạn nộp; không gửi thư nào.\n"


def test_a_reporter_keeps_their_own_address_and_the_change_is_audited(personas, client_for):
    alice = personas["commune_reporter"]
    client = client_for(alice)
    assert 'href="/tai-khoan/"' in client.get(reverse("home"), follow=True).content.decode()
    bad = client.post(reverse("profile"), {"last_name": "Nguyễn", "first_name": "Thị Lan", "email": "lan@"})
    assert "Địa chỉ email chưa đúng, ví dụ canbo@example.gov.vn." in bad.content.decode()
    alice.refresh_from_db()
    assert alice.email == ""
    response = client.post(reverse("profile"), {"last_name": " Nguyễn ", "first_name": "Thị   Lan",
                                                "position": "Công chức Văn phòng", "email": "lan@tanhoa.example",
                                                "current_password": PASSWORD}, follow=True)
    assert "Đã lưu thông tin cá nhân." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.get_full_name(), alice.position, alice.email) == (
        "Nguyễn Thị Lan", "Công chức Văn phòng", "lan@tanhoa.example")
    event = AuditEvent.objects.get(action="user.profile_changed")
    assert event.actor == alice and event.unit_code == "X-TAN-HOA"
    assert event.before == {"last_name": "", "first_name": "alice", "position": "", "email": ""}
    assert event.after["email"] == "lan@tanhoa.example" and event.after["first_name"] == "Thị Lan"
    again = client.post(reverse("profile"), {"last_name": "Nguyễn", "first_name": "Thị Lan",
                                             "position": "Công chức Văn phòng", "email": "lan@tanhoa.example"},
                        follow=True)
    assert "Thông tin không thay đổi." in again.content.decode()
    assert AuditEvent.objects.filter(action="user.profile_changed").count() == 1
    assert event.summary == "Nguyễn Thị Lan (alice) cập nhật thông tin cá nhân"
    bob = client_for(personas["other_commune_reporter"])  # one officer may keep two accounts' address
    shared = bob.post(reverse("profile"), {"email": "LAN@tanhoa.example", "current_password": PASSWORD},
                      follow=True).content.decode()
    assert "Email này cũng là email của tài khoản alice" in shared


def test_signed_out_visitors_are_sent_to_sign_in_from_the_profile(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_command_without_a_mail_server_lists_and_says_why_it_sends_nothing(november, settings):
    settings.THIDUA_EMAIL_ENABLED, settings.THIDUA_NOW = False, NOV_22
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("remind", stdout=out)
    assert out.getvalue().startswith("Báo cáo tháng 11/2021, hạn 25/11/2021 (còn 3 ngày):")
    assert str(caught.value) == ("Máy chủ thư chưa được cấu hình (đặt THIDUA_EMAIL_HOST trong tệp .env, xem README), "
                                 "nên chưa gửi được email nhắc.")
    assert not AuditEvent.objects.filter(action="report.reminders_sent").exists()


def test_the_command_sends_a_test_email_to_check_the_mail_server(mailbox, db):
    out = StringIO()
    call_command("remind", "--test", "quantri@tinh.example", stdout=out)
    assert out.getvalue().startswith("Đã gửi thư thử tới quantri@tinh.example qua 127.0.0.1, cổng ")
    (to, message), = mailbox.messages
    assert to == ["quantri@tinh.example"] and message["Subject"] == "Thư thử của Thi Đua DVC"
    assert "máy chủ thư đã được cấu hình đúng" in message.get_content()


def test_the_test_email_says_why_the_mail_server_refused_it(mail_settings, db):
    mail_settings.EMAIL_USE_TLS = True  # nothing listens on the port: refused before STARTTLS
    with pytest.raises(CommandError) as caught:
        call_command("remind", "--test", "quantri@tinh.example", stdout=StringIO())
    assert str(caught.value).startswith("Chưa gửi được thư thử qua 127.0.0.1, cổng ")
    assert str(caught.value).endswith(": máy chủ từ chối kết nối.")


def test_the_test_email_without_a_mail_server_or_with_a_bad_address_is_refused(settings, db):
    settings.THIDUA_EMAIL_ENABLED = False
    with pytest.raises(CommandError) as caught:
        call_command("remind", "--test", "quantri@tinh.example", stdout=StringIO())
    assert "đặt THIDUA_EMAIL_HOST trong tệp .env" in str(caught.value) and "thư thử" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("remind", "--test", "khong-phai-email", stdout=StringIO())
    assert str(caught.value) == "«khong-phai-email» không phải địa chỉ email." and caught.value.returncode == 2


def test_the_dry_run_says_whether_a_mail_server_is_set(november, settings):
    settings.THIDUA_EMAIL_ENABLED, settings.THIDUA_NOW = False, NOV_22
    out = StringIO()
    call_command("remind", "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-1] == ("Chạy thử (--dry-run): chưa gửi thư nào. Máy chủ thư: chưa cấu hình "
                                               "(THIDUA_EMAIL_HOST trống), nên chưa gửi được.")


def test_a_new_email_needs_the_account_s_password_and_the_old_address_is_told(
        personas, client_for, smtp_server, settings, django_capture_on_commit_callbacks):
    """Email is how a forgotten password comes back: whoever finds a session left open on a shared computer
    must not move the account to their own address. The address left behind is told of the change."""
    from django.core.cache import cache

    from thidua.core.forms import ProfileForm

    settings.THIDUA_NOW = "2021-07-20T09:15:00+07:00"
    alice = personas["commune_reporter"]
    alice.email = "lan@tanhoa.example"
    alice.save(update_fields=["email"])
    client = client_for(alice)
    assert "Mật khẩu hiện tại (chỉ cần khi đổi email)" in client.get(reverse("profile")).content.decode()

    without = client.post(reverse("profile"), {"first_name": "alice", "email": "ke-gian@example.com"})
    assert "Nhập mật khẩu hiện tại để đổi email." in without.content.decode()
    wrong = client.post(reverse("profile"), {"first_name": "alice", "email": "ke-gian@example.com",
                                             "current_password": "doan-sai-1"})
    assert "Mật khẩu hiện tại chưa đúng; email chưa được đổi." in wrong.content.decode()
    alice.refresh_from_db()
    assert alice.email == "lan@tanhoa.example" and not AuditEvent.objects.filter(action="user.profile_changed").exists()
    # the name alone, or the same address in capitals, needs no password
    client.post(reverse("profile"), {"first_name": "Thị Lan", "email": "LAN@tanhoa.example"})
    alice.refresh_from_db()
    assert (alice.first_name, alice.email) == ("Thị Lan", "LAN@tanhoa.example") and smtp_server.messages == []

    with django_capture_on_commit_callbacks(execute=True):  # the notice goes once the change is committed
        moved = client.post(reverse("profile"), {"first_name": "Thị Lan", "email": "lan.nguyen@tanhoa.example",
                                                 "current_password": PASSWORD}, follow=True)
    assert "Đã lưu thông tin cá nhân." in moved.content.decode()
    alice.refresh_from_db()
    assert alice.email == "lan.nguyen@tanhoa.example"
    cache.delete(ProfileForm(user=alice).tries_key())
    [(to, message)] = smtp_server.messages
    assert to == ["LAN@tanhoa.example"] and message["Subject"].strip() == "Email tài khoản Thi Đua DVC đã được đổi"
    body = message.get_content()
    assert "Email của tài khoản alice (Thị Lan) trên Thi Đua DVC vừa được đổi từ LAN@tanhoa.example thành " \
           "lan.nguyen@tanhoa.example lúc 09:15 ngày 20/07/2021." in body
    assert "Nếu không phải bạn đổi, hãy báo ngay quản trị hệ thống" in body

    for n in range(ProfileForm.PASSWORD_TRIES):
        client.post(reverse("profile"), {"first_name": "Thị Lan", "email": "ke-gian@example.com",
                                         "current_password": f"doan-sai-{n}"})
    held = client.post(reverse("profile"), {"first_name": "Thị Lan", "email": "ke-gian@example.com",
                                            "current_password": PASSWORD})  # right, but after five guesses
    assert "Đã nhập sai mật khẩu 5 lần; hãy thử lại sau một giờ" in held.content.decode()
    alice.refresh_from_db()
    assert alice.email == "lan.nguyen@tanhoa.example"
    cache.delete(ProfileForm(user=alice).tries_key())
