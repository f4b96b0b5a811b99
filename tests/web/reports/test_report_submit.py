"""report_submit and the monthly report form: lateness by server time, versions, validation, evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import figures, submit
from thidua.core.models import AuditEvent
from thidua.reports.models import Attachment, Report, ReportVersion
from thidua.reports.selectors import campaign_result
from thidua.reports.services import report_return, report_submit, report_verify

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def card_of(campaign, code):
    return next(c for c in campaign_result(campaign).scorecards if c.code == code)


def form_data(**overrides):
    data = {"new_accounts": "300", "procedures": "Đăng ký khai sinh\nChứng thực bản sao từ bản chính",
            "dossiers_online": "40", "due": "40", "resolved_on_time": "39", "dossiers_in_person": "80",
            "has_plan": "on", "initiatives": "", "note": ""}
    data.update(overrides)
    return data


# ----- lateness by server time ---------------------------------------------------------------------

def test_it_adds_no_penalty_for_a_report_submitted_on_the_25th(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 25))
    card = card_of(campaign, "X-TAN-HOA")
    assert [p for p in card.penalties if p.month == "2021-07"] == []
    assert next(s for s in card.statuses if s.month == "2021-07").state == "on_time"


def test_it_takes_two_points_for_a_report_two_days_late(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 27))
    [penalty] = [p for p in card_of(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"]
    assert (penalty.kind, penalty.points, penalty.days_late) == ("late", -2, 2)
    assert "trễ 2 ngày" in penalty.explanation


def test_it_takes_five_points_for_a_report_four_days_late(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 29))
    [penalty] = [p for p in card_of(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"]
    assert (penalty.kind, penalty.points, penalty.days_late) == ("late", -5, 4)


def test_it_uses_the_server_clock_in_the_local_time_zone(campaign, personas):
    # 23:30 on the 25th in Hà Nội time is 16:30 UTC: still on time.
    submit(campaign, personas["commune_reporter"], "2021-07", on="2021-07-25T23:30:00+07:00")
    assert [p for p in card_of(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"] == []


def test_a_correction_is_a_new_version_and_the_first_submission_still_decides_lateness(campaign, personas):
    alice = personas["commune_reporter"]
    first = submit(campaign, alice, "2021-07", on=date(2021, 7, 24), new_accounts=300)
    original = ReportVersion.objects.get(report=first, number=1)
    second = submit(campaign, alice, "2021-07", on=date(2021, 8, 10), new_accounts=350)

    assert second.pk == first.pk
    versions = list(ReportVersion.objects.filter(report=first).order_by("number"))
    assert [(v.number, v.new_accounts) for v in versions] == [(1, 300), (2, 350)]
    original.refresh_from_db()
    assert original.new_accounts == 300  # the first version is untouched
    second.refresh_from_db()
    assert second.current.number == 2
    assert second.first_submitted_at.date() == date(2021, 7, 24)
    card = card_of(campaign, "X-TAN-HOA")
    assert [p for p in card.penalties if p.month == "2021-07"] == []
    assert AuditEvent.objects.filter(action="report.corrected", object_id=str(first.pk)).count() == 1


# ----- validation, through the service ---------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"resolved_on_time": 41, "due": 40}, "resolved_on_time",
     "Số hồ sơ giải quyết đúng hạn (41) không được lớn hơn số hồ sơ đến hạn (40)."),
    ({"new_accounts": -1}, "new_accounts", "Số liệu không được âm."),
    ({"procedures": ("Đăng ký khai sinh", "đăng ký khai sinh ")}, "procedures", "Danh sách thủ tục có tên bị trùng."),
    # the API's limits (api.schemas), which the web form and every other caller meet here
    ({"procedures": tuple(f"Thủ tục {i}" for i in range(501))}, "procedures",
     "Danh sách thủ tục quá dài: tối đa 500 thủ tục (hiện có 501)."),
    ({"procedures": ("Đăng ký khai sinh", "x" * 301)}, "procedures",
     f"Tên thủ tục quá dài: tối đa 300 ký tự (hiện có 301): «{'x' * 40}…»."),
])
def test_the_service_rejects_bad_figures_in_vietnamese(campaign, personas, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20), **overrides)
    assert caught.value.message_dict[field] == [message]
    assert not Report.objects.exists()
    assert not ReportVersion.objects.exists()


def test_the_service_rejects_a_month_that_is_not_a_reporting_month(campaign, personas):
    with pytest.raises(ValidationError, match="không phải là tháng báo cáo"):
        submit(campaign, personas["commune_reporter"], "2021-12", on=date(2021, 12, 1))
    assert not Report.objects.exists()


def test_it_rejects_a_report_from_another_unit(campaign, personas, registry):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_submit(campaign=campaign, unit=registry["TT-MOT-NGAN"], month="2021-07",
                      actor=personas["commune_reporter"], data=figures())
    assert not Report.objects.exists()


# ----- validation, through the HTML form ---------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "message"), [
    ({"resolved_on_time": "41", "due": "40"},
     "Số hồ sơ giải quyết đúng hạn (41) không được lớn hơn số hồ sơ đến hạn (40)."),
    ({"dossiers_online": "-3"}, "Số liệu không được âm."),
    ({"procedures": "Đăng ký khai sinh\nĐĂNG KÝ KHAI SINH"}, "Danh sách thủ tục có tên bị trùng."),
    ({"new_accounts": "nhiều"}, "Vui lòng nhập một số nguyên, ví dụ 1050 hoặc 1.050."),
    ({"procedures": "\n".join(f"Thủ tục {i}" for i in range(501))},
     "Danh sách thủ tục quá dài: tối đa 500 thủ tục (hiện có 501)."),
    ({"procedures": "Đăng ký khai sinh\n" + "x" * 100_000}, "Tên thủ tục quá dài: tối đa 300 ký tự (hiện có 100000)"),
])
def test_the_form_shows_the_vietnamese_message_and_writes_nothing(campaign, personas, client_for, overrides,
                                                                  message):
    client = client_for(personas["commune_reporter"])
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_the_form_submits_a_report_and_redirects_to_it(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    with override_settings(THIDUA_NOW="2021-07-27T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]), form_data())
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report-detail", args=[report.pk])
    assert (report.unit.code, report.current.new_accounts, report.current.procedures) == (
        "X-TAN-HOA", 300, ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"])
    [penalty] = [p for p in card_of(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"]
    assert (penalty.kind, penalty.points) == ("late", -2)


def test_a_month_that_is_not_a_reporting_month_is_a_404(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    assert client.get(reverse("report-submit", args=["2021-12"])).status_code == 404
    assert client.post(reverse("report-submit", args=["2021-12"]), form_data()).status_code == 404
    assert not Report.objects.exists()


# ----- evidence ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("cai-dat.exe", b"MZ\x90\x00" + b"\x00" * 60), "không đúng định dạng cho phép"),
    (SimpleUploadedFile("minh-chung.pdf", b"MZ\x90\x00 this is really a program"),
     "Nội dung tệp «minh-chung.pdf» không khớp với phần mở rộng .pdf."),
    (SimpleUploadedFile("anh.png", PDF), "không khớp với phần mở rộng .png"),
    (SimpleUploadedFile("rong.pdf", b""), "Tệp «rong.pdf» rỗng (0 byte)."),
])
def test_the_form_refuses_bad_evidence_and_saves_nothing(campaign, personas, client_for, upload, message):
    client = client_for(personas["commune_reporter"])
    data = form_data()
    data["evidence"] = [upload]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_files_the_server_cannot_write_keep_the_form_and_leave_nothing_behind(campaign, personas, client_for,
                                                                              settings, tmp_path):
    # The media folder full or not writable (here its evidence folder is a file): the report is not written,
    # the form comes back with the figures and says why, the plan file already stored is removed (an error
    # 500 before, the plan file left in the folder with no report naming it).
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "evidence").write_bytes(b"")
    client = client_for(personas["commune_reporter"])
    data = form_data(new_accounts="321")
    data["plan_file"] = SimpleUploadedFile("ke-hoach.pdf", PDF)
    data["evidence"] = [SimpleUploadedFile("minh-chung.pdf", PDF)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Báo cáo chưa được ghi: máy chủ không lưu được tệp «minh-chung.pdf» vào thư mục tệp đính kèm. "
            "Hãy báo quản trị hệ thống, rồi gửi lại.") in page
    assert 'value="321"' in page
    assert not Report.objects.exists() and not AuditEvent.objects.filter(action="report.submitted").exists()
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file() and p.name != "evidence"] == []


def test_file_errors_show_at_their_field_with_the_others_and_name_the_files_to_choose_again(
        campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    data = form_data(due="10", resolved_on_time="12")
    data["plan_file"] = SimpleUploadedFile("ke-hoach.xlsx", b"PK\x03\x04 not a plan")
    data["evidence"] = [SimpleUploadedFile("anh.png", PNG), SimpleUploadedFile("ghi-chu.txt", b"xin chao")]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        page = client.post(reverse("report-submit", args=["2021-07"]), data).content.decode()
    plan = page.split('name="plan_file"', 1)[1].split("</div>", 1)[0]
    assert "Tệp «ke-hoach.xlsx» không đúng định dạng cho phép (PDF, DOC, DOCX, JPG, PNG)." in plan
    evidence = page.split('name="evidence"', 1)[1].split("</div>", 1)[0]
    assert "Tệp «ghi-chu.txt» không đúng định dạng cho phép (PDF, JPG, PNG, DOC, DOCX, XLS, XLSX)." in evidence
    assert "không được lớn hơn số hồ sơ đến hạn" in page  # in the same round as the file errors
    again = page.split('data-testid="choose-again"', 1)[1].split("</p>", 1)[0]
    # only the file that was fine is to be chosen again: the refused ones were to be replaced (it said to choose
    # «ghi-chu.txt» again, refused again on the next try)
    assert "hãy chọn lại «anh.png»." in again
    assert "ke-hoach.xlsx" not in again and "ghi-chu.txt" not in again
    assert not Report.objects.exists()


def test_no_file_is_to_be_chosen_again_when_every_chosen_file_was_refused(campaign, personas, client_for):
    data = form_data()
    data["evidence"] = [SimpleUploadedFile("IMG_4021.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        page = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]),
                                                            data).content.decode()
    assert "Không đọc được ảnh HEIC" in page
    assert 'data-testid="choose-again"' not in page


def test_every_bad_file_is_named_in_one_round_an_empty_one_too(campaign, personas, client_for):
    """An empty file among others: each file's problem shows at once, naming it (Django's own message named
    no file and hid the others' until the next attempt)."""
    data = form_data()
    data["plan_file"] = SimpleUploadedFile("ke-hoach.pdf", b"")
    data["evidence"] = [SimpleUploadedFile("anh.png", PNG), SimpleUploadedFile("rong.pdf", b""),
                        SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 60),
                        SimpleUploadedFile("cai-dat.exe", b"MZ\x90\x00" + b"\x00" * 60)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["evidence"] == [
        "Tệp «rong.pdf» rỗng (0 byte).",
        "Nội dung tệp «bao-cao.pdf» không khớp với phần mở rộng .pdf.",
        "Tệp «cai-dat.exe» không đúng định dạng cho phép (PDF, JPG, PNG, DOC, DOCX, XLS, XLSX).",
    ]
    assert errors["plan_file"] == ["Tệp «ke-hoach.pdf» rỗng (0 byte)."]
    page = response.content.decode()
    evidence = page.split('name="evidence"', 1)[1].split("</div>", 1)[0]
    assert "Tệp «rong.pdf» rỗng (0 byte)." in evidence and "«cai-dat.exe»" in evidence and "«bao-cao.pdf»" in evidence
    assert "Tập tin được gửi là rỗng" not in page
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_more_than_ten_evidence_files_are_refused_at_their_field(campaign, personas, client_for):
    data = form_data()
    data["evidence"] = [SimpleUploadedFile(f"anh-{i}.png", PNG) for i in range(11)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        page = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]),
                                                             data).content.decode()
    evidence = page.split('name="evidence"', 1)[1].split("</div>", 1)[0]
    assert "Tối đa 10 tệp minh chứng cho mỗi lần nộp." in evidence
    assert not Report.objects.exists() and not Attachment.objects.exists()
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"), pytest.raises(ValidationError) as exc:
        report_submit(campaign=campaign, unit=personas["commune_reporter"].unit, month="2021-07",
                      actor=personas["commune_reporter"], data=figures(),
                      evidence=[SimpleUploadedFile(f"anh-{i}.png", PNG) for i in range(11)])
    assert exc.value.message_dict == {"evidence": ["Tối đa 10 tệp minh chứng cho mỗi lần nộp."]}


