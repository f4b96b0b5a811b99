"""Demo awards for Châu Thành A: monthly decisions June–October, district officials, the review
meeting and a few nominations. Idempotent; called after thidua.demo.seed_demo()."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from thidua.awards import selectors
from thidua.awards.dossier import default_meeting_initial
from thidua.awards.models import AwardMeeting, DistrictOfficials, MonthlyAward, Nomination
from thidua.awards.services import (
    MeetingData,
    NominationData,
    award_meeting_update,
    district_officials_update,
    monthly_award_decide,
    nomination_create,
)
from thidua.campaigns.models import Campaign
from thidua.demo import closed_on
from thidua.documents.demo import demo_district
from thidua.units.models import Unit

# People are fictitious. (unit code, full name, position, gender, birth date)
PEOPLE = [
    ("TT-CAI-TAC", "Trần Văn Lợi", "Công chức Tư pháp - Hộ tịch", "Nam", date(1986, 4, 12)),
    ("TT-CAI-TAC", "Nguyễn Thị Bích Tuyền", "Công chức Văn phòng - Thống kê", "Nữ", date(1990, 9, 3)),
    ("TT-CAI-TAC", "Lâm Hoàng Phúc", "Bí thư Đoàn thị trấn", "Nam", date(1994, 1, 21)),
    ("TT-MOT-NGAN", "Phạm Thị Kim Ngân", "Công chức Văn phòng - Thống kê", "Nữ", date(1988, 11, 15)),
    ("TT-MOT-NGAN", "Võ Minh Tâm", "Công chức Tư pháp - Hộ tịch", "Nam", date(1985, 6, 30)),
    ("TT-BAY-NGAN", "Huỳnh Thị Thanh Trúc", "Công chức Tư pháp - Hộ tịch", "Nữ", date(1992, 2, 8)),
    ("BP-MOT-CUA", "Nguyễn Thanh Tùng", "Chuyên viên Bộ phận tiếp nhận và trả kết quả", "Nam", date(1989, 7, 19)),
    ("P-TNMT", "Lê Thị Diễm My", "Chuyên viên Phòng Tài nguyên và Môi trường", "Nữ", date(1991, 12, 1)),
    ("P-TU-PHAP", "Đoàn Văn Khải", "Chuyên viên Phòng Tư pháp", "Nam", date(1987, 3, 27)),
]
ACHIEVEMENT = ("trực tiếp hướng dẫn người dân tạo tài khoản và nộp hồ sơ trực tuyến mức độ 3, mức độ 4; "
               "hỗ trợ số hóa hồ sơ tại bộ phận một cửa")


def _ceremony_date(month: str) -> date:
    """The first Monday after the month is closed and its award decided (the monthly flag ceremony)."""
    after = closed_on(month) + timedelta(days=1)
    return after + timedelta(days=(7 - after.weekday()) % 7)


def _at(day: date, hour: int = 9) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+07:00"


def seed_demo_awards(campaign: Campaign) -> None:
    User = get_user_model()
    reviewer = User.objects.filter(role=User.Role.REVIEWER, is_active=True).order_by("pk").first()
    if reviewer is None:
        return
    with transaction.atomic():
        if not DistrictOfficials.objects.filter(campaign=campaign).exists():
            d = demo_district()
            with override_settings(THIDUA_NOW=_at(date(2021, 6, 10))):  # entered as the campaign began
                district_officials_update(campaign=campaign, actor=reviewer, chairman_name=d.chairman_name,
                                          head_of_home_affairs_name=d.head_of_home_affairs_name,
                                          district=d.district, province=d.province)
        if not AwardMeeting.objects.filter(campaign=campaign).exists():
            initial = default_meeting_initial(campaign)
            with override_settings(THIDUA_NOW=_at(initial["date"], 17)):
                award_meeting_update(campaign=campaign, actor=reviewer, data=MeetingData(**initial))
        for month in campaign.rubric.reports.months:
            if month > "2021-10" or MonthlyAward.objects.in_force().filter(campaign=campaign, month=month).exists():
                continue
            proposal = selectors.monthly_proposal(campaign, month)
            if not proposal.closed or not proposal.choices:
                continue
            chosen = proposal.proposed or proposal.choices[0]
            reason = "" if proposal.proposed else (
                "Chưa đơn vị nào đạt 90 điểm; chọn đơn vị có tổng điểm cao nhất, báo cáo tháng đúng hạn, "
                "có nhiều giải pháp hỗ trợ người dân nộp hồ sơ trực tuyến trong tháng."
            )
            ceremony = _ceremony_date(month)
            with override_settings(THIDUA_NOW=_at(closed_on(month), 10)):  # decided once the month is closed
                monthly_award_decide(campaign=campaign, month=month, unit=Unit.objects.get(code=chosen.code),
                                     ceremony_date=ceremony, reason=reason, actor=reviewer)
        if not Nomination.objects.filter(campaign=campaign).exists():
            with override_settings(THIDUA_NOW=_at(date(2021, 12, 10))):
                for code, name, position, gender, born in PEOPLE:
                    unit = Unit.objects.filter(code=code).first()
                    if unit is None:
                        continue
                    quota = selectors.quota_for(campaign, unit)
                    if quota is None or quota.remaining <= 0:
                        continue
                    actor = User.objects.filter(role=User.Role.REPORTER, unit=unit, is_active=True).first() or reviewer
                    nomination_create(campaign=campaign, unit=unit, actor=actor, data=NominationData(
                        full_name=name, position=position, achievement=ACHIEVEMENT, birth_date=born, gender=gender))
