"""The monthly report form as a commune's officer uses it: a cheap phone (360 × 640), touch, a slow network."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Error, expect

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
BEFORE_OCTOBER_DUE = "2021-10-20T08:00:00+07:00"  # X-TRUONG-LONG-TAY has not reported October yet
FIELDS = {"accounts": "Tài khoản tạo mới trong tháng", "online": "Hồ sơ trực tuyến mức độ 3, 4 tiếp nhận trong tháng",
          "due": "Hồ sơ trực tuyến đến hạn giải quyết trong tháng",
          "on_time": "Hồ sơ trực tuyến giải quyết đúng hạn trong tháng",
          "in_person": "Hồ sơ tiếp nhận trực tiếp, qua bưu chính trong tháng"}


@pytest.fixture
def october_form(demo, settings, new_page, login):
    """The October report form of Xã Trường Long Tây on a cheap phone, before the deadline."""
    settings.THIDUA_NOW = BEFORE_OCTOBER_DUE

    def open_form():
        page = login(new_page(viewport=SMALL_PHONE, is_mobile=True, has_touch=True), "x-truong-long-tay")
        page.goto("/bao-cao/2021-10/nop/")
        return page

    return open_form


def fill(page, **figures):
    for field, value in figures.items():
        page.get_by_label(FIELDS[field]).fill(value)


def test_a_refused_report_says_at_the_top_of_the_phone_what_to_fix_and_where(october_form, shots_dir):
    page = october_form()
    fill(page, accounts="1.234", online="40", due="98,5", in_person="82")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp báo cáo").tap()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()  # was: the page reloaded at its top, the errors far below, nothing said
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Báo cáo chưa được ghi nhận")
    due = summary.get_by_role("link", name="Hồ sơ trực tuyến đến hạn giải quyết trong tháng")
    expect(due).to_have_attribute("href", "#id_due")
    expect(summary).to_contain_text("Vui lòng nhập một số nguyên")
    expect(summary.get_by_role("link", name="Hồ sơ trực tuyến giải quyết đúng hạn trong tháng")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(2)  # «1.234» is a number: only the two wrong fields
    page.screenshot(path=str(shots_dir / "report-form-errors-phone.png"), full_page=True)

    due.tap()
    field = page.get_by_label(FIELDS["due"])
    expect(field).to_be_in_viewport()
    expect(page.locator("label[for=id_due]")).to_be_in_viewport()  # its label above it, not under the top edge
    expect(field).to_have_value("98,5")  # what was typed is kept
    expect(page.get_by_label(FIELDS["accounts"])).to_have_value("1.234")


def test_a_double_tap_on_submit_over_a_slow_network_sends_the_report_once(october_form):
    from thidua.reports.models import Report, ReportVersion

    page = october_form()
    fill(page, accounts="320", online="40", due="20", on_time="20", in_person="82")
    page.locator("#id_evidence").set_input_files([
        {"name": "IMG_20211020_081502.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"\x00" * 64}])
    sent = []

    def slow(route):  # a phone's upload: the first tap's request is still on its way when the finger taps again
        sent.append(route.request.method)
        time.sleep(1.5)
        answer = route.fetch()  # it reaches the server, as a request already on the wire does
        try:
            route.fulfill(response=answer)
        except Error:
            pass  # the browser gave up waiting for this answer when the second tap sent the form again

    page.route("**/bao-cao/2021-10/nop/", slow)
    # two taps 0.3 s apart on «Nộp báo cáo»; a disabled button takes no click, as it takes no tap
    page.get_by_role("button", name="Nộp báo cáo").evaluate(
        "button => { button.click(); setTimeout(() => button.click(), 300); }")
    expect(page.get_by_test_id("report-status")).to_have_text("Chờ thẩm định", timeout=30_000)
    report = Report.objects.get(unit__code="X-TRUONG-LONG-TAY", month="2021-10")
    assert ReportVersion.objects.filter(report=report).count() == 1  # was 2: a «correction» with the photo twice
    assert sent.count("POST") == 1
    page.go_back()  # Back to the form: ready to send again, not stuck on «Đang gửi…»
    expect(page.locator("main form button[type=submit]")).to_have_text(re.compile(r"^Nộp (báo cáo|bản điều chỉnh)$"))
    expect(page.locator("main form button[type=submit]")).not_to_have_attribute("aria-disabled", "true")



SLOW_ANSWER_FOR_2000 = """() => { const fetch = window.fetch;
    window.fetch = (url, options) => fetch(url, options).then(answer =>
        options && options.body && options.body.get('new_accounts') === '2000'
            ? new Promise(done => setTimeout(() => done(answer), 2500)) : answer); }"""


def test_the_preview_over_a_slow_network_shows_the_figures_typed_last(october_form):
    page = october_form()
    fill(page, online="40", due="20", on_time="20", in_person="82")
    accounts, total = page.get_by_label(FIELDS["accounts"]), page.get_by_test_id("preview-total")
    accounts.fill("2000")
    expect(total).not_to_have_text("")
    with_2000 = total.inner_text()
    accounts.fill("0")
    expect(total).not_to_have_text(with_2000)
    with_0 = total.inner_text()

    page.evaluate(SLOW_ANSWER_FOR_2000)  # a patchy connection: the answer for 2000 comes back late
    accounts.fill("2000")
    page.wait_for_timeout(700)  # its question is asked (0.4 s after the last keystroke)…
    accounts.fill("0")  # …then the officer corrects the figure: the answer for 0 arrives first
    expect(total).to_have_text(with_0)
    page.wait_for_timeout(3000)  # the late answer for 2000 has come back by now
    expect(total).to_have_text(with_0)  # was the score for 2000, a figure no longer in the form


def test_the_plan_checkbox_is_a_fingertip_wide_on_a_phone(october_form):
    page = october_form()
    box = page.get_by_label("Đơn vị đã ban hành kế hoạch thực hiện").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box  # was 19 × 19 px


def test_a_photo_over_the_size_limit_is_named_on_choosing_it_not_after_a_slow_upload(october_form, settings):
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1024 * 1024  # 1 MB, for a small test file
    page = october_form()
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST"
            and request.url.endswith("/nop/") else None)
    page.locator("#id_evidence").set_input_files([
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"},
        {"name": "IMG_20211020_081502.jpg", "mimeType": "image/jpeg",
         "buffer": b"\xff\xd8\xff" + b"\x00" * 1024 * 1024}])
    chosen = page.locator("#id_evidence ~ .file-chosen")
    expect(chosen).to_contain_text("Tệp «IMG_20211020_081502.jpg» lớn hơn 1 MB")  # said at once, not after the upload
    page.get_by_role("button", name="Nộp báo cáo").tap()
    page.wait_for_timeout(500)
    assert posts == []  # nothing sent: minutes on a slow network, to be refused
    expect(page.locator("#id_evidence")).to_be_focused()
    page.locator("#id_evidence").set_input_files([{"name": "bien-ban.pdf", "mimeType": "application/pdf",
                                                   "buffer": b"%PDF-1.4\n"}])
    expect(chosen).to_have_text("bien-ban.pdf")


def test_what_was_typed_and_not_sent_is_offered_back_when_the_form_is_opened_again(october_form, login):
    """The figures typed on a phone survive a tap on «Quay lại», a page closed or a session that ended: the form
    opened again offers them back; sending a version drops them; signing out drops them (a shared computer)."""
    from thidua.reports.models import Report

    page = october_form()
    notice = page.get_by_test_id("draft-notice")
    expect(notice).to_be_hidden()  # nothing typed before
    fill(page, accounts="1.234", online="40")
    page.get_by_label("Đơn vị đã ban hành kế hoạch thực hiện").check()
    page.get_by_role("link", name="Quay lại").tap()
    page.goto("/bao-cao/2021-10/nop/")

    expect(notice).to_be_visible()
    expect(notice).to_contain_text(re.compile(r"số liệu bạn nhập lúc \d\d:\d\d ngày \d\d/\d\d/\d{4} mà chưa gửi đi"))
    expect(page.get_by_label(FIELDS["accounts"])).to_have_value("")
    with page.expect_request("**/bao-cao/2021-10/xem-truoc/"):  # the preview follows the figures filled in
        notice.get_by_role("button", name="Điền lại số liệu đó").tap()
    expect(notice).to_be_hidden()
    expect(page.get_by_label(FIELDS["accounts"])).to_have_value("1.234")
    expect(page.get_by_label(FIELDS["online"])).to_have_value("40")
    expect(page.get_by_label("Đơn vị đã ban hành kế hoạch thực hiện")).to_be_checked()

    fill(page, due="20", on_time="20", in_person="82")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp báo cáo").tap()
    assert Report.objects.get(unit__code="X-TRUONG-LONG-TAY", month="2021-10").current.new_accounts == 1234
    page.goto("/bao-cao/2021-10/nop/")  # the correction form: the sent figures are no draft
    expect(page.get_by_label(FIELDS["accounts"])).to_have_value("1234")
    expect(notice).to_be_hidden()

    page.get_by_label(FIELDS["accounts"]).fill("1300")  # a correction typed, then signing out
    page.locator(".menu-toggle").tap()  # the phone's menu
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").tap()
    login(page, "x-truong-long-tay")
    page.goto("/bao-cao/2021-10/nop/")
    expect(notice).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('thidua-draft:')).length") == 0
