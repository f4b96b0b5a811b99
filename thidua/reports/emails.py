"""Emails to the units: deadline reminders (reminders_send; thidua remind) and the notice of a review
(notify_unit, for report_return and report_mark_untruthful), through the office's mail server."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from thidua.campaigns.models import Campaign
from thidua.core import clock
from thidua.core.audit import audit
from thidua.reports.selectors import reminder_list
from thidua.scoring.text import format_date, format_month, format_report_penalties
from thidua.units.accounts import reporters_in_use
from thidua.units.models import Unit

logger = logging.getLogger(__name__)


class ReminderError(Exception):
    """No reminder could be sent; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReminderOutcome:
    sent: tuple  # ReminderUnit, each reminded by one email to its reporters
    failed: tuple  # (ReminderUnit, why)
    without_email: tuple  # ReminderUnit whose reporters gave no address


def _timing(days_left: int) -> str:
    if days_left > 0:
        return f"Còn {days_left} ngày đến hạn."
    if days_left == 0:
        return "Hôm nay là ngày cuối của hạn nộp."
    return f"Báo cáo đã quá hạn {-days_left} ngày."


AUTOMATIC = "Thư này do Thi Đua DVC gửi tự động; vui lòng không trả lời thư này."


def letter(unit: Unit, lines: list[str]) -> str:
    """The body of an email to a unit's reporters: the greeting, the lines, the automatic-mail note."""
    return "\n".join([f"Kính gửi: Cán bộ báo cáo {unit.name},", "", *lines, "", AUTOMATIC])


def submit_link(site_url: str, month: str, verb: str = "Nộp báo cáo") -> str:
    path = reverse("report-submit", kwargs={"month": month})
    if site_url:
        return f"{verb} tại: {site_url.rstrip('/')}{path}"
    return f"{verb} trên Thi Đua DVC, mục «Báo cáo tháng»."


@dataclass
class UnitNotice:
    """The email telling a unit's reporters of a review: to whom, and, once the review has committed and
    the mail server was asked, whether it went (``error``: why not, in Vietnamese)."""

    recipients: list[str]
    sent: bool = False
    error: str = ""


def notify_unit(unit: Unit, subject: str, lines: list[str]) -> UnitNotice | None:
    """Once the write has committed, email the unit's active reporters who gave an address (when a mail
    server is set); None when there is no one to email. A mail server that fails is logged and noted on
    the returned notice for the reviewer; it never undoes the write."""
    if not settings.THIDUA_EMAIL_ENABLED:
        return None
    emails = list(dict.fromkeys(reporters_in_use().filter(unit=unit).exclude(email="")
                                .values_list("email", flat=True)))
    if not emails:
        return None
    body = letter(unit, lines)
    notice = UnitNotice(emails)

    def send() -> None:
        try:
            EmailMessage(subject, body, to=emails).send()
        except (OSError, smtplib.SMTPException) as exc:
            logger.exception("could not email the reporters of %s: %s", unit.code, subject)
            notice.error = smtp_reason(exc)
        else:
            notice.sent = True

    transaction.on_commit(send)
    return notice


def office_name(campaign: Campaign) -> str:
    from thidua.awards.dossier import district_info

    info = district_info(campaign)
    return f"{info.home_affairs} {info.locality}"


def reminder_email(campaign: Campaign, reminders, item, *, site_url: str = "", today=None) -> tuple[str, str]:
    """The subject and text of the reminder to one unit's reporters (``reminders``: a ReminderList)."""
    rules, office = campaign.rubric.reports, office_name(campaign)
    month, due = format_month(reminders.month), format_date(reminders.due)
    subject = f"Nhắc nộp báo cáo {month} (hạn {due}) — {item.unit.name}"
    body = letter(item.unit, [
        f"Theo phong trào «{campaign.name}», báo cáo {month} gửi {office} chậm nhất ngày {due}. "
        + _timing(reminders.days_left),
        f"Đến ngày {format_date(today or clock.today())}, {office} chưa nhận được báo cáo {month} của đơn vị "
        "trên Thi Đua DVC.",
        format_report_penalties(rules.late_bands, rules.missing_points),
        "",
        submit_link(site_url, reminders.month),
        "",
        f"Nếu đơn vị đã gửi báo cáo bằng cách khác, xin liên hệ {office}.",
    ])
    return subject, body


def reminder_notice(campaign: Campaign, reminders, *, site_url: str = "") -> str:
    """One message naming every unit that has not reported, to paste into a group chat or read out."""
    rules = campaign.rubric.reports
    month, due = format_month(reminders.month), format_date(reminders.due)
    names = "\n".join(f"{n}. {item.unit.name}" for n, item in enumerate(reminders.units, 1))
    return "\n".join([
        f"Nhắc nộp báo cáo {month} (hạn {due}). {_timing(reminders.days_left)}",
        f"Các đơn vị chưa nộp ({len(reminders.units)}):",
        names,
        format_report_penalties(rules.late_bands, rules.missing_points),
        submit_link(site_url, reminders.month),
    ])