@override_settings(THIDUA_MAX_ATTACHMENT_BYTES=2048)
def test_the_form_refuses_an_over_size_file(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    data = form_data()
    data["evidence"] = [SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * 4096)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]), data)
    assert "Tệp «bien-ban.pdf» quá lớn" in response.content.decode()
    assert "(4,0 KB), vượt giới hạn 2 KB." in response.content.decode()
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_a_bad_file_among_good_ones_saves_none_of_them(campaign, personas):
    good = SimpleUploadedFile("anh.png", PNG)
    bad = SimpleUploadedFile("bang-tinh.xlsx", PDF)
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"), pytest.raises(ValidationError):
        report_submit(campaign=campaign, unit=personas["commune_reporter"].unit, month="2021-07",
                      actor=personas["commune_reporter"], data=figures(), evidence=[good, bad])
    assert not Attachment.objects.exists()
    assert not Report.objects.exists()


def test_good_evidence_is_stored_with_its_checked_type(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    data = form_data()
    data["evidence"] = [SimpleUploadedFile("bien-ban.pdf", PDF), SimpleUploadedFile("anh.png", PNG)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 302
    stored = sorted(Attachment.objects.values_list("original_name", "content_type", "size"))
    assert stored == [("anh.png", "image/png", len(PNG)), ("bien-ban.pdf", "application/pdf", len(PDF))]
    attachment = Attachment.objects.get(original_name="bien-ban.pdf")
    download = client.get(reverse("attachment-download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    # a database restored without its media folder: the file is gone, the page says so (no 500)
    attachment.file.storage.delete(attachment.file.name)
    missing = client_for(personas["reviewer"]).get(reverse("attachment-download", args=[attachment.pk]))
    assert missing.status_code == 404
    assert "Tệp minh chứng không còn trên máy chủ" in missing.content.decode()


def test_a_file_name_loses_the_controls_that_would_show_it_as_another_type(campaign, personas):
    evidence = [SimpleUploadedFile("hoa-don\u202egpj.pdf", PDF)]  # shown as «hoa-donfdp.jpg»
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        report_submit(campaign=campaign, unit=personas["commune_reporter"].unit, month="2021-07",
                      actor=personas["commune_reporter"], data=figures(), evidence=evidence)
    assert Attachment.objects.get().original_name == "hoa-dongpj.pdf"


# ----- a verified report is locked until returned ---------------------------------------------------------

def test_a_verified_report_cannot_be_corrected_until_it_is_returned(campaign, personas, client_for):
    alice, rita = personas["commune_reporter"], personas["reviewer"]
    report = submit(campaign, alice, "2021-07", on=date(2021, 7, 20))
    report_verify(report=report, actor=rita)

    with pytest.raises(ValidationError, match="đề nghị cán bộ thẩm định trả lại"):
        submit(campaign, alice, "2021-07", on=date(2021, 7, 22), new_accounts=999)
    client = client_for(alice)
    response = client.post(reverse("report-submit", args=["2021-07"]), form_data(new_accounts="999"))
    assert "đề nghị cán bộ thẩm định trả lại báo cáo" in response.content.decode()
    assert ReportVersion.objects.filter(report=report).count() == 1

    report_return(report=report, actor=rita, reason="Bổ sung danh sách tài khoản")
    submit(campaign, alice, "2021-07", on=date(2021, 7, 30), new_accounts=999)
    report.refresh_from_db()
    assert (report.current.number, report.current.new_accounts, report.status) == (2, 999, "submitted")
    assert [p for p in card_of(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"] == []


def _zip(**parts: bytes) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def test_a_zip_renamed_to_docx_is_refused_but_a_real_docx_is_kept(campaign, personas):
    import io

    from docx import Document

    unit, actor = personas["commune_reporter"].unit, personas["commune_reporter"]
    renamed = SimpleUploadedFile("bao-cao.docx", _zip(readme__txt=b"not a Word file"))
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"), pytest.raises(ValidationError) as excinfo:
        report_submit(campaign=campaign, unit=unit, month="2021-07", actor=actor, data=figures(),
                      evidence=[renamed])
    assert "không khớp với phần mở rộng .docx" in " ".join(excinfo.value.messages)
    assert not Attachment.objects.exists()
    buffer = io.BytesIO()
    Document().save(buffer)
    real = SimpleUploadedFile("bao-cao.docx", buffer.getvalue())
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        report_submit(campaign=campaign, unit=unit, month="2021-07", actor=actor, data=figures(), evidence=[real])
    assert Attachment.objects.get().original_name == "bao-cao.docx"


# ----- the live preview of the form ----------------------------------------------------------------

@override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00")
def test_the_preview_shows_the_new_total_or_what_is_wrong_with_the_figures_typed(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    url = reverse("report-preview", args=["2021-07"])
    page = client.post(url, form_data()).content.decode()
    assert "sau khi nộp" in page and 'data-testid="preview-total"' in page
    wrong = client.post(url, form_data(resolved_on_time="50", due="44")).content.decode()
    assert "Chưa tính được điểm mới vì số liệu đang nhập chưa hợp lệ" in wrong and "50" in wrong
    assert "preview-total" not in wrong
    letters = client.post(url, form_data(new_accounts="một nghìn")).content.decode()
    problems = letters.split('data-testid="preview-problems"', 1)[1]
    assert "Vui lòng nhập một số nguyên, ví dụ 1050 hoặc 1.050." in problems
    assert "sau khi nộp" in client.post(url, form_data(new_accounts="1.050")).content.decode()
    # fields not filled in yet are not reported while the reporter is still typing
    started = client.post(url, {"new_accounts": "12"}).content.decode()
    assert "Nhập số liệu để xem điểm thay đổi thế nào." in started and "preview-problems" not in started


def test_a_count_may_group_its_thousands_with_dots_as_vietnamese_write_it(campaign, personas, client_for):
    client = client_for(personas["commune_reporter"])
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client.post(reverse("report-submit", args=["2021-07"]),
                               form_data(new_accounts="1.050", dossiers_in_person="2.000.000"))
        assert response.status_code == 302
        version = Report.objects.get(unit__code="X-TAN-HOA", month="2021-07").current
        assert (version.new_accounts, version.dossiers_in_person) == (1050, 2_000_000)
        page = client.get(reverse("report-submit", args=["2021-07"])).content.decode()
        assert 'value="1050"' in page and 'inputmode="numeric"' in page
        accepted = client.post(reverse("report-submit", args=["2021-07"]),
                               form_data(new_accounts="1 060", dossiers_in_person="2\u00a0000\u00a0001"))
        assert accepted.status_code == 302  # grouped by spaces, as copied from a word processor or a spreadsheet
        version = Report.objects.get(unit__code="X-TAN-HOA", month="2021-07").current
        assert (version.new_accounts, version.dossiers_in_person) == (1060, 2_000_001)
        for typed in ("1,5", "12a", "-3", "1 05", "12 3456"):
            again = client.post(reverse("report-submit", args=["2021-07"]), form_data(new_accounts=typed))
            assert again.status_code == 200, typed
            assert f'value="{typed}"' in again.content.decode()  # kept as typed, with the message


def test_a_confirmed_report_does_not_open_as_a_form(campaign, personas, client_for):
    alice = personas["commune_reporter"]
    report = submit(campaign, alice, "2021-07", on=date(2021, 7, 20))
    report_verify(report=report, actor=personas["reviewer"])
    client = client_for(alice)
    response = client.get(reverse("report-submit", args=["2021-07"]), follow=True)
    assert response.redirect_chain == [(reverse("report-detail", args=[report.pk]), 302)]
    page = response.content.decode()
    assert "Báo cáo tháng 7/2021 đã được cán bộ thẩm định xác nhận nên không điều chỉnh được nữa" in page
    listing = client.get(reverse("report-list")).content.decode()
    assert "Trễ 1–3 ngày trừ 2 điểm; trễ từ 4 ngày trở lên trừ 5 điểm; không nộp trừ 5 điểm." in listing


def test_a_month_that_has_not_begun_cannot_be_reported(campaign, personas, client_for, settings):
    with pytest.raises(ValidationError) as excinfo:
        submit(campaign, personas["commune_reporter"], "2021-08", on=date(2021, 7, 31))
    assert excinfo.value.messages == ["Chưa đến tháng 8/2021: báo cáo tháng này nộp được từ ngày 01/08/2021."]
    assert not Report.objects.exists()
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"
    client = client_for(personas["commune_reporter"])
    listing = client.get(reverse("report-list")).content.decode()
    assert reverse("report-submit", args=["2021-07"]) in listing
    assert reverse("report-submit", args=["2021-08"]) not in listing and "Chưa đến tháng" in listing
    response = client.get(reverse("report-submit", args=["2021-08"]), follow=True)
    assert response.redirect_chain == [(reverse("report-list"), 302)]
    assert "Chưa đến tháng 8/2021" in response.content.decode()


def test_after_the_campaign_only_a_returned_report_can_be_corrected(campaign, personas, client_for, settings):
    alice = personas["commune_reporter"]
    returned = submit(campaign, alice, "2021-10", on=date(2021, 10, 20))
    report_return(report=returned, actor=personas["reviewer"], reason="Thiếu minh chứng số hồ sơ trực tuyến.")
    waiting = submit(campaign, alice, "2021-11", on=date(2021, 11, 20))
    ended = ("Phong trào đã kết thúc ngày 18/12/2021: không nộp, điều chỉnh báo cáo được nữa (chỉ còn điều chỉnh "
             "được báo cáo bị trả lại để bổ sung).")
    for month in ("2021-09", "2021-11"):  # a missing report, a report waiting for review
        with pytest.raises(ValidationError) as excinfo:
            submit(campaign, alice, month, on=date(2021, 12, 19), new_accounts=999)
        assert excinfo.value.messages == [ended]
    assert waiting.versions.count() == 1 and not Report.objects.filter(month="2021-09").exists()
    corrected = submit(campaign, alice, "2021-10", on=date(2021, 12, 19), new_accounts=310)
    assert corrected.current.number == 2 and corrected.status == Report.Status.SUBMITTED

    settings.THIDUA_NOW = "2021-12-19T09:00:00+07:00"
    client = client_for(alice)
    listing = client.get(reverse("report-list")).content.decode()
    assert "Phong trào đã kết thúc ngày 18/12/2021: chỉ còn điều chỉnh được báo cáo bị trả lại để bổ sung." in listing
    assert "Nộp báo cáo</a>" not in listing and "Đã hết thời gian nộp" in listing
    assert reverse("report-submit", args=["2021-11"]) not in listing
    detail = client.get(reverse("report-detail", args=[waiting.pk])).content.decode()
    assert "Điều chỉnh, nộp lại" not in detail


# ----- a correction must change something --------------------------------------------------------------

UNCHANGED = ("Bản điều chỉnh chưa thay đổi gì so với bản đã nộp: hãy sửa số liệu, bổ sung minh chứng hoặc ghi lý "
             "do điều chỉnh.")


def _returned(campaign, personas):
    report = submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20),
                    initiatives="Hướng dẫn tại nhà văn hóa ấp")
    with override_settings(THIDUA_NOW="2021-07-21T09:00:00+07:00"):
        report_return(report=report, actor=personas["reviewer"], reason="Thiếu minh chứng số tài khoản.")
    return report


def test_a_correction_that_changes_nothing_is_refused_by_the_service(campaign, personas):
    report = _returned(campaign, personas)
    alice = personas["commune_reporter"]
    stated = {"initiatives": "Hướng dẫn tại nhà văn hóa ấp"}

    def correct(evidence=(), **change):
        with override_settings(THIDUA_NOW="2021-07-22T09:00:00+07:00"):
            return report_submit(campaign=campaign, unit=alice.unit, month="2021-07", actor=alice,
                                 data=figures(**{**stated, **change}), evidence=evidence)

    for same in ({}, {"procedures": (" Đăng ký khai sinh", "Chứng thực bản sao từ bản chính ")},
                 {"initiatives": " Hướng dẫn tại nhà văn hóa ấp\n", "note": "   "}):
        with pytest.raises(ValidationError) as excinfo:
            correct(**same)
        assert excinfo.value.messages == [UNCHANGED]
    report.refresh_from_db()
    assert report.versions.count() == 1 and report.status == Report.Status.RETURNED
    assert not AuditEvent.objects.filter(action="report.corrected").exists()
    # any one change makes a correction: a figure, the list, the plan, the text, a note, a file
    changes = [{"new_accounts": 301}, {"procedures": ("Đăng ký khai sinh",)}, {"has_plan": False},
               {"initiatives": "Thêm điểm hỗ trợ"}]
    for number, change in enumerate(changes, start=2):
        stated.update(change)
        assert correct().current.number == number
    assert correct(note="Bổ sung danh sách tài khoản").current.number == 6
    with pytest.raises(ValidationError) as excinfo:  # the same note again is no change
        correct(note="Bổ sung danh sách tài khoản")
    assert excinfo.value.messages == [UNCHANGED]
    assert correct(evidence=[SimpleUploadedFile("danh-sach.pdf", PDF)]).current.number == 7


def test_the_form_shows_why_an_unchanged_correction_is_refused(campaign, personas, client_for):
    report = _returned(campaign, personas)
    client = client_for(personas["commune_reporter"])
    with override_settings(THIDUA_NOW="2021-07-22T09:00:00+07:00"):
        opened = client.get(reverse("report-submit", args=["2021-07"])).context["form"].initial
        data = {**form_data(), **{k: str(v) for k, v in opened.items() if k != "has_plan"}}
        response = client.post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 200
    assert UNCHANGED in response.content.decode()
    assert report.versions.count() == 1


def test_the_report_page_marks_what_each_correction_changed(campaign, personas, client_for):
    alice = personas["commune_reporter"]
    report = _returned(campaign, personas)
    submit(campaign, alice, "2021-07", on=date(2021, 7, 22), initiatives="Hướng dẫn tại nhà văn hóa ấp",
           new_accounts=350, due=45, procedures=("Đăng ký khai sinh", "Đăng ký kết hôn"))
    submit(campaign, alice, "2021-07", on=date(2021, 7, 23), initiatives="Hướng dẫn tại nhà văn hóa ấp",
           new_accounts=350, due=45, procedures=("Đăng ký khai sinh", "Đăng ký kết hôn"), note="Ghi rõ nguồn số liệu")
    response = client_for(personas["reviewer"]).get(reverse("report-detail", args=[report.pk]))
    v3, v2, v1 = response.context["versions"]
    assert v1.changes == {} and v3.changes == {}
    assert v2.changes == {"new_accounts": 300, "due": 40,
                          "procedures": ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"]}
    page = response.content.decode()
    sections = page.split("<h2>Phiên bản ")
    third, second, first = sections[1], sections[2], sections[3].split("</section>", 1)[0]
    assert "đã sửa" not in first and "đã sửa" not in third
    assert "So với phiên bản 2: số liệu không đổi, có ghi chú." in third
    assert "So với phiên bản 1: đã sửa 3 mục" in second
    accounts = second.split("<dt>Tài khoản tạo mới</dt>", 1)[1].split("</dd>", 1)[0]
    assert 'class="changed"' in accounts and "350" in accounts and "đã sửa" in accounts and "trước: 300" in accounts
    resolution = second.split("<dt>Giải quyết đúng hạn / đến hạn</dt>", 1)[1].split("</dd>", 1)[0]
    assert "39 / 45" in resolution and "trước: 39 / 40" in resolution
    procedures = second.split("<dt>Thủ tục đăng ký (lũy kế)</dt>", 1)[1].split("</dd>", 1)[0]
    assert "trước: 2 thủ tục; thêm: Đăng ký kết hôn; bỏ: Chứng thực bản sao từ bản chính" in procedures
    online = second.split("<dt>Hồ sơ trực tuyến mức độ 3, 4</dt>", 1)[1].split("</dd>", 1)[0]
    assert "đã sửa" not in online


def test_a_correction_through_the_form_says_which_version_it_is(campaign, personas, client_for, settings):
    settings.THIDUA_NOW = "2021-07-22T09:00:00+07:00"
    client = client_for(personas["commune_reporter"])
    first = client.post(reverse("report-submit", args=["2021-07"]), form_data(), follow=True).content.decode()
    assert "Đã nộp báo cáo. Thời điểm nộp lần đầu được dùng để tính đúng hạn." in first
    again = client.post(reverse("report-submit", args=["2021-07"]), form_data(new_accounts="320"),
                        follow=True).content.decode()
    assert "Đã nộp bản điều chỉnh (phiên bản 2); đúng hạn hay trễ vẫn tính theo lần nộp đầu." in again


def test_the_file_fields_tell_the_phone_which_files_they_take(campaign, personas, client_for, settings):
    """«accept» lets a phone offer its camera and documents of those types, and a computer's file dialog show
    them; without it the picker offered every file, and types refused after the upload. HEIC photos are taken
    wherever JPG is (stored as JPG); no «image/*», which would offer every kind of image."""
    from html.parser import HTMLParser

    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"
    inputs = {}

    class Files(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("type") == "file":
                inputs[attrs["name"]] = set((attrs.get("accept") or "").split(","))

    page = client_for(personas["commune_reporter"]).get(reverse("report-submit", args=["2021-07"]))
    Files().feed(page.content.decode())
    assert {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", "image/jpeg", "application/pdf"} <= inputs["evidence"]
    assert {".pdf", ".jpg", ".png", ".doc", ".docx", "image/jpeg"} <= inputs["plan_file"]
    assert not {".xlsx", ".xls", "image/*"} & inputs["plan_file"]
    assert not {"image/*"} & inputs["evidence"]
    assert {".heic", ".heif", "image/heic"} <= inputs["evidence"] & inputs["plan_file"]


PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "photos" / "IMG_4021.HEIC"


def test_an_iphone_photo_in_heic_is_kept_as_jpg_upright_with_when_it_was_taken(campaign, personas, client_for):
    """The iPhone camera's own format, which few of the office's computers open (it was refused, asking the
    reporter to send JPG): stored as JPG under the same name, turned as the camera held it. The fixture is a
    64 × 32 photo whose EXIF says to turn it a quarter (orientation 6), taken 20/10/2021 08:30."""
    from PIL import Image

    data = form_data()
    data["evidence"] = [SimpleUploadedFile("IMG_4021.HEIC", PHOTO.read_bytes(), content_type="image/heic")]
    data["plan_file"] = SimpleUploadedFile("ke-hoach.heic", PHOTO.read_bytes())  # a photo of the signed plan
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 302
    [attachment] = Attachment.objects.all()
    assert (attachment.original_name, attachment.content_type) == ("IMG_4021.jpg", "image/jpeg")
    assert attachment.file.name.endswith(".jpg")
    with attachment.file.open("rb") as f:
        photo = Image.open(f)
        photo.load()
    assert (photo.format, photo.size) == ("JPEG", (32, 64))
    assert photo.getexif().get(0x0112, 1) == 1  # upright: no viewer turns it again
    assert photo.getexif().get(0x0132) == "2021:10:20 08:30:00"
    assert attachment.size == attachment.file.size
    plan = Report.objects.get().current.plan_file.name.rsplit("/", 1)[-1]
    assert plan.startswith("ke-hoach") and plan.endswith(".jpg")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("IMG_4021.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16,
     "Không đọc được ảnh HEIC «IMG_4021.HEIC» (tệp hỏng hoặc chưa tải lên hết): hãy chọn lại ảnh, hoặc gửi ảnh JPG."),
    ("IMG_4021.HEIC", PHOTO.read_bytes()[:300],
     "Không đọc được ảnh HEIC «IMG_4021.HEIC» (tệp hỏng hoặc chưa tải lên hết): hãy chọn lại ảnh, hoặc gửi ảnh JPG."),
    ("IMG_4021.heic", b"%PDF-1.4 not a photo at all",
     "Nội dung tệp «IMG_4021.heic» không khớp với phần mở rộng .heic."),
])
def test_a_heic_photo_that_cannot_be_read_is_refused_in_words_and_nothing_is_saved(
        campaign, personas, client_for, name, content, message):
    data = form_data()
    data["evidence"] = [SimpleUploadedFile(name, content)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [message]
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_a_heic_photo_over_the_limit_once_a_jpg_is_refused(campaign, personas, client_for, settings):
    """The limit is of what is stored: a HEIC photo is smaller than its JPG (the fixture, 96 × 96 points of
    noise: 2.5 KB as HEIC, some 9 KB as JPG)."""
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"
    noise = PHOTO.with_name("IMG_4022.HEIC")
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 4 * 1024  # the HEIC passes, its JPG does not
    data = form_data()
    data["evidence"] = [SimpleUploadedFile("IMG_4022.HEIC", noise.read_bytes())]
    response = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]), data)
    [message] = response.context["form"].errors["evidence"]
    assert message.startswith("Ảnh «IMG_4022.HEIC» khi chuyển sang JPG nặng ")
    assert message.endswith("; hãy gửi ảnh nhỏ hơn.")
    assert not Report.objects.exists()


def test_a_heic_image_larger_than_any_camera_photo_is_refused_before_it_is_decoded(campaign, personas, client_for):
    """7100 × 7100 points (50.4 million; an iPhone's largest photo is 48.8 million) in 12 KB of one grey: decoded it
    would take some 300 MB of the server's memory."""
    data = form_data()
    data["evidence"] = [SimpleUploadedFile("scan.heic", PHOTO.with_name("7100x7100.HEIC").read_bytes())]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]), data)
    assert response.context["form"].errors["evidence"] == [
        "Ảnh «scan.heic» quá lớn (7.100 × 7.100 điểm ảnh), vượt 50 triệu điểm ảnh; hãy gửi ảnh nhỏ hơn."]
    assert not Report.objects.exists()


def test_a_form_shown_again_names_the_photo_to_choose_again_without_converting_it_twice(
        campaign, personas, client_for, monkeypatch):
    """A report sent with a HEIC photo and a figure wrong: the page says to choose the photo again (a browser does
    not keep it), from the form's own check; converting a 12-megapixel photo takes a second of the server."""
    from thidua.reports import services

    calls = []
    convert = services.heic_as_jpeg
    monkeypatch.setattr(services, "heic_as_jpeg", lambda upload: calls.append(upload.name) or convert(upload))
    data = form_data(resolved_on_time=50, due=40)
    data["evidence"] = [SimpleUploadedFile("IMG_4021.HEIC", PHOTO.read_bytes()),
                        SimpleUploadedFile("IMG_9999.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16)]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        response = client_for(personas["commune_reporter"]).post(reverse("report-submit", args=["2021-07"]), data)
    assert response.status_code == 200
    assert response.context["chosen_files"] == ["IMG_4021.HEIC"]
    assert sorted(calls) == ["IMG_4021.HEIC", "IMG_9999.HEIC"]
    assert not Report.objects.exists()
