"""The dossier tracker: three documents per proposal, their state, the 18/12 deadline."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test.utils import override_settings

from thidua.awards.models import DossierItem
from thidua.awards.selectors import dossier_deadline
from thidua.awards.services import year_end_list_record
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(standing, personas):
    year_end_list_record(campaign=standing, actor=personas["reviewer"])
    return standing


@pytest.mark.parametrize("today, level, words", [
    ("2021-12-01", "ok", "Hạn nộp hồ sơ: 18/12/2021 (còn 17 ngày)"),
    ("2021-12-11", "warn", "Còn 7 ngày đến hạn nộp hồ sơ (18/12/2021)"),
    ("2021-12-15", "urgent", "Chỉ còn 3 ngày đến hạn nộp hồ sơ (18/12/2021)"),
    ("2021-12-19", "overdue", "Quá hạn 1 ngày (hạn nộp hồ sơ 18/12/2021)"),
])
def test_the_deadline_warns_seven_and_three_days_before_and_says_overdue_after(
        recorded, personas, client_for, today, level, words):
    with override_settings(THIDUA_NOW=f"{today}T10:00:00+07:00"):
        deadline = dossier_deadline(recorded)
        assert (deadline.due, deadline.level, deadline.message) == (date(2021, 12, 18), level, words)
        page = client_for(personas["reviewer"]).get("/khen-thuong/ho-so/").content.decode()
    assert words in page and f"deadline-{level}" in page
    if level == "overdue":
        assert "Quá hạn</span>" in page


def test_each_document_goes_from_not_made_to_made_to_signed(recorded, personas, client_for):
    client = client_for(personas["reviewer"])
    page = client.get("/khen-thuong/ho-so/").content.decode()
    assert page.count("Chưa lập") == 15
    client.post("/khen-thuong/cuoc-hop/", {
        "date": "15/12/2021", "time_start": "14:00", "time_end": "16:30", "place": "Phòng họp UBND huyện",
        "chair_name": "Lê Thị Mỹ Hạnh", "chair_position": "Trưởng phòng Nội vụ", "secretary_name": "Nguyễn Thanh Hải",
        "secretary_position": "Chuyên viên", "members_present": "Mai Văn Sang - Trưởng phòng Tư pháp",
        "members_absent": ""})
    assert client.get("/khen-thuong/van-ban/to-trinh/cuoi-nam.docx").status_code == 200
    assert client.get("/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.docx").status_code == 200
    items = {(i.proposal.unit.code, i.kind): i for i in DossierItem.objects.select_related("proposal__unit")}
    assert all(items[(code, "to_trinh")].state == "generated" for code, _ in items)
    assert items[("TT-CAI-TAC", "bao_cao")].state == "generated"
    assert items[("TT-MOT-NGAN", "bao_cao")].state == "missing"
    assert items[("TT-CAI-TAC", "bien_ban")].state == "missing"

    item = items[("TT-CAI-TAC", "to_trinh")]
    with override_settings(THIDUA_NOW="2021-12-16T10:00:00+07:00"):
        response = client.post(f"/khen-thuong/ho-so/{item.pk}/da-ky/", {"signed_on": "16/12/2021"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "signed" and item.signed_on == date(2021, 12, 16)
    # the one Tờ trình covers every proposal: each row shows it signed, with one audit entry
    assert {(i.signed_on, i.number) for i in DossierItem.objects.filter(kind="to_trinh")} == {(date(2021, 12, 16), "")}
    assert DossierItem.objects.filter(kind="bao_cao", signed_on__isnull=False).count() == 0
    assert AuditEvent.objects.filter(action="dossier.signed").count() == 1
    page = client.get("/khen-thuong/ho-so/").content.decode()
    assert "Đã ký, nộp" in page and re.search(r"ngày 16/12/2021", page)


def test_a_document_not_yet_made_cannot_be_marked_signed(recorded, personas, client_for):
    item = DossierItem.objects.filter(kind="bao_cao").first()
    client_for(personas["reviewer"]).post(f"/khen-thuong/ho-so/{item.pk}/da-ky/", {"signed_on": "10/12/2021"})
    item.refresh_from_db()
    assert item.signed_on is None


def test_a_signing_date_before_the_campaign_is_refused(recorded, personas, client_for):
    client = client_for(personas["reviewer"])
    assert client.get("/khen-thuong/van-ban/to-trinh/cuoi-nam.docx").status_code == 200
    item = DossierItem.objects.filter(kind="to_trinh").first()
    with override_settings(THIDUA_NOW="2021-12-16T10:00:00+07:00"):
        page = client.post(f"/khen-thuong/ho-so/{item.pk}/da-ky/", {"signed_on": "01/01/2019", "number": "12/TTr-PNV"},
                           follow=True).content.decode()
    assert "Ngày ký, nộp không được trước ngày bắt đầu phong trào (08/06/2021)." in page
    assert not DossierItem.objects.filter(signed_on__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="dossier.signed").exists()


def test_a_nominee_whose_unit_left_the_list_is_shown_apart_without_documents(standing, personas, client_for):
    """Xã Tân Hòa nominates while third; Thị trấn Bảy Ngàn's July report then takes a place, and the list
    recorded after leaves Tân Hòa out: its nominee gets no document (the Quyết định leaves them out too)."""
    import io

    from openpyxl import load_workbook

    from tests.web.awards.conftest import report
    from thidua.awards.services import NominationData, nomination_create
    from thidua.units.models import Unit

    reviewer = personas["reviewer"]

    def nominate(code: str, name: str):
        return nomination_create(campaign=standing, unit=Unit.objects.get(code=code), actor=reviewer,
                                 data=NominationData(full_name=name, position="Công chức Tư pháp - Hộ tịch",
                                                     achievement="Hướng dẫn người dân nộp hồ sơ trực tuyến."))

    kept, left = nominate("TT-CAI-TAC", "Trần Văn Lợi"), nominate("X-TAN-HOA", "Ngô Thị Hồng Gấm")
    report(standing, "TT-BAY-NGAN", month="2021-07")
    year_end_list_record(campaign=standing, actor=reviewer)
    client = client_for(reviewer)
    page = client.get("/khen-thuong/ho-so/").content.decode()

    links = set(re.findall(r'href="(/khen-thuong/van-ban/(?:bao-cao-ca-nhan|giay-khen)/ca-nhan-\d+\.(?:docx|pdf))"',
                           page))
    assert links == {f"/khen-thuong/van-ban/{kind}/{kept.doc_key}.{fmt}"
                     for kind in ("bao-cao-ca-nhan", "giay-khen") for fmt in ("docx", "pdf")}
    assert all(client.get(link).status_code == 200 for link in links if link.endswith(".docx"))
    apart = page[page.index('id="ngoai-danh-sach"'):]
    assert "Ngô Thị Hồng Gấm" in apart and "Xã Tân Hòa" in apart and "Trần Văn Lợi" not in apart
    assert "không thuộc danh sách đề nghị" in apart
    assert client.get(f"/khen-thuong/van-ban/giay-khen/{left.doc_key}.docx").status_code == 404

    sheet = load_workbook(io.BytesIO(client.get("/xuat/khen-thuong.xlsx").content))["Khen thưởng"]
    notes = {row[4]: row[8] for row in sheet.iter_rows(min_row=2, values_only=True) if row[4]}
    assert notes == {"Trần Văn Lợi": None, "Ngô Thị Hồng Gấm": "Đơn vị không thuộc danh sách"}  # the same split


def test_a_leader_reading_the_documents_marks_nothing_made(dossier, personas, client_for):
    """A leader only reads: downloading a document leaves the tracker and the audit log as they were
    (only Home Affairs' own downloads count as the document made)."""
    client = client_for(personas["leader"])
    events = AuditEvent.objects.count()
    assert client.get("/khen-thuong/van-ban/ho-so-cuoi-nam.zip").status_code == 200
    assert client.get("/khen-thuong/van-ban/to-trinh/cuoi-nam.docx").status_code == 200
    assert client.get("/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.pdf").status_code == 200
    assert not DossierItem.objects.filter(generated_at__isnull=False).exists()
    assert AuditEvent.objects.count() == events


def test_the_meeting_form_shows_its_times_as_typed_and_saves_unchanged(dossier, personas, client_for, settings):
    # The times are shown as 14:00, the form's own format: shown as 14:00:00, saving the page as it opened
    # was refused with «Nhập giờ theo dạng 14:00.»
    import html

    settings.THIDUA_NOW = "2021-12-16T09:00:00+07:00"
    client = client_for(personas["reviewer"])
    page = client.get("/khen-thuong/cuoc-hop/").content.decode()
    assert 'name="time_start" value="14:00"' in page and 'name="time_end" value="16:00"' in page
    shown = {name: html.unescape(value) for name, value in re.findall(r'<input[^>]*name="(\w+)" value="([^"]*)"', page)}
    shown.update((name, html.unescape(text).lstrip("\n"))
                 for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S))
    response = client.post("/khen-thuong/cuoc-hop/", shown)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode())
