"""End-to-end journeys in a real browser on the Châu Thành A demo (Plan 211, June–November 2021).

Each journey pins the server clock (settings.THIDUA_NOW); the live server runs in this process, so
it reads the same settings.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OCTOBER_DUE_PLUS_2 = "2021-10-27T10:00:00+07:00"  # October's report was due 25/10/2021
AFTER_NOVEMBER_REVIEW = "2021-11-29T10:00:00+07:00"
RETURN_REASON = "Số hồ sơ trực tuyến tháng 11 chưa khớp danh sách trên Cổng; đề nghị bổ sung minh chứng."
PHONE = {"width": 390, "height": 844}  # a common phone viewport, CSS pixels
UNTRUTHFUL_REASON = "Phúc tra: số tài khoản tạo mới tháng 9 cao hơn số liệu trích xuất từ Cổng DVC."


def report_pk(code: str, month: str) -> int:
    from thidua.reports.models import Report

    return Report.objects.get(unit__code=code, month=month).pk


def fill_october_figures(page) -> None:
    """X-TRUONG-LONG-TAY's October figures, typed into the form by their Vietnamese labels."""
    page.get_by_label("Tài khoản tạo mới trong tháng").fill("320")
    page.get_by_label("Hồ sơ trực tuyến mức độ 3, 4 tiếp nhận trong tháng").fill("40")
    page.get_by_label("Hồ sơ trực tuyến đến hạn giải quyết trong tháng").fill("20")
    page.get_by_label("Hồ sơ trực tuyến giải quyết đúng hạn trong tháng").fill("20")
    page.get_by_label("Hồ sơ tiếp nhận trực tiếp, qua bưu chính trong tháng").fill("82")


def unit_total(page, code: str) -> int:
    cell = page.locator(f'tr[data-code="{code}"] td[data-label="Tổng điểm"]').first
    return int(cell.inner_text().strip().replace(".", "").replace("\u2212", "-"))


def unit_rank(page, code: str) -> str:
    return page.locator(f'tr[data-code="{code}"] td[data-label="Hạng"]').first.inner_text().strip()


def test_a_commune_reporter_submits_a_late_report_and_sees_minus_2(demo, settings, new_page, login):
    settings.THIDUA_NOW = OCTOBER_DUE_PLUS_2
    page = login(new_page(), "x-truong-long-tay")

    page.goto("/bao-cao/2021-10/nop/")
    expect(page.locator("h1")).to_contain_text("Xã Trường Long Tây")
    expect(page.locator("dl.facts")).to_contain_text("25/10/2021")
    expect(page.locator("dl.facts")).to_contain_text("đã quá hạn 2 ngày")
    fill_october_figures(page)
    expect(page.get_by_label("Đơn vị đã ban hành kế hoạch thực hiện")).to_be_checked()  # carried from September
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp báo cáo").click()

    expect(page.locator(".messages")).to_contain_text("Đã nộp báo cáo.")
    expect(page.get_by_test_id("report-status")).to_have_text("Chờ thẩm định")

    page.goto("/don-vi/")
    penalties = page.locator("tr", has=page.locator("td.penalty"))
    expect(penalties).to_have_count(1)
    expect(penalties).to_contain_text("tháng 10/2021")
    expect(penalties.locator('td[data-label="Điểm"]')).to_have_text("−2")
    expect(penalties.locator('td[data-label="Lý do"]')).to_contain_text("trễ 2 ngày")
    expect(penalties).not_to_contain_text("−5")


def assert_menu_on_one_row_with_the_account_at_the_right(page) -> None:
    """At 1280 px the reviewer's whole menu is one row; the name, Đổi mật khẩu and Đăng xuất end at the right."""
    boxes = page.locator("#main-nav li").evaluate_all(
        "items => items.map(li => { const r = li.getBoundingClientRect(); "
        "return [r.top + r.height / 2, r.left, r.right]; })")
    middles = [middle for middle, _left, _right in boxes]
    assert max(middles) - min(middles) < 4, boxes
    width = page.evaluate("document.documentElement.clientWidth")
    assert boxes[-1][2] > width - 40, boxes  # Đăng xuất at the right edge
    who = page.locator("#main-nav li.who").bounding_box()
    last_page_link = page.locator("#main-nav li:has(+ li.who) a").bounding_box()
    assert who["x"] - (last_page_link["x"] + last_page_link["width"]) > 40  # a gap between the pages and the account


