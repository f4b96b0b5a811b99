"""`thidua campaign list|create|activate`: the campaigns of an installation, from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError

from thidua.campaigns.forms import example_months, format_months, parse_months
from thidua.campaigns.models import DECREE_42_IN_FORCE, DECREE_42_ONLINE_WORDING, PLAN_211_ONLINE_WORDING, Campaign
from thidua.campaigns.selectors import campaign_rows
from thidua.campaigns.services import campaign_activate, campaign_create_from, rubric_file_data
from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.scoring import builtin_rubrics
from thidua.scoring.text import format_date


def _date(text: str):
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"Ngày «{text}» không đúng dạng dd/mm/yyyy, ví dụ 12/01/2026.", returncode=2) from None


class Command(BaseCommand):
    help = "Xem, tạo và áp dụng phong trào thi đua."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="LỆNH")
        sub.add_parser("list", help="danh sách phong trào")
        create = sub.add_parser("create", help="tạo phong trào theo mẫu có sẵn hoặc tệp tiêu chí .json")
        create.add_argument("--from", dest="source", default="chau-thanh-a-2021", metavar="MẪU",
                            help="mã tiêu chí mẫu (mặc định: chau-thanh-a-2021, Kế hoạch 211) hoặc đường dẫn tệp .json")
        create.add_argument("--code", required=True, metavar="MÃ",
                            help="mã phong trào (chữ thường không dấu, số, gạch ngang)")
        create.add_argument("--name", default="", metavar="TÊN",
                            help="tên phong trào (bắt buộc khi theo mẫu; tệp .json: mặc định tên trong tệp)")
        create.add_argument("--document", default="", metavar="VĂN_BẢN",
                            help="văn bản phát động (số, ngày, cơ quan ban hành)")
        create.add_argument("--start", default="", metavar="NGÀY", help="ngày bắt đầu thi đua, dd/mm/yyyy")
        create.add_argument("--end", default="", metavar="NGÀY", help="ngày kết thúc thi đua, dd/mm/yyyy")
        create.add_argument("--months", default="", metavar="THÁNG", help="các tháng báo cáo, ví dụ 01/2026,02/2026 "
                                                         "(mặc định: các tháng có hạn báo cáo trong thời gian thi đua)")
        create.add_argument("--online-wording", default="", metavar="CÁCH_GỌI",
                            help="cách gọi dịch vụ công trực tuyến, đứng sau «Hồ sơ …» (mặc định: "
                                 f"«{PLAN_211_ONLINE_WORDING}» nếu thi đua bắt đầu trước "
                                 f"{DECREE_42_IN_FORCE:%d/%m/%Y}, «{DECREE_42_ONLINE_WORDING}» từ ngày đó)")
        create.add_argument("--no-activate", action="store_true", help="tạo nhưng chưa áp dụng")
        activate = sub.add_parser("activate", help="áp dụng một phong trào (phong trào đang áp dụng sẽ ngừng)")
        activate.add_argument("code", metavar="MÃ", help="mã phong trào")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            return self._list()
        if action == "activate":
            campaign = Campaign.objects.filter(code=options["code"]).first()
            if campaign is None:
                raise CommandError(f"Không có phong trào mang mã «{options['code']}».", returncode=2)
            campaign_activate(campaign=campaign, actor=None)
            self.stdout.write(f"Đang áp dụng: {campaign.name} ({campaign.code}).")
            return None
        return self._create(options)

    def _list(self) -> None:
        rows = campaign_rows()
        if not rows:
            self.stdout.write("Chưa có phong trào nào. Tạo bằng: thidua campaign create --code MÃ [--start dd/mm/yyyy "
                              "--end dd/mm/yyyy]")
        for row in rows:
            mark = "*" if row.campaign.active else " "
            groups = "; ".join(f"{g.label}: {g.units}" for g in row.groups)
            self.stdout.write(f"{mark} {row.campaign.code}  {row.campaign.name}")
            self.stdout.write(f"    {format_date(row.start)} – {format_date(row.end)}, {row.months_text}; "
                              f"đơn vị theo nhóm: {groups}")

    def _create(self, options) -> None:
        source = options["source"]
        if source in builtin_rubrics():
            base = builtin_rubrics()[source].to_data()
        else:
            path = Path(source)
            if not path.is_file():
                known = ", ".join(builtin_rubrics())
                raise CommandError(f"«{source}» không phải mã tiêu chí mẫu ({known}) hay tệp .json có sẵn.",
                                   returncode=2)
            try:
                base = rubric_file_data(path.read_bytes())
            except ValidationError as exc:
                raise CommandError(exc.messages[0], returncode=2) from None
        start = _date(options["start"]) if options["start"] else None
        end = _date(options["end"]) if options["end"] else None
        try:  # a month it cannot read: the window's first month as the example
            months = parse_months(options["months"], example=example_months(start)[0]) if options["months"] else None
        except ValidationError as exc:
            raise CommandError(exc.messages[0], returncode=2) from None
        try:
            campaign = campaign_create_from(
                base=base, actor=None, code=options["code"], name=options["name"], document=options["document"],
                start=start, end=end, months=months, online_wording=options["online_wording"],
                activate=not options["no_activate"])
        except ValidationError as exc:
            for line in exc.messages:
                self.stderr.write(line)
            raise CommandError("Chưa tạo phong trào.", returncode=2) from None
        rubric = campaign.rubric
        state = "đang áp dụng" if campaign.active else "chưa áp dụng"
        self.stdout.write(f"Đã tạo phong trào {campaign.code} ({state}): {campaign.name}")
        window = f"{format_date(rubric.campaign.start)} – {format_date(rubric.campaign.end)}"
        self.stdout.write(f"Thời gian thi đua {window}; tháng báo cáo: {format_months(rubric.reports.months)}.")
        self.stdout.write(f"Hồ sơ được tính: {campaign.online_dossiers_label}.")
