"""The Châu Thành A demo: the 2021 registry, Plan 211, users per role and six months of reports.

Seeding goes through the same services as real use (report_submit, report_verify, ...), with the
clock pinned to each historical submission time, so the demo's data and audit log are what real
use would have produced. Seeding is idempotent: a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_create, month_close
from thidua.reports.models import Report
from thidua.reports.services import (
    ReportData,
    report_mark_untruthful,
    report_return,
    report_submit,
    report_verify,
)
from thidua.scoring import plan_211
from thidua.units import chau_thanh_a
from thidua.units.chau_thanh_a import COMMUNES, DEPARTMENTS
from thidua.units.models import Unit

DEMO_PASSWORD = "ThiDua@2021"

PROCEDURES = [
    "Đăng ký khai sinh", "Chứng thực bản sao từ bản chính", "Đăng ký kết hôn", "Đăng ký khai tử",
    "Cấp bản sao trích lục hộ tịch", "Đăng ký thường trú", "Xác nhận tình trạng hôn nhân",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Đăng ký hộ kinh doanh", "Cấp giấy phép kinh doanh bán lẻ rượu",
    "Thẩm định hồ sơ trợ cấp xã hội", "Chứng thực chữ ký", "Cấp giấy chứng nhận quyền sử dụng đất",
    "Đăng ký biến động đất đai", "Cấp phép tổ chức lễ hội",
]


@dataclass(frozen=True)
class Plan:
    """A unit's campaign totals; they are split over the six months of reports."""

    plan: bool
    procedures: int
    accounts: int
    dossiers: int
    on_time: int
    due: int
    in_person: int


PLANS = {
    # communes — X-TAN-HOA and TT-RACH-GOI end level at 125 points: the demo's tie.
    "TT-MOT-NGAN": Plan(True, 4, 1730, 262, 248, 250, 600),
    "TT-BAY-NGAN": Plan(True, 3, 1850, 310, 297, 300, 520),
    "TT-RACH-GOI": Plan(True, 3, 1790, 230, 196, 200, 480),
    "TT-CAI-TAC": Plan(True, 5, 2100, 300, 200, 200, 610),
    "X-NHON-NGHIA-A": Plan(True, 2, 1620, 215, 99, 100, 450),
    "X-TAN-HOA": Plan(True, 3, 1760, 225, 196, 200, 470),
    "X-TAN-PHU-THANH": Plan(True, 2, 1520, 205, 98, 100, 430),
    "X-THANH-XUAN": Plan(True, 1, 1510, 198, 95, 100, 500),
    "X-TRUONG-LONG-A": Plan(False, 1, 1550, 210, 98, 100, 390),
    "X-TRUONG-LONG-TAY": Plan(True, 2, 1600, 200, 96, 100, 410),
    # departments
    "VP-HDND-UBND": Plan(True, 2, 1500, 160, 99, 100, 300),
    "BP-MOT-CUA": Plan(True, 12, 2600, 420, 399, 400, 900),
    "P-NOI-VU": Plan(True, 3, 1500, 150, 50, 50, 120),
    "P-TU-PHAP": Plan(True, 4, 1650, 190, 98, 100, 260),
    "P-TAI-CHINH-KH": Plan(True, 5, 1700, 230, 120, 122, 240),
    "P-TNMT": Plan(True, 6, 1900, 260, 240, 250, 700),
    "P-KT-HT": Plan(True, 2, 1550, 170, 85, 86, 310),
    "P-NN-PTNT": Plan(False, 1, 900, 80, 40, 40, 200),
    "P-LD-TBXH": Plan(True, 3, 1600, 155, 100, 100, 280),
    "P-VH-TT": Plan(True, 0, 600, 40, 0, 0, 90),
    "P-GD-DT": Plan(True, 1, 1500, 150, 0, 0, 150),
    "P-Y-TE": Plan(True, 2, 1520, 160, 98, 100, 220),
}

# Day of the month each report was first submitted; the default is on time.
SUBMIT_DAY = {
    ("TT-MOT-NGAN", "2021-07"): 27,        # 2 days late: −2
    ("TT-BAY-NGAN", "2021-09"): 26,        # 1 day late: −2
    ("X-NHON-NGHIA-A", "2021-09"): 30,     # 5 days late: −5
    ("X-TAN-PHU-THANH", "2021-08"): 26,    # 1 day late: −2
    ("P-TAI-CHINH-KH", "2021-06"): 28,     # 3 days late: −2
    ("P-TAI-CHINH-KH", "2021-10"): 29,     # 4 days late: −5
}
MISSING = {("X-TRUONG-LONG-TAY", "2021-10"), ("P-Y-TE", "2021-08")}
UNTRUTHFUL = ("TT-CAI-TAC", "2021-08")
RETURNED = ("X-NHON-NGHIA-A", "2021-11")
WEIGHTS = (10, 14, 16, 18, 20, 22)  # share of the campaign totals reported each month, in percent