def test_b_the_reviewer_returns_one_report_and_marks_another_untruthful(
        demo, settings, new_page, login, shots_dir):
    settings.THIDUA_NOW = AFTER_NOVEMBER_REVIEW
    page = login(new_page(), "noivu")
    assert_menu_on_one_row_with_the_account_at_the_right(page)
    page.goto("/xep-hang/")
    before = unit_total(page, "X-TAN-HOA")
    rival_before = unit_total(page, "TT-RACH-GOI")

    # Return TT-MOT-NGAN's November report (waiting for review) with a reason.
    page.goto(f"/bao-cao/chi-tiet/{report_pk('TT-MOT-NGAN', '2021-11')}/")
    expect(page.get_by_test_id("report-status")).to_have_text("Chờ thẩm định")
    page.get_by_text("Trả lại để đơn vị bổ sung, điều chỉnh").click()
    page.get_by_role("button", name="Trả lại báo cáo").click()  # no reason yet: stopped, in Vietnamese
    reason = page.get_by_label("Lý do trả lại")
    assert reason.evaluate("el => el.validationMessage") == "Vui lòng điền vào ô này."
    expect(page.get_by_test_id("report-status")).to_have_text("Chờ thẩm định")
    reason.fill(RETURN_REASON)
    assert reason.evaluate("el => el.validationMessage") == ""
    with page.expect_navigation():
        page.get_by_role("button", name="Trả lại báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã trả lại báo cáo")
    expect(page.get_by_test_id("report-status")).to_have_text("Trả lại để bổ sung")
    expect(page.locator("dl.facts").first).to_contain_text(RETURN_REASON)

    # Mark X-TAN-HOA's September report untruthful; the page asks for confirmation first.
    page.goto(f"/bao-cao/chi-tiet/{report_pk('X-TAN-HOA', '2021-09')}/")
    page.get_by_text("Kết luận báo cáo không trung thực (trừ 2 điểm)").click()
    page.get_by_label("Căn cứ kết luận").fill(UNTRUTHFUL_REASON)
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        page.get_by_role("button", name="Kết luận không trung thực").click()
    assert dialogs and "không trung thực" in dialogs[0]
    expect(page.locator(".messages")).to_contain_text("đơn vị bị trừ 2 điểm")
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("Không trung thực (−2)")
    expect(facts).to_contain_text(UNTRUTHFUL_REASON)

    page.goto("/xep-hang/")
    assert unit_total(page, "X-TAN-HOA") == before - 2
    assert unit_total(page, "TT-RACH-GOI") == rival_before
    page.screenshot(path=str(shots_dir / "rankings-desktop.png"), full_page=True)


