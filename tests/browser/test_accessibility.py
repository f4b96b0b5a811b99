"""An automated accessibility audit: axe-core (WCAG 2.0 and 2.1, levels A and AA) on every main page.

Each role's pages are opened on a desktop (1280 px) and on a phone (360 × 640) and audited with the
axe-core bundled in axe-playwright-python (nothing is fetched from the network). axe is injected with
Playwright's page.evaluate, which the pages' Content-Security-Policy does not govern, so the app's CSP is
not weakened, not even for the test's browser context. Every <details> of a page is opened first, so that
the forms it holds (a report's review forms, a correction's fields) are audited too.

A violation of impact "serious" or "critical" fails the test, and so does one of ALSO_BLOCKING_RULES (axe's
best practice, whatever its impact); the message names the rule, the page, the viewport and the element. No
rule is turned off: an element a rule cannot judge is excluded on its own page, with the reason, in EXCLUDED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INSIDE_THE_CAMPAIGN = "2021-12-16T09:00:00+07:00"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 640}
VIEWPORTS = {
    "desktop 1280 px": {"viewport": DESKTOP},
    "phone 360 × 640": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
# axe's best-practice rules that fail too, whatever their impact: a table column a screen reader names by nothing
ALSO_BLOCKING_RULES = ["empty-table-header"]

# page path prefix -> CSS selectors axe leaves out there, each with why (none so far)
EXCLUDED: dict[str, list[str]] = {}

AXE = Axe()
# axe only asks for a review ("incomplete") when aria-describedby names no element of the page; this check
# fails on it: a field's help text or error that its aria-describedby promises must be on the page
MISSING_IDREFS = """() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-controls]')]
    .flatMap(el => ['aria-describedby', 'aria-labelledby', 'aria-controls'].flatMap(attr =>
        (el.getAttribute(attr) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))
            .map(id => [attr, id, el.outerHTML.slice(0, 200)])))"""
RUN = """([context, options]) => axe.run(context, options)"""


@dataclass
class Audit:
    """Runs axe on pages and keeps the blocking violations, to report them all at once."""

    findings: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)

    def check(self, page, name: str, viewport: str) -> None:
        page.wait_for_load_state("load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE.axe_script)
        path = page.url.split("://", 1)[-1].split("/", 1)[-1]
        exclude = [[selector] for prefix, selectors in EXCLUDED.items() if ("/" + path).startswith(prefix)
                   for selector in selectors]
        context = {"include": [["html"]], "exclude": exclude}
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        results = page.evaluate(RUN, [context, options])
        extra = page.evaluate(RUN, [context, {"runOnly": {"type": "rule", "values": ALSO_BLOCKING_RULES},
                                              "resultTypes": ["violations"]}])
        self.audited.append(f"{name} ({viewport})")
        for attr, missing, html in page.evaluate(MISSING_IDREFS):
            self.rules.add("idref-missing")
            self.findings.append(f"[serious] idref-missing — {name} (/{path}, {viewport})\n"
                                 f"    element: {html}\n    why: its {attr} names #{missing}, which is not on the page")
        for violation in results["violations"] + extra["violations"]:
            if violation["impact"] not in BLOCKING and violation["id"] not in ALSO_BLOCKING_RULES:
                continue
            self.rules.add(violation["id"])
            for node in violation["nodes"]:
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                self.findings.append(
                    f"[{violation['impact']}] {violation['id']} — {name} (/{path}, {viewport})\n"
                    f"    element: {' '.join(map(str, node['target']))}\n"
                    f"    html: {node['html'][:200]}\n"
                    f"    why: {violation['help']}. {summary[:300]}")

    def assert_clean(self) -> None:
        if self.findings:
            pytest.fail(f"{len(self.findings)} blocking accessibility violations on "
                        f"{len(self.audited)} pages audited:\n" + "\n".join(self.findings), pytrace=False)


def open_page(new_page, viewport: str):
    page = new_page(**VIEWPORTS[viewport])
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm forms ask before they post
    return page


def send_unchecked(page, button: str) -> None:
    """Sends a form past the browser's own checks (a required file), for the server's errors to show."""
    submit = page.get_by_role("button", name=button)
    submit.evaluate("b => { b.form.noValidate = true; }")
    with page.expect_navigation():
        submit.click()


def report_pk(code: str, month: str) -> int:
    from thidua.reports.models import Report

    return Report.objects.get(unit__code=code, month=month).pk


@pytest.fixture
def campaign_time(demo, settings):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    settings.THIDUA_EMAIL_ENABLED = True  # the pages with an email form: password reset, reminders
    return demo


def test_the_audit_runs_under_the_apps_csp_and_catches_what_it_should(campaign_time, new_page):
    """axe runs on a page served with the app's own CSP and reports a faint text and an unlabelled field; the
    audit's own check reports a description that names no element."""
    audit = Audit()
    page = open_page(new_page, "desktop 1280 px")
    response = page.goto("/huong-dan/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("""() => {
        const faint = document.createElement('p'); faint.textContent = 'Chữ quá nhạt'; faint.style.color = '#c8c8c8';
        const field = document.createElement('input'); field.type = 'text';
        field.setAttribute('aria-describedby', 'id_khong_co_helptext');
        document.querySelector('main').append(faint, field);
    }""")
    audit.check(page, "guide with three planted faults", "desktop 1280 px")
    assert {"color-contrast", "label", "idref-missing"} <= audit.rules, audit.findings


def audit_the_public_and_sign_in_pages(audit, new_page, viewport):
    page = open_page(new_page, viewport)
    for path, name in [("/cong-khai/", "public leaderboard"), ("/huong-dan/", "guide"),
                       ("/dang-nhap/", "sign-in"), ("/quen-mat-khau/", "password reset")]:
        page.goto(path)
        audit.check(page, name, viewport)
    if viewport.startswith("phone"):  # the menu, folded behind «Danh mục» on a phone, unfolded
        page.get_by_role("button", name="Danh mục").click()
        expect(page.locator("#main-nav")).to_be_visible()
        audit.check(page, "password reset with the menu open", viewport)
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("x-tan-hoa")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    audit.check(page, "sign-in with a wrong password", viewport)
    page.goto("/quen-mat-khau/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    audit.check(page, "password reset without an email", viewport)
    page.locator("main form input[name=email]").fill("khong-co@example.gov.vn")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    audit.check(page, "password reset sent", viewport)


def test_the_public_and_sign_in_pages_are_accessible(campaign_time, new_page):
    audit = Audit()
    for viewport in VIEWPORTS:  # one seeded demo for both
        audit_the_public_and_sign_in_pages(audit, new_page, viewport)
    audit.assert_clean()


def audit_the_reporters_pages(audit, new_page, login, viewport):
    page = login(open_page(new_page, viewport), "x-truong-long-tay")  # still owes its October report
    for path, name in [("/don-vi/", "scorecard"), ("/bao-cao/", "report list"),
                       ("/bao-cao/2021-10/nop/", "report form (empty)"),
                       (f"/bao-cao/chi-tiet/{report_pk('X-TRUONG-LONG-TAY', '2021-09')}/", "report page"),
                       ("/tai-khoan/", "profile"), ("/doi-mat-khau/", "password change"),
                       ("/khen-thuong/de-cu/", "nominations")]:
        page.goto(path)
        audit.check(page, name, viewport)
    page.goto("/tai-khoan/ma-truy-cap-api/")  # API tokens: none yet, a name missing, one made and shown once
    audit.check(page, "API tokens (none)", viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo mã").click()
    audit.check(page, "API tokens with the form's error", viewport)
    page.get_by_label("Tên gợi nhớ").fill("Phần mềm một cửa của xã")
    page.get_by_label("Mật khẩu hiện tại").fill("ThiDua@2021")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo mã").click()
    expect(page.get_by_label("Mã truy cập")).to_have_value(re.compile(r"^tdv_"))
    audit.check(page, "API token made, shown once, in the list", viewport)
    page.goto("/bao-cao/2021-10/nop/")  # figures typed: the live preview of the scorecard, files chosen
    for label, value in [("Tài khoản tạo mới trong tháng", "320"),
                         ("Hồ sơ trực tuyến mức độ 3, 4 tiếp nhận trong tháng", "40"),
                         ("Hồ sơ trực tuyến đến hạn giải quyết trong tháng", "20"),
                         ("Hồ sơ trực tuyến giải quyết đúng hạn trong tháng", "20"),
                         ("Hồ sơ tiếp nhận trực tiếp, qua bưu chính trong tháng", "82")]:
        page.get_by_label(label).fill(value)
    page.locator("#id_evidence").set_input_files(
        [{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}])
    expect(page.locator("#preview")).to_contain_text("sau khi nộp")
    audit.check(page, "report form with its live preview", viewport)
    page.get_by_label("Tài khoản tạo mới trong tháng").fill("-5")
    expect(page.get_by_test_id("preview-problems")).to_be_visible()
    audit.check(page, "report form with the live preview's problems", viewport)
    page.goto("/bao-cao/2021-10/nop/")
    expect(page.get_by_test_id("draft-notice")).to_be_visible()
    audit.check(page, "report form offering the figures kept in the browser", viewport)
    page.get_by_label("Tài khoản tạo mới trong tháng").fill("-5")
    with page.expect_navigation():
        page.locator("main form button[type=submit].primary").click()
    audit.check(page, "report form with validation errors", viewport)
    page.goto("/doi-mat-khau/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    audit.check(page, "password change with errors", viewport)

    page = login(open_page(new_page, viewport), "x-nhon-nghia-a")  # its November report was returned
    page.goto("/bao-cao/2021-11/nop/")
    audit.check(page, "report form (a returned report)", viewport)
    page.goto(f"/bao-cao/chi-tiet/{report_pk('X-NHON-NGHIA-A', '2021-11')}/")
    audit.check(page, "report page (returned)", viewport)


def test_the_reporters_pages_are_accessible(campaign_time, new_page, login):
    audit = Audit()
    for viewport in VIEWPORTS:  # one seeded demo for both
        audit_the_reporters_pages(audit, new_page, login, viewport)
    audit.assert_clean()


def audit_the_reviewers_pages(audit, new_page, login, dossiers, viewport):
    from thidua.awards.models import MonthlyAward
    from thidua.reports.models import Report

    page = login(open_page(new_page, viewport), "noivu")
    waiting = Report.objects.filter(status=Report.Status.SUBMITTED).order_by("pk").first()
    page.goto("/xep-hang/")
    assert page.locator("form[action$='/xep-hang/phan-dinh/']").count()  # the tie-break form is audited
    for path, name in [("/tham-dinh/", "review matrix"),
                       (f"/bao-cao/chi-tiet/{waiting.pk}/", "report page with its review forms open"),
                       ("/xep-hang/", "rankings with the tie-break form"), ("/tong-quan/", "overview"),
                       ("/don-vi/X-TAN-HOA/", "a unit's scorecard"),
                       ("/cong-dvc/nhap/", "portal import upload"),
                       ("/khen-thuong/", "awards"), ("/khen-thuong/hang-thang/2021-11/", "monthly awards"),
                       ("/khen-thuong/cuoi-nam/", "year-end awards"), ("/khen-thuong/ho-so/", "award dossier"),
                       ("/khen-thuong/thong-tin-huyen/", "documents' officials"),
                       ("/khen-thuong/cuoc-hop/", "award meeting"),
                       ("/nhat-ky/", "audit log"), ("/tham-dinh/nhac-nop/", "reminders"),
                       ("/tham-dinh/nhap-thay/X-TRUONG-LONG-TAY/2021-10/", "report entered for a unit")]:
        page.goto(path)
        audit.check(page, name, viewport)

    page.goto(f"/bao-cao/chi-tiet/{waiting.pk}/")  # the untruthful finding sent without its reason
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    with page.expect_navigation():
        page.get_by_role("button", name="Kết luận không trung thực").click()
    audit.check(page, "report page with the review form's errors", viewport)

    page.goto("/cong-dvc/nhap/")
    page.get_by_label("Tệp").set_input_files(str(dossiers))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và xem trước").click()
    page.locator("form[action$='/don-vi/'] select").first.wait_for(timeout=60_000)
    audit.check(page, "portal import preview with an unmatched unit name", viewport)
    decided = MonthlyAward.objects.order_by("month").first().month  # its signed decision, dated in the future
    page.goto(f"/khen-thuong/hang-thang/{decided}/")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.get_by_label("Số, ký hiệu Quyết định").fill("125/QĐ-UBND")
    page.get_by_label("Ngày ký Quyết định").fill("31/12/2030")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu số Quyết định").click()
    audit.check(page, "monthly awards with the decision number's errors", viewport)
    page.goto("/cong-dvc/nhap/")
    send_unchecked(page, "Tải lên và xem trước")
    audit.check(page, "portal import upload without a file", viewport)
    page.goto("/trang-khong-co/")
    audit.check(page, "page not found", viewport)


def test_the_reviewers_pages_are_accessible(campaign_time, new_page, login, tmp_path):
    from thidua.portal.demo_exports import write_demo_exports

    dossiers, _accounts = write_demo_exports(campaign_time, tmp_path)  # names one unit the registry does not know
    audit = Audit()
    for viewport in VIEWPORTS:  # one seeded demo for both
        audit_the_reviewers_pages(audit, new_page, login, dossiers, viewport)
    audit.assert_clean()


def audit_a_past_campaigns_pages(audit, campaign_time, new_page, login, viewport):
    page = open_page(new_page, viewport)
    page.goto("/cong-khai/")
    audit.check(page, "public leaderboard with the past campaigns", viewport)
    page = login(page, "lanhdao")
    past = "?phong-trao=" + campaign_time.code
    for path, name in [("/xep-hang/" + past, "a past campaign's rankings"),
                       ("/tong-quan/" + past, "a past campaign's overview"),
                       ("/khen-thuong/" + past, "a past campaign's awards"),
                       ("/tham-dinh/", "the applied campaign's review matrix")]:
        page.goto(path)
        audit.check(page, name, viewport)
    assert page.locator("main select[name=phong-trao]").count()  # the switcher is audited


def test_a_past_campaigns_pages_are_accessible(campaign_time, new_page, login):
    """Once the next campaign is applied: the campaign switcher, the read-only notice, the public list."""
    from thidua.campaigns.services import campaign_activate, campaign_create
    from thidua.scoring import load_rubric

    data = campaign_time.rubric.to_data()
    data.update(code="chau-thanh-a-2022", name="Thi đua dịch vụ công trực tuyến năm 2022")
    data["campaign"] = {"start": "2022-01-10", "end": "2022-12-18"}
    data["reports"]["months"] = ["2022-01", "2022-02", "2022-03"]
    campaign_activate(campaign=campaign_create(rubric=load_rubric(data), active=False), actor=None)
    audit = Audit()
    for viewport in VIEWPORTS:  # one seeded demo for both
        audit_a_past_campaigns_pages(audit, campaign_time, new_page, login, viewport)
    audit.assert_clean()


def audit_the_leaders_and_the_administrators_pages(audit, new_page, login, tmp_path, viewport):
    page = login(open_page(new_page, viewport), "lanhdao")
    for path, name in [("/tong-quan/", "leader's overview"), ("/xep-hang/", "leader's rankings"),
                       ("/tham-dinh/", "leader's review matrix")]:
        page.goto(path)
        audit.check(page, name, viewport)

    page = login(open_page(new_page, viewport), "quantri")
    page.goto("/tai-khoan/ma-truy-cap-api/")
    audit.check(page, "API tokens with the other users' tokens to revoke", viewport)
    for path, name in [("/phong-trao/", "campaigns"), ("/phong-trao/cau-hinh/", "campaign settings"),
                       ("/don-vi/nhap/", "registry import"), ("/don-vi/tai-khoan-bao-cao/", "reporter accounts")]:
        page.goto(path)
        audit.check(page, name, viewport)
    page.goto("/phong-trao/")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo phong trào").click()
    audit.check(page, "campaign creation with errors", viewport)
    page.goto("/phong-trao/cau-hinh/")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu cấu hình").click()
    audit.check(page, "campaign settings saved, with its message", viewport)
    page.get_by_label("Hạn nộp báo cáo (ngày trong tháng)").fill("99")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu cấu hình").click()
    expect(page.locator("#id_deadline_day_error, main [role=alert]").first).to_be_visible()
    audit.check(page, "campaign settings with errors", viewport)
    page.goto("/don-vi/nhap/")
    send_unchecked(page, "Tải lên và xem trước")
    audit.check(page, "registry import without a file", viewport)
    registry = tmp_path / "danh-muc-don-vi-chau-thanh-a-2021.csv"
    registry.write_bytes(page.request.get("/don-vi/mau/danh-muc-don-vi-chau-thanh-a-2021.csv").body())
    page.get_by_label("Tệp").set_input_files(str(registry))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và xem trước").click()
    audit.check(page, "registry import preview", viewport)


def test_the_leaders_and_the_administrators_pages_are_accessible(campaign_time, new_page, login, tmp_path):
    audit = Audit()
    for viewport in VIEWPORTS:  # one seeded demo for both
        audit_the_leaders_and_the_administrators_pages(audit, new_page, login, tmp_path, viewport)
    audit.assert_clean()