def _split(total: int) -> list[int]:
    parts = [total * w // 100 for w in WEIGHTS]
    parts[-1] += total - sum(parts)
    return parts


def _month_data(plan: Plan, index: int) -> ReportData:
    count = -(-plan.procedures * (index + 1) // len(WEIGHTS))  # ceil: the list grows to n
    due = _split(plan.due)[index]
    late_ones = plan.due - plan.on_time if index == len(WEIGHTS) - 1 else 0  # misses land in the last month
    return ReportData(
        new_accounts=_split(plan.accounts)[index], dossiers_online=_split(plan.dossiers)[index],
        resolved_on_time=due - late_ones, due=due,
        dossiers_in_person=_split(plan.in_person)[index], has_plan=plan.plan,
        procedures=tuple(PROCEDURES[:count]),
        initiatives="Tổ chức tổ hỗ trợ người dân nộp hồ sơ trực tuyến tại bộ phận một cửa." if index == 2 else "",
    )


def _ensure_registry() -> None:
    for fields in chau_thanh_a.registry():  # parents first
        fields = dict(fields)
        code, parent = fields.pop("code"), fields.pop("parent")
        fields["parent"] = Unit.objects.get(code=parent) if parent else None
        Unit.objects.get_or_create(code=code, defaults=fields)


def _ensure_user(username: str, *, role: str, first: str, last: str, unit: Unit | None = None,
                 superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={
        "role": role, "first_name": first, "last_name": last, "unit": unit,
        "is_staff": superuser, "is_superuser": superuser})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _ensure_users() -> dict[str, object]:
    R = get_user_model().Role
    noi_vu = Unit.objects.get(code="P-NOI-VU")
    users = {
        "admin": _ensure_user("quantri", role=R.ADMIN, first="Quản trị hệ thống", last="", superuser=True),
        "reviewer": _ensure_user("noivu", role=R.REVIEWER, first="Thanh Bình", last="Nguyễn", unit=noi_vu),
        "leader": _ensure_user("lanhdao", role=R.LEADER, first="Văn Minh", last="Trần"),
    }
    for code, _name, head in COMMUNES + DEPARTMENTS:
        unit = Unit.objects.get(code=code)
        last, _, first = head.partition(" ")
        users[code] = _ensure_user(code.lower(), role=R.REPORTER, first=first, last=last, unit=unit)
    return users


def demo_usernames() -> set[str]:
    """The accounts the demo creates (_ensure_users)."""
    return {"quantri", "noivu", "lanhdao", *(code.lower() for code, *_ in COMMUNES + DEPARTMENTS)}


def foreign_users() -> list[str]:
    """Accounts in the database the demo did not create: it holds real data, and the demo must not seed
    accounts with a published password into it."""
    names = get_user_model().objects.exclude(username__in=demo_usernames()).values_list("username", flat=True)
    return sorted(names[:6])


def _at(month: str, day: int, hour: int = 9) -> str:
    return f"{month}-{day:02d}T{hour:02d}:30:00+07:00"


def closed_on(month: str) -> date:
    """The day the demo closes a reporting month ("YYYY-MM"): the 2nd of the next month (its award is
    decided that day too, thidua.awards.demo)."""
    year, mon = int(month[:4]), int(month[5:])
    return date(year + mon // 12, mon % 12 + 1, 2)


def seed_demo() -> Campaign:
    """Create or complete the demo; returns the campaign. Safe to run any number of times."""
    with transaction.atomic():
        _ensure_registry()
        users = _ensure_users()
        with override_settings(THIDUA_NOW=_at("2021-06", 8, 8)):  # the plan's day
            campaign = campaign_create(rubric=plan_211(), actor=users["admin"])
        if not Report.objects.filter(campaign=campaign).exists():
            _seed_reports(campaign, users)
        from thidua.awards.demo import seed_demo_awards

        seed_demo_awards(campaign)
    return campaign


def _seed_reports(campaign: Campaign, users: dict) -> None:
    """Six months of reports through the services, with the clock pinned to each submission."""
    reviewer = users["reviewer"]
    months = list(campaign.rubric.reports.months)
    for index, month in enumerate(months):
        for code, *_ in COMMUNES + DEPARTMENTS:
            if (code, month) in MISSING:
                continue
            day = SUBMIT_DAY.get((code, month), 18 + (sum(map(ord, code)) + index) % 7)
            unit = Unit.objects.get(code=code)
            with override_settings(THIDUA_NOW=_at(month, day)):
                report = report_submit(campaign=campaign, unit=unit, month=month, actor=users[code],
                                       data=_month_data(PLANS[code], index))
            if month != months[-1]:
                with override_settings(THIDUA_NOW=_at(month, min(day + 2, 28), 15)):
                    report_verify(report=report, actor=reviewer)
        if month <= "2021-10":
            closed = closed_on(month)
            with override_settings(THIDUA_NOW=_at(f"{closed:%Y-%m}", closed.day, 8)):
                month_close(campaign=campaign, actor=reviewer, month=month)
    returned = Report.objects.get(campaign=campaign, unit__code=RETURNED[0], month=RETURNED[1])
    with override_settings(THIDUA_NOW=_at("2021-11", 27, 10)):
        report_return(report=returned, actor=reviewer,
                      reason="Thiếu minh chứng số tài khoản tạo mới; đề nghị bổ sung danh sách từ Cổng.")
    untruthful = Report.objects.get(campaign=campaign, unit__code=UNTRUTHFUL[0], month=UNTRUTHFUL[1])
    with override_settings(THIDUA_NOW=_at("2021-11", 15, 14)):
        report_mark_untruthful(
            report=untruthful, actor=reviewer,
            reason="Phúc tra: số hồ sơ trực tuyến tháng 8 báo cáo cao hơn danh sách trên Cổng DVC.")


def demo_logins() -> list[tuple[str, str, str]]:
    return [
        ("Quản trị hệ thống", "quantri", DEMO_PASSWORD),
        ("Cán bộ thẩm định Phòng Nội vụ", "noivu", DEMO_PASSWORD),
        ("Lãnh đạo (chỉ xem)", "lanhdao", DEMO_PASSWORD),
        ("Cán bộ báo cáo Xã Tân Hòa", "x-tan-hoa", DEMO_PASSWORD),
        ("Cán bộ báo cáo Phòng Tư pháp", "p-tu-phap", DEMO_PASSWORD),
        ("Mọi đơn vị khác: tên đăng nhập là mã đơn vị viết thường", "vd: tt-mot-ngan", DEMO_PASSWORD),
    ]