def assert_ranked_on_one_line(page, code: str) -> None:
    """On a phone a ranking row reads as one line, rank, unit and total, with its criteria's figures,
    if shown, on the lines below: not every figure stacked on a line of its own."""
    row = page.locator(f'tr[data-code="{code}"]').first
    box = {name: row.locator(f'td[data-label="{name}"]').bounding_box() for name in ("Hạng", "Đơn vị", "Tổng điểm")}
    assert abs(box["Hạng"]["y"] - box["Tổng điểm"]["y"]) < 8 and abs(box["Đơn vị"]["y"] - box["Hạng"]["y"]) < 8
    assert box["Hạng"]["x"] < box["Đơn vị"]["x"] < box["Tổng điểm"]["x"]
    criteria = [cell.bounding_box() for cell in row.locator("td.crit").all()]
    assert all(c["y"] > box["Tổng điểm"]["y"] for c in criteria)
    assert len({round(c["y"]) for c in criteria}) <= 3  # six figures share at most three lines
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_c_the_public_ranking_changes_when_a_tied_unit_is_found_untruthful(
        demo, settings, new_page, login, shots_dir):
    settings.THIDUA_NOW = AFTER_NOVEMBER_REVIEW
    visitor = new_page()
    visitor.goto("/cong-khai/")
    communes = visitor.locator('table[data-group="commune"]')
    expect(communes).to_be_visible()
    tied_rank = unit_rank(visitor, "X-TAN-HOA")
    assert unit_total(visitor, "X-TAN-HOA") == unit_total(visitor, "TT-RACH-GOI")
    assert unit_rank(visitor, "TT-RACH-GOI") == tied_rank and "bằng điểm" in tied_rank

    reviewer = login(new_page(), "noivu")
    reviewer.goto(f"/bao-cao/chi-tiet/{report_pk('X-TAN-HOA', '2021-09')}/")
    reviewer.get_by_text("Kết luận báo cáo không trung thực (trừ 2 điểm)").click()
    reviewer.get_by_label("Căn cứ kết luận").fill(UNTRUTHFUL_REASON)
    reviewer.once("dialog", lambda dialog: dialog.accept())
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Kết luận không trung thực").click()
    expect(reviewer.locator(".messages")).to_contain_text("đơn vị bị trừ 2 điểm")

    visitor.reload()
    codes = visitor.locator('table[data-group="commune"] tbody tr').evaluate_all(
        "rows => rows.map(r => r.dataset.code)")
    assert codes.index("TT-RACH-GOI") < codes.index("X-TAN-HOA")
    rival_rank, demoted_rank = unit_rank(visitor, "TT-RACH-GOI"), unit_rank(visitor, "X-TAN-HOA")
    assert "bằng điểm" not in rival_rank and "bằng điểm" not in demoted_rank
    assert int(rival_rank) == int(re.match(r"\d+", tied_rank).group())
    assert int(demoted_rank) > int(rival_rank)
    assert unit_total(visitor, "X-TAN-HOA") == unit_total(visitor, "TT-RACH-GOI") - 2

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto("/cong-khai/")
    expect(phone.locator('tr[data-code="X-TAN-HOA"]')).to_be_visible()
    assert_ranked_on_one_line(phone, "X-TAN-HOA")
    phone.screenshot(path=str(shots_dir / "public-leaderboard-phone.png"), full_page=True)
    leader = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "lanhdao")
    leader.goto("/xep-hang/")
    assert leader.locator('tr[data-code="X-TAN-HOA"] td.crit').count() == 6  # five criteria and the deductions
    assert_ranked_on_one_line(leader, "X-TAN-HOA")
    leader.screenshot(path=str(shots_dir / "rankings-phone.png"), full_page=True)


def test_d_a_reporter_cannot_open_another_units_report_or_scorecard(demo, new_page, login):
    page = login(new_page(), "x-tan-hoa")
    other = report_pk("TT-MOT-NGAN", "2021-09")
    own = report_pk("X-TAN-HOA", "2021-09")

    response = page.goto(f"/bao-cao/chi-tiet/{other}/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Không có quyền truy cập")

    response = page.goto("/don-vi/TT-MOT-NGAN/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Không có quyền truy cập")

    response = page.goto(f"/bao-cao/chi-tiet/{own}/")  # the unit's own report still opens
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("Xã Tân Hòa")