def smtp_reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "sai tài khoản hoặc mật khẩu thư (THIDUA_EMAIL_USER, THIDUA_EMAIL_PASSWORD)"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"máy chủ trả lời {exc.smtp_code}: {text}"
    if isinstance(exc, ConnectionRefusedError):
        return "máy chủ từ chối kết nối"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "quá thời gian chờ"
    if isinstance(exc, socket.gaierror):
        return "không tìm thấy tên máy chủ"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "máy chủ không hỗ trợ STARTTLS (thử THIDUA_EMAIL_SECURITY=ssl hoặc none)"
    if isinstance(exc, ssl.SSLError):
        return f"lỗi kết nối mã hóa SSL/TLS ({exc.reason or exc}); kiểm tra THIDUA_EMAIL_SECURITY và THIDUA_EMAIL_PORT"
    return exc.__class__.__name__


def mail_server_described() -> str:
    """«mail.example.gov.vn, cổng 587, starttls, tài khoản …» for the administrator."""
    security = "ssl" if settings.EMAIL_USE_SSL else "starttls" if settings.EMAIL_USE_TLS else "không mã hóa"
    account = f", tài khoản {settings.EMAIL_HOST_USER}" if settings.EMAIL_HOST_USER else ""
    sender = settings.DEFAULT_FROM_EMAIL
    return f"{settings.EMAIL_HOST}, cổng {settings.EMAIL_PORT}, {security}{account}, người gửi {sender}"


# Worded for the reviewer who reads it on the web; the command line adds the setting's name for an administrator
NO_MAIL_SERVER = "Máy chủ thư chưa được cấu hình (nhờ quản trị viên cài đặt), nên chưa gửi được email nhắc."
NO_MAIL_SERVER_ADMIN = ("Máy chủ thư chưa được cấu hình (đặt THIDUA_EMAIL_HOST trong tệp .env, xem README), "
                        "nên chưa gửi được email nhắc.")


def reminders_send(*, campaign: Campaign, month: str, actor, site_url: str = "", today=None) -> ReminderOutcome:
    """Email each unit that has not sent ``month``'s report, one message to its reporters' addresses
    (linking to ``site_url``, else THIDUA_SITE_URL);
    audited with what was sent, what failed and which units have no address. Raises ReminderError
    when email is not set up or the mail server cannot be reached (then nothing was sent)."""
    if not settings.THIDUA_EMAIL_ENABLED:
        raise ReminderError(NO_MAIL_SERVER)
    if month not in campaign.rubric.reports.months:
        raise ReminderError(f"«{month}» không phải tháng báo cáo của phong trào.")
    site_url = site_url or settings.THIDUA_SITE_URL  # the command has no request to take it from
    reminders = reminder_list(campaign, month, today)
    targets = reminders.with_email
    if not targets:
        return ReminderOutcome((), (), reminders.without_email)
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        raise ReminderError(f"Không kết nối được máy chủ thư {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
                            f" ({smtp_reason(exc)}); chưa gửi thư nào.") from exc
    sent, failed = [], []
    try:
        for index, item in enumerate(targets):
            subject, body = reminder_email(campaign, reminders, item, site_url=site_url, today=today)
            try:
                EmailMessage(subject, body, to=list(item.emails), connection=connection).send()
            except smtplib.SMTPRecipientsRefused:
                failed.append((item, "máy chủ thư từ chối địa chỉ " + ", ".join(item.emails)))
            except smtplib.SMTPResponseException as exc:  # this message refused; the next may pass
                failed.append((item, smtp_reason(exc)))
            except (OSError, smtplib.SMTPException) as exc:  # the connection is gone: the rest are not sent
                failed.extend((rest, f"mất kết nối máy chủ thư ({smtp_reason(exc)})") for rest in targets[index:])
                break
            else:
                sent.append(item)
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    outcome = ReminderOutcome(tuple(sent), tuple(failed), reminders.without_email)
    summary = f"Gửi email nhắc nộp báo cáo {format_month(month)} cho {len(sent)} đơn vị"
    if failed:
        summary += f"; {len(failed)} đơn vị không gửi được"
    audit("report.reminders_sent", actor=actor, campaign_code=campaign.code, summary=summary,
          after={"month": month, "sent": [i.unit.code for i in sent],
                 "failed": {i.unit.code: why for i, why in failed},
                 "without_email": [i.unit.code for i in reminders.without_email]})
    return outcome
