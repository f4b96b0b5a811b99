"""Keyboard-only and touch use, measured in the browser on the demo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INSIDE_THE_CAMPAIGN = "2021-12-16T09:00:00+07:00"


def test_the_month_picker_of_the_rankings_waits_for_xem_when_used_from_the_keyboard(demo, settings, new_page, login):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(), "lanhdao")
    page.goto("/xep-hang/")
    picker = page.get_by_label("Xem kết quả theo tháng")
    picker.focus()
    for _ in range(5):  # June, July, … October: the arrow keys walk the list
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.url.endswith("/xep-hang/")  # was: the first arrow key loaded June and dropped the focus
    expect(picker).to_be_focused()
    expect(picker).to_have_value("2021-10")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Xem")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/xep-hang/?thang=2021-10")
    expect(page.get_by_label("Xem kết quả theo tháng")).to_have_value("2021-10")


PHONE = {"width": 360, "height": 740}
LINK_HEIGHTS = """() => [...document.querySelectorAll('main table.stack td a')]
    .map(a => [a.innerText.trim(), a.getBoundingClientRect().height])"""


def test_the_links_of_a_table_on_a_phone_are_a_fingertip_high(demo, settings, new_page, login, shots_dir):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "x-tan-hoa")
    page.goto("/bao-cao/")
    expect(page.get_by_role("link", name="Điều chỉnh")).to_be_visible()
    links = page.evaluate(LINK_HEIGHTS)
    assert len(links) >= 7  # «Xem» for each of the six months, «Điều chỉnh» for November
    assert [(text, height) for text, height in links if height < 24] == []  # were 17 px, side by side
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir / "report-list-phone.png"), full_page=True)


LINKS_UNDER_24 = """(selector) => [...document.querySelectorAll(selector)]
    .map(a => [a.innerText.trim(), a.getBoundingClientRect().height]).filter(([, h]) => h < 24)"""


def test_menus_of_links_and_the_forgotten_password_link_are_a_fingertip_high_on_a_phone(
        demo, settings, new_page, login):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/dang-nhap/")
    assert page.evaluate(LINKS_UNDER_24, "main a[href$='/quen-mat-khau/'], .footer a") == []  # were 16 px
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "lanhdao")
    page.goto("/khen-thuong/")
    assert len(page.query_selector_all("main p.actions a")) >= 4
    assert page.evaluate(LINKS_UNDER_24, "main p.actions a") == []  # «Khen thưởng cuối năm · Cá nhân đề cử · …»


def test_the_report_matrix_tells_a_phone_reader_it_scrolls_sideways(demo, settings, new_page, login):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    hint = "Bảng có 6 tháng: vuốt ngang bảng để xem các tháng bên phải."
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "lanhdao")
    page.goto("/tham-dinh/")
    expect(page.get_by_text(hint)).to_be_visible()
    wrap = page.locator("main .table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # there is more to the right
    laptop = login(new_page(viewport={"width": 1280, "height": 800}), "lanhdao")
    laptop.goto("/tham-dinh/")
    expect(laptop.get_by_text(hint)).to_be_hidden()
    # a tablet held upright: November, the month still under review, is past the right edge too
    tablet = login(new_page(viewport={"width": 768, "height": 1024}, has_touch=True), "lanhdao")
    tablet.goto("/tham-dinh/")
    assert tablet.locator("main .table-wrap").first.evaluate("w => w.scrollWidth > w.clientWidth")
    expect(tablet.get_by_text(hint)).to_be_visible()  # was hidden: the hint was a phone's only


def test_the_overview_chart_keeps_its_size_on_a_phone_and_scrolls_sideways(demo, settings, new_page, login):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(viewport=PHONE, is_mobile=True, has_touch=True), "lanhdao")
    page.goto("/tong-quan/")
    figure = page.locator("figure.chart")
    assert figure.evaluate("f => f.scrollWidth > f.clientWidth")  # the chart at its own size, not shrunk
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page itself does not
    expect(page.get_by_text("Vuốt ngang biểu đồ để xem các tháng.")).to_be_visible()


def test_links_of_tables_and_menus_are_a_fingertip_high_on_a_tablet_too(demo, settings, new_page, login):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(viewport={"width": 768, "height": 1024}, has_touch=True), "lanhdao")
    assert page.evaluate(LINKS_UNDER_24, "#main-nav a, #main-nav button") == []  # the menu: were 19 px
    for path, selector in (("/khen-thuong/", "main table td a, main p.actions a"),
                           ("/tham-dinh/", "main table td a"), ("/xep-hang/", "main table td a")):
        page.goto(path)
        assert len(page.query_selector_all(selector)) >= 4, path
        assert page.evaluate(LINKS_UNDER_24, selector) == [], path  # were 16–17 px: «Xem», «Đúng hạn», a unit's name