def test_e_the_report_form_on_a_phone_shows_the_deadline_and_a_live_preview(
        demo, settings, new_page, login, shots_dir):
    settings.THIDUA_NOW = "2021-10-20T08:00:00+07:00"
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "x-truong-long-tay")
    page.goto("/bao-cao/2021-10/nop/")

    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("25/10/2021")
    expect(facts).to_contain_text("còn 5 ngày")
    expect(facts).to_be_in_viewport()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Nhập số liệu để xem điểm thay đổi thế nào")

    fill_october_figures(page)
    expect(preview).to_contain_text("sau khi nộp")
    expect(page.get_by_test_id("preview-total")).to_have_text(re.compile(r"^\d+$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling

    # The file fields speak Vietnamese whatever the browser's language; a dropped file is taken too.
    evidence_chosen = page.locator("#id_evidence ~ .file-chosen")
    expect(page.locator("label.file-pick[for=id_evidence]")).to_have_text("Chọn các tệp…")
    expect(evidence_chosen).to_have_text("Chưa chọn tệp")
    page.locator("#id_evidence").set_input_files([
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"},
        {"name": "ảnh chụp.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0"}])
    expect(evidence_chosen).to_have_text("2 tệp: bien-ban.pdf, ảnh chụp.jpg")
    dropped = page.evaluate_handle("""() => { const data = new DataTransfer();
        data.items.add(new File(["%PDF-1.4"], "ke-hoach-211.pdf", {type: "application/pdf"})); return data; }""")
    page.locator("label.file-pick[for=id_plan_file]").dispatch_event("drop", {"dataTransfer": dropped})
    expect(page.locator("#id_plan_file ~ .file-chosen")).to_have_text("ke-hoach-211.pdf")
    assert page.locator("#id_plan_file").evaluate("input => input.files[0].name") == "ke-hoach-211.pdf"
    page.screenshot(path=str(shots_dir / "report-form-phone.png"), full_page=True)


def test_f_the_reviewer_imports_a_portal_export_and_follows_its_progress(demo, new_page, login, tmp_path,
                                                                          shots_dir, settings):
    from thidua.portal.demo_exports import write_demo_exports
    from thidua.portal.models import Dossier, PendingUpload, PortalImport
    from thidua.scoring.text import format_int

    settings.THIDUA_PREVIEW_INLINE_BYTES = 1_000  # the preview's scan runs in a thread too: the page follows it
    dossiers, _accounts = write_demo_exports(demo, tmp_path)
    page = login(new_page(), "noivu")
    page.goto("/cong-dvc/nhap/")
    page.get_by_label("Tệp").set_input_files(str(dossiers))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và xem trước").click()
    # the demo export names one unit in a way the registry does not know: map it once (the preview
    # polls its scan and shows itself when the scan is done; mapping the name scans the file again)
    first_scan = PendingUpload.objects.get().scan_job
    page.locator("form[action$='/don-vi/'] select").first.select_option("X-TRUONG-LONG-A")
    with page.expect_navigation():
        page.locator("form[action$='/don-vi/'] button").first.click()
    page.get_by_role("button", name="Nhập ").wait_for(timeout=60_000)
    assert PendingUpload.objects.get().scan_job != first_scan
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập ").click()
    assert "/cong-dvc/nhap/tien-do/" in page.url
    done = page.get_by_text("Đã nhập «" + dossiers.name + "»")
    done.wait_for(timeout=60_000)  # the page polls the background import, then shows the counts
    page.screenshot(path=str(shots_dir / "portal-import-done.png"), full_page=True)
    record = PortalImport.objects.get()
    assert f"thêm {format_int(record.created)}, cập nhật 0" in done.inner_text()
    assert Dossier.objects.count() == record.created > 10_000


def test_g_the_administrator_creates_a_missing_reporter_account_and_hands_over_its_password(
        demo, new_page, login, shots_dir):
    import csv
    import io

    from thidua.units.models import User

    User.objects.filter(username="x-tan-hoa").update(is_active=False)  # Tân Hòa's officer has left
    page = login(new_page(), "quantri")
    page.get_by_role("link", name="Tài khoản báo cáo").click()
    expect(page.locator("#chua-co h2")).to_have_text("Đơn vị chưa có tài khoản (1)")
    expect(page.locator("#chua-co")).to_contain_text("Xã Tân Hòa")
    page.once("dialog", lambda dialog: dialog.accept())  # "Tạo 1 tài khoản cán bộ báo cáo? …"
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo 1 tài khoản").click()
    expect(page.locator("h1")).to_have_text("Đã tạo 1 tài khoản cán bộ báo cáo")
    expect(page.get_by_role("button", name="In danh sách")).to_be_visible()  # shown by the script
    row = page.locator("#tai-khoan-moi tbody tr")
    expect(row).to_have_count(1)
    username, password = row.locator("code").all_inner_texts()
    assert username == "x-tan-hoa-2"
    page.screenshot(path=str(shots_dir / "reporter-accounts-created.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp CSV").click()
    download = info.value
    assert re.fullmatch(r"tai-khoan-bao-cao-\d{8}-\d{4}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows == [["Mã đơn vị", "Đơn vị", "Tên đăng nhập", "Mật khẩu ban đầu"],
                    ["X-TAN-HOA", "Xã Tân Hòa", username, password]]
    officer = login(new_page(), username, password)  # the new officer signs in with the password handed over
    expect(officer.locator("nav")).to_contain_text("Xã Tân Hòa")


AFTER_THE_DOSSIER_DEADLINE = "2021-12-20T09:00:00+07:00"  # the year-end dossier was due 18/12/2021


def record_year_end_list(campaign) -> None:
    """The council settles the demo's tie for the last collective place, the reviewer records the
    year-end list and makes every document of the dossier (Tờ trình, Biên bản, Báo cáo thành tích)."""
    from thidua.awards import selectors
    from thidua.awards.services import dossier_mark_generated, year_end_list_record
    from thidua.campaigns.services import tie_break_record
    from thidua.units.models import User

    reviewer = User.objects.get(username="noivu")
    for entry in selectors.year_end_standing(campaign).collectives:
        if entry.pending:
            tie_break_record(campaign=campaign, actor=reviewer, group=entry.pending[0].group,
                             codes=[c.code for c in entry.pending], total=entry.pending[0].total,
                             reason="Hội đồng xét khâu tổ chức thực hiện và kết quả nổi bật.")
    year_end_list_record(campaign=campaign, actor=reviewer)
    for kind in ("to_trinh", "bien_ban", "bao_cao"):
        dossier_mark_generated(campaign=campaign, kind=kind, actor=reviewer)


SIGN_FORMS_MEASURED = """forms => forms.map(form => {
    const cell = form.closest('td'), pen = document.createElement('canvas').getContext('2d');
    return {
        badges: [...cell.querySelectorAll('.badge')].map(b => b.getBoundingClientRect().height),
        inputs: [...form.querySelectorAll('input:not([type=hidden])')].map(input => {
            const style = getComputedStyle(input);
            pen.font = style.font;
            return {placeholder: input.placeholder, needs: pen.measureText(input.placeholder).width,
                    room: input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                    right: input.getBoundingClientRect().right, cellRight: cell.getBoundingClientRect().right};
        }),
        button: form.querySelector('button').getBoundingClientRect().height,
    };
})"""


def test_h_the_dossier_tracker_on_a_phone_keeps_badges_small_and_the_signing_fields_whole(
        demo, settings, new_page, login, shots_dir):
    settings.THIDUA_NOW = AFTER_THE_DOSSIER_DEADLINE
    record_year_end_list(demo)
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "noivu")
    page.goto("/khen-thuong/ho-so/")
    forms = page.locator('form[action$="/da-ky/"]')
    expect(forms.first).to_be_visible()
    measured = forms.evaluate_all(SIGN_FORMS_MEASURED)
    assert len(measured) == 3 * 10  # three documents for each of the ten collectives
    for form in measured:
        assert len(form["badges"]) == 2 and max(form["badges"]) < 28, form  # «Đã lập», «Quá hạn»: one line each
        for field in form["inputs"]:
            assert field["room"] >= field["needs"], field  # «dd/mm/yyyy», «Số, ký hiệu» shown whole
            assert field["right"] <= field["cellRight"], field
        assert form["button"] < 48, form  # «Đã ký, nộp» on one line
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir / "dossier-tracker-phone.png"), full_page=True)


