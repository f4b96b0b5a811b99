"""Factories for the awards tests: units with scores, closed months, the recorded year-end list."""

from __future__ import annotations

import subprocess
from datetime import date, time

import pytest
from django.test.utils import override_settings

from thidua.campaigns.services import month_close, tie_break_record
from thidua.reports.services import ReportData, report_submit
from thidua.units.models import Unit, User

PROCEDURES = ("Đăng ký khai sinh", "Chứng thực bản sao từ bản chính")


def reporter_of(unit: Unit) -> User:
    user = User.objects.filter(role=User.Role.REPORTER, unit=unit).first()
    if user is None:
        user = User.objects.create_user(username=f"r-{unit.code.lower()}", password="x", role=User.Role.REPORTER,
                                        unit=unit)
    return user


def report(campaign, code: str, month: str = "2021-06", day: int = 20, *, accounts: int = 1800,
           dossiers: int = 210):
    """One monthly report. With the defaults, a commune scores 10 + 20 + 50 + 30 + 20 = 130 as of
    June; each later month without a report costs −5 by the campaign's end (June only: 105)."""
    unit = Unit.objects.get(code=code)
    with override_settings(THIDUA_NOW=f"{month}-{day:02d}T09:00:00+07:00"):
        return report_submit(campaign=campaign, unit=unit, month=month, actor=reporter_of(unit), data=ReportData(
            new_accounts=accounts, dossiers_online=dossiers, resolved_on_time=40, due=40, dossiers_in_person=50,
            has_plan=True, procedures=PROCEDURES))


def close(campaign, month: str, actor):
    return month_close(campaign=campaign, actor=actor, month=month)


def break_tie(campaign, actor, group: str, codes: list[str], total: int):
    return tie_break_record(campaign=campaign, actor=actor, group=group, codes=codes, total=total,
                            reason="Hội đồng xét khâu tổ chức thực hiện và kết quả nổi bật được huyện công nhận.")


@pytest.fixture
def standing(campaign, personas):
    """Year-end standing: communes 115 (TT-CAI-TAC), 110 (TT-MOT-NGAN), 105 (X-TAN-HOA), 100
    (TT-BAY-NGAN); departments BP-MOT-CUA and P-TU-PHAP eligible."""
    report(campaign, "TT-CAI-TAC", accounts=2000)
    report(campaign, "TT-MOT-NGAN", accounts=1900)
    report(campaign, "X-TAN-HOA", accounts=1800)
    report(campaign, "TT-BAY-NGAN", accounts=1700)
    report(campaign, "BP-MOT-CUA", accounts=1800, dossiers=200)
    report(campaign, "P-TU-PHAP", accounts=1700, dossiers=200)
    return campaign


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def docx_text(content: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
                for inner in cell.tables:
                    parts += [c.text for r in inner.rows for c in r.cells]
    return "\n".join(parts)


DEC = date(2021, 12, 1)


@pytest.fixture
def dossier(standing, personas):
    """The standing with June awarded, the district and meeting entered, a nominee and the list recorded."""
    from thidua.awards.services import (
        MeetingData,
        NominationData,
        award_meeting_update,
        district_officials_update,
        monthly_award_decide,
        nomination_create,
        year_end_list_record,
    )

    reviewer = personas["reviewer"]
    close(standing, "2021-06", reviewer)
    monthly_award_decide(campaign=standing, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                         ceremony_date=date(2021, 7, 5), actor=reviewer)
    district_officials_update(campaign=standing, actor=reviewer, chairman_name="Trần Văn Chủ Tịch",
                              head_of_home_affairs_name="Lê Thị Trưởng Phòng", district="Châu Thành A",
                              province="Hậu Giang")
    award_meeting_update(campaign=standing, actor=reviewer, data=MeetingData(
        date=date(2021, 12, 15), time_start=time(14), time_end=time(16),
        place="Phòng họp UBND huyện", chair_name="Lê Thị Trưởng Phòng", chair_position="Trưởng phòng Nội vụ",
        secretary_name="Nguyễn Thư Ký", secretary_position="Chuyên viên",
        members_present="Mai Văn Sang - Trưởng phòng Tư pháp",
        members_absent="Đinh Công Minh - Trưởng phòng KT-HT (đi công tác)"))
    nomination_create(campaign=standing, unit=Unit.objects.get(code="TT-CAI-TAC"), actor=reviewer,
                      data=NominationData(full_name="Trần Văn Lợi", position="Công chức Tư pháp - Hộ tịch",
                                          achievement="Hướng dẫn người dân nộp hồ sơ trực tuyến.", gender="Nam",
                                          birth_date=date(1986, 4, 12)))
    year_end_list_record(campaign=standing, actor=reviewer)
    return standing
