"""`thidua remind`: email the units that have not sent a month's report (for cron, or by hand)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.forms import ValidationError

from thidua.campaigns.forms import parse_months
from thidua.campaigns.selectors import active_campaign
from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.reports.emails import (
    AUTOMATIC,
    NO_MAIL_SERVER,
    NO_MAIL_SERVER_ADMIN,
    ReminderError,
    mail_server_described,
    reminders_send,
    smtp_reason,
)
from thidua.reports.selectors import reminder_list, reminder_month
from thidua.scoring.text import format_date, format_month, month_as_typed


class Command(BaseCommand):
    help = ("Gửi email nhắc nộp báo cáo cho các đơn vị chưa nộp báo cáo tháng của phong trào đang áp dụng "
            "(mặc định: tháng sắp đến hạn, hoặc vừa quá hạn mà chưa bị tính là không nộp).")

    def add_arguments(self, parser):
        parser.add_argument("--month", metavar="THÁNG", help="tháng báo cáo, ví dụ 11/2021")
        parser.add_argument("--within", type=int, default=None, metavar="N",
                            help="chỉ gửi khi còn không quá N ngày đến hạn (chạy hằng ngày bằng cron)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi")
        parser.add_argument("--test", metavar="ĐỊA_CHỈ",
                            help="chỉ gửi một thư thử tới địa chỉ này, để kiểm tra cấu hình máy chủ thư "
                                 "(THIDUA_EMAIL_*)")

    def send_test(self, address: str) -> None:
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f"«{address}» không phải địa chỉ email.", returncode=2) from None
        if not settings.THIDUA_EMAIL_ENABLED:
            raise CommandError(NO_MAIL_SERVER_ADMIN.replace("email nhắc", "thư thử"))
        body = "\n".join([
            "Thư thử của Thi Đua DVC: máy chủ thư đã được cấu hình đúng, email nhắc hạn báo cáo và thư "
            "«Quên mật khẩu» sẽ được gửi qua máy chủ này.",
            f"Máy chủ thư: {mail_server_described()}.", "", AUTOMATIC])
        try:
            EmailMessage("Thư thử của Thi Đua DVC", body, to=[address]).send()
        except (OSError, smtplib.SMTPException) as exc:
            raise CommandError(f"Chưa gửi được thư thử qua {mail_server_described()}: {smtp_reason(exc)}.") from None
        self.stdout.write(f"Đã gửi thư thử tới {address} qua {mail_server_described()}; hãy mở hộp thư để xem "
                          "thư đã đến chưa (kể cả mục thư rác).")

    def handle(self, *args, **options):
        if options["test"]:
            self.send_test(options["test"])
            return
        campaign = active_campaign()
        if campaign is None:
            raise CommandError("Chưa có phong trào nào đang áp dụng.")
        if options["month"]:
            try:
                (month,) = parse_months(options["month"]) or [""]
            except (ValidationError, ValueError) as exc:
                example = month_as_typed(campaign.rubric.reports.months[-1])  # the campaign's own last month
                raise CommandError(f"«{options['month']}» không phải là một tháng; ghi theo dạng {example}.") from exc
            if month not in campaign.rubric.reports.months:
                raise CommandError(f"{format_month(month).capitalize()} không phải tháng báo cáo của phong trào.")
        else:
            month = reminder_month(campaign)
            if month is None:
                self.stdout.write("Không còn tháng báo cáo nào đang trong hạn nộp; không gửi thư nào.")
                return
        pending = reminder_list(campaign, month)
        when = (f"còn {pending.days_left} ngày" if pending.days_left > 0
                else "hôm nay là hạn cuối" if pending.days_left == 0 else f"đã quá hạn {-pending.days_left} ngày")
        self.stdout.write(f"Báo cáo {format_month(month)}, hạn {format_date(pending.due)} ({when}): "
                          f"{len(pending.units)} đơn vị chưa nộp.")
        for item in pending.units:
            self.stdout.write(f"  {item.unit.name}: {', '.join(item.emails) or 'chưa có email'}")
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): chưa gửi thư nào. Máy chủ thư: " + (
                f"{mail_server_described()} (kiểm tra bằng: thidua remind --test ĐỊA_CHỈ)."
                if settings.THIDUA_EMAIL_ENABLED else "chưa cấu hình (THIDUA_EMAIL_HOST trống), nên chưa gửi được."))
            return
        if not pending.units:
            return
        if options["within"] is not None and pending.days_left > options["within"]:
            self.stdout.write(f"Còn hơn {options['within']} ngày đến hạn; chưa gửi thư.")
            return
        try:
            outcome = reminders_send(campaign=campaign, month=month, actor=None)
        except ReminderError as exc:
            raise CommandError(NO_MAIL_SERVER_ADMIN if exc.message == NO_MAIL_SERVER else exc.message) from exc
        self.stdout.write(f"Đã gửi email nhắc cho {len(outcome.sent)} đơn vị.")
        if outcome.without_email:
            self.stdout.write("Chưa có email: " + ", ".join(i.unit.name for i in outcome.without_email) + ".")
        if outcome.failed:
            raise CommandError("Chưa gửi được: " + "; ".join(f"{i.unit.name} ({why})" for i, why in outcome.failed))