def test_i_a_report_on_a_phone_gives_its_values_the_width_of_the_card(demo, new_page, login, shots_dir):
    from thidua.reports.models import Attachment, Report, ReportVersion

    report = Report.objects.select_related("current").get(unit__code="X-TAN-HOA", month="2021-09")
    procedures = ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính", "Cấp giấy xác nhận tình trạng hôn nhân",
                  "Đăng ký kết hôn", "Đăng ký thường trú", "Cấp phiếu lý lịch tư pháp"]
    ReportVersion.objects.filter(pk=report.current.pk).update(procedures=procedures)
    Attachment.objects.create(version=report.current, file="evidence/2021/09/danh-sach.xlsx", size=48_213,
                              original_name="danh-sach-ho-so-truc-tuyen-thang-9-xa-tan-hoa.xlsx",
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "noivu")
    page.goto(f"/bao-cao/chi-tiet/{report.pk}/")
    version = page.locator("section.card", has_text="Phiên bản 1").locator("dl.facts")
    expect(version).to_contain_text("Cấp phiếu lý lịch tư pháp")
    expect(version).to_contain_text("danh-sach-ho-so-truc-tuyen-thang-9-xa-tan-hoa.xlsx")
    facts = version.evaluate("""dl => [...dl.querySelectorAll('dd')].map(dd => ({
        text: dd.innerText.slice(0, 30), width: dd.getBoundingClientRect().width,
        of: dl.getBoundingClientRect().width}))""")
    for value in facts:
        assert value["width"] >= 0.8 * value["of"], value  # was ~70 px: one word a line
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir / "report-detail-phone.png"), full_page=True)
