"""Year-end places from the final standing: prize, bonus, quota; pending on a tie; fewer places;
the recorded list; the budget."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.web.awards.conftest import break_tie, report
from thidua.awards.models import DossierItem, YearEndProposal
from thidua.awards.selectors import budget, year_end_standing
from thidua.awards.services import year_end_list_record, year_end_list_reopen
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_communes_take_places_one_to_three_with_prize_bonus_and_quota(standing):
    s = year_end_standing(standing)
    assert [(p.place, p.cards[0].code, p.prize_vnd, p.bonus_points, p.individuals) for p in s.places] == [
        (1, "TT-CAI-TAC", 10_000_000, 15, 5),
        (2, "TT-MOT-NGAN", 7_000_000, 10, 4),
        (3, "X-TAN-HOA", 5_000_000, 5, 3),
    ]
    assert not s.pending
    departments = s.collectives[0]
    assert [c.code for c in departments.certain] == ["BP-MOT-CUA", "P-TU-PHAP"]
    assert departments.max_collectives == 7 and departments.individuals == 15


def test_a_tie_holds_the_place_as_pending_without_prize_until_the_tie_break(campaign, personas, client_for):
    report(campaign, "TT-CAI-TAC", accounts=2000)
    report(campaign, "TT-MOT-NGAN", accounts=2000)
    report(campaign, "X-TAN-HOA", accounts=1800)
    s = year_end_standing(campaign)
    assert s.pending and s.places[0].pending and s.places[0].place == 1
    assert {c.code for c in s.places[0].cards} == {"TT-CAI-TAC", "TT-MOT-NGAN"}
    page = client_for(personas["reviewer"]).get("/khen-thuong/cuoi-nam/").content.decode()
    assert "Chờ phân định bằng điểm" in page
    _, total = budget(campaign)
    assert total == 6_000_000 + 5_000_000  # places 1 and 2 wait for the council
    with pytest.raises(ValidationError, match="chờ phân định"):
        year_end_list_record(campaign=campaign, actor=personas["reviewer"])

    break_tie(campaign, personas["reviewer"], "commune", ["TT-MOT-NGAN", "TT-CAI-TAC"], 115)
    s = year_end_standing(campaign)
    assert not s.pending
    assert [(p.place, p.cards[0].code, p.prize_vnd) for p in s.places] == [
        (1, "TT-MOT-NGAN", 10_000_000), (2, "TT-CAI-TAC", 7_000_000), (3, "X-TAN-HOA", 5_000_000)]
    assert s.places[0].cards[0].tie_resolved


def test_fewer_than_three_eligible_communes_give_fewer_places(campaign, personas):
    report(campaign, "TT-CAI-TAC", accounts=2000)
    report(campaign, "TT-MOT-NGAN", accounts=1900)
    report(campaign, "X-TAN-HOA", accounts=300, dossiers=40)  # far below 90
    s = year_end_standing(campaign)
    assert [p.place for p in s.places] == [1, 2] and s.empty_places == [3]
    rows, total = budget(campaign)
    assert total == 6_000_000 + 10_000_000 + 7_000_000
    assert rows[-1].note == "Không có đơn vị đạt"


def test_the_budget_of_plan_211_is_28_million_when_every_place_is_awarded(standing, personas, client_for):
    rows, total = budget(standing)
    assert total == 28_000_000
    assert (rows[0].quantity, rows[0].unit_vnd) == (6, 1_000_000)
    page = client_for(personas["leader"]).get("/khen-thuong/").content.decode()
    assert "28.000.000 đ" in page


def test_the_reviewer_records_the_proposal_list_with_its_dossier_and_it_is_audited(standing, personas, client_for):
    response = client_for(personas["reviewer"]).post("/khen-thuong/cuoi-nam/chot/")
    assert response.status_code == 302
    rows = list(YearEndProposal.objects.order_by("position").values_list("unit__code", "place", "prize_vnd",
                                                                         "individuals_quota"))
    assert rows == [("TT-CAI-TAC", 1, 10_000_000, 5), ("TT-MOT-NGAN", 2, 7_000_000, 4),
                    ("X-TAN-HOA", 3, 5_000_000, 3), ("BP-MOT-CUA", None, 0, None), ("P-TU-PHAP", None, 0, None)]
    assert DossierItem.objects.count() == 5 * 3
    assert AuditEvent.objects.filter(action="year_end.list_recorded").count() == 1
    with pytest.raises(ValidationError, match="đã được chốt"):
        year_end_list_record(campaign=standing, actor=personas["reviewer"])


def test_the_reviewer_reopens_a_recorded_list_with_a_reason_and_records_it_again(standing, personas, client_for):
    client = client_for(personas["reviewer"])
    client.post("/khen-thuong/cuoi-nam/chot/")
    page = client.get("/khen-thuong/cuoi-nam/").content.decode()
    assert "Mở lại danh sách đề nghị" in page and 'action="/khen-thuong/cuoi-nam/mo-lai/"' in page

    response = client.post("/khen-thuong/cuoi-nam/mo-lai/", {"reason": "sai"}, follow=True)
    assert "Cần ghi rõ lý do mở lại danh sách đề nghị" in response.content.decode()
    assert YearEndProposal.objects.count() == 5  # nothing removed

    reason = "Phòng Tư pháp bổ sung báo cáo tháng 11 sau khi chốt"
    response = client.post("/khen-thuong/cuoi-nam/mo-lai/", {"reason": reason}, follow=True)
    assert "Đã mở lại danh sách đề nghị (5 tập thể)." in response.content.decode()
    assert YearEndProposal.objects.count() == 0 and DossierItem.objects.count() == 0
    event = AuditEvent.objects.get(action="year_end.list_reopened")
    assert reason in event.summary and event.actor == personas["reviewer"]
    assert [row["unit"] for row in event.before] == ["TT-CAI-TAC", "TT-MOT-NGAN", "X-TAN-HOA", "BP-MOT-CUA",
                                                      "P-TU-PHAP"]
    assert "Chốt danh sách đề nghị</button>" in response.content.decode()

    client.post("/khen-thuong/cuoi-nam/chot/")  # recorded again from the standing of now
    assert YearEndProposal.objects.count() == 5
    assert AuditEvent.objects.filter(action="year_end.list_recorded").count() == 2


def test_a_list_with_a_signed_document_or_not_recorded_cannot_be_reopened(standing, personas, client_for):
    reviewer = personas["reviewer"]
    with pytest.raises(ValidationError, match="chưa được chốt"):
        year_end_list_reopen(campaign=standing, reason="Sửa số liệu tháng 11", actor=reviewer)
    year_end_list_record(campaign=standing, actor=reviewer)
    item = DossierItem.objects.get(proposal__unit__code="TT-MOT-NGAN", kind="to_trinh")
    item.generated_at, item.signed_on, item.signed_by = item.proposal.recorded_at, date(2021, 12, 16), reviewer
    item.save()
    with pytest.raises(ValidationError, match="Tờ trình đề nghị khen thưởng — Thị trấn Một Ngàn"):
        year_end_list_reopen(campaign=standing, reason="Sửa số liệu tháng 11", actor=reviewer)
    # the same through the page: the reviewer reads why, and the list stays as it was
    page = client_for(reviewer).post("/khen-thuong/cuoi-nam/mo-lai/", {"reason": "Sửa số liệu tháng 11"},
                                     follow=True).content.decode()
    assert "Hồ sơ đã có văn bản được ký, nộp (Tờ trình đề nghị khen thưởng — Thị trấn Một Ngàn)" in page
    assert YearEndProposal.objects.count() == 5 and not AuditEvent.objects.filter(
        action="year_end.list_reopened").exists()
    for persona in ("commune_reporter", "leader"):
        response = client_for(personas[persona]).post("/khen-thuong/cuoi-nam/mo-lai/", {"reason": "x" * 20})
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        year_end_list_reopen(campaign=standing, reason="Sửa số liệu tháng 11", actor=personas["leader"])
    assert YearEndProposal.objects.count() == 5


def test_the_page_says_how_todays_standing_differs_from_the_locked_list(standing, personas, client_for):
    client = client_for(personas["reviewer"])
    client.post("/khen-thuong/cuoi-nam/chot/")
    assert "khác danh sách đã chốt" not in client.get("/khen-thuong/cuoi-nam/").content.decode()
    report(standing, "TT-BAY-NGAN", accounts=2100)  # a correction after the list was locked: 100 → 120
    page = client.get("/khen-thuong/cuoi-nam/").content.decode()
    assert "Kết quả chấm điểm hiện nay khác danh sách đã chốt" in page
    for line in ("Thị trấn Cái Tắc: nay 115 điểm, hạng Nhì (khi chốt: 115 điểm, hạng Nhất).",
                 "Thị trấn Một Ngàn: nay 110 điểm, hạng Ba (khi chốt: 110 điểm, hạng Nhì).",
                 "Xã Tân Hòa không còn trong danh sách được đề nghị (khi chốt: 105 điểm).",
                 "Thị trấn Bảy Ngàn nay được đề nghị hạng Nhất với 120 điểm nhưng chưa có trong danh sách đã chốt."):
        assert f"<li>{line}</li>" in page
    assert "hãy mở lại danh sách đề nghị" in page
